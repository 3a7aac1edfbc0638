"""The quality app's models, one module per area (complaints, actions, appraisals,
consultants' records, the organisme's documents, public pages, exports)."""

from tisser.quality.models.appraisals import (
    INVITED_AUDIENCES,
    Appraisal,
    AppraisalAnswer,
    AppraisalInvitation,
    Audience,
    Question,
    QuestionKind,
    Questionnaire,
    appraisal_token_hash,
)
from tisser.quality.models.complaints import Complaint, ComplaintKind, ComplaintStatus, Relation
from tisser.quality.models.consultants import (
    ConsultantMethod,
    ConsultantQualification,
    ConsultantRecord,
    ConsultantTraining,
)
from tisser.quality.models.documents import DocumentKind, OrganismeDocument
from tisser.quality.models.exports import AuditExport
from tisser.quality.models.improvements import ActionSource, ActionStatus, ImprovementAction
from tisser.quality.models.public import PublicOffer

__all__ = [
    "INVITED_AUDIENCES",
    "ActionSource",
    "ActionStatus",
    "Appraisal",
    "AppraisalAnswer",
    "AppraisalInvitation",
    "Audience",
    "AuditExport",
    "Complaint",
    "ComplaintKind",
    "ComplaintStatus",
    "ConsultantMethod",
    "ConsultantQualification",
    "ConsultantRecord",
    "ConsultantTraining",
    "DocumentKind",
    "ImprovementAction",
    "OrganismeDocument",
    "PublicOffer",
    "Question",
    "QuestionKind",
    "Questionnaire",
    "Relation",
    "appraisal_token_hash",
]
