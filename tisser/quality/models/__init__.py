"""The quality app's models, one module per area (complaints, actions, appraisals,
consultants' records, the organisme's documents, public pages, exports)."""

from tisser.quality.models.documents import DocumentKind, OrganismeDocument

__all__ = ["DocumentKind", "OrganismeDocument"]
