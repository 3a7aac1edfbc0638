"""The quality app's models, one module per area (complaints, actions, appraisals,
consultants' records, the organisme's documents, public pages, exports)."""

from tisser.quality.models.complaints import Complaint, ComplaintKind, ComplaintStatus, Relation
from tisser.quality.models.documents import DocumentKind, OrganismeDocument
from tisser.quality.models.improvements import ActionSource, ActionStatus, ImprovementAction

__all__ = [
    "ActionSource",
    "ActionStatus",
    "Complaint",
    "ComplaintKind",
    "ComplaintStatus",
    "DocumentKind",
    "ImprovementAction",
    "OrganismeDocument",
    "Relation",
]
