"""The quality app's models, one module per area (complaints, actions, appraisals,
consultants' records, the organisme's documents, public pages, exports)."""

from tisser.quality.models.exports import AuditExport  # noqa: F401
