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

__all__ = [
    "INVITED_AUDIENCES",
    "Appraisal",
    "AppraisalAnswer",
    "AppraisalInvitation",
    "Audience",
    "Question",
    "QuestionKind",
    "Questionnaire",
    "appraisal_token_hash",
]
