"""The quality app's models, one module per area (complaints, actions, appraisals,
consultants' records, the organisme's documents, public pages, exports)."""

from tisser.quality.models.consultants import (
    ConsultantMethod,
    ConsultantQualification,
    ConsultantRecord,
    ConsultantTraining,
)

__all__ = [
    "ConsultantMethod",
    "ConsultantQualification",
    "ConsultantRecord",
    "ConsultantTraining",
]
