"""The bilan's models, one module per part of it. Import from here:
`from tisser.bilans.models import Bilan`."""

from tisser.bilans.models.adaptation import (
    AdaptationKind,
    AdaptationMeasure,
    BilanAdaptation,
    RecordedBy,
)
from tisser.bilans.models.contract import Contract
from tisser.bilans.models.convention import CONVENTION_FUNDINGS, Convention
from tisser.bilans.models.core import (
    PHASE_ORDER,
    Bilan,
    BilanConsent,
    BilanQuerySet,
    BilanSession,
    EndReason,
    Funding,
    Outcome,
    Phase,
    PhaseTransition,
    next_phase,
)
from tisser.bilans.models.cpf import CpfDossier
from tisser.bilans.models.exploration import DismissedFiche, ShortlistEntry
from tisser.bilans.models.followup import FollowUp, SatisfactionMoment, SatisfactionResponse
from tisser.bilans.models.investigation import (
    Achievement,
    Aspirations,
    BilanPartQuerySet,
    CompetenceSuggestion,
    Experience,
    ItemKind,
    PortfolioItem,
    SuggestionDecision,
)
from tisser.bilans.models.preliminary import BilanFormat, PreliminaryRecord
from tisser.bilans.models.projects import (
    CheckItem,
    CheckStatus,
    Project,
    ProjectCheck,
    ProjectKind,
    ProjectStep,
    StepStatus,
)
from tisser.bilans.models.rendered import RenderedPdf
from tisser.bilans.models.retention import (
    EXCEPTION_MAX_DAYS,
    FinalDownload,
    KeepAgreement,
    OutcomeRecord,
)
from tisser.bilans.models.sessions import SessionNote
from tisser.bilans.models.synthesis import (
    SynthesisDocument,
    SynthesisPdf,
    SynthesisShare,
    SynthesisShareDownload,
    SynthesisStatus,
    share_token_hash,
)

__all__ = [
    "CONVENTION_FUNDINGS",
    "EXCEPTION_MAX_DAYS",
    "PHASE_ORDER",
    "Achievement",
    "AdaptationKind",
    "AdaptationMeasure",
    "Aspirations",
    "Bilan",
    "BilanAdaptation",
    "BilanConsent",
    "BilanFormat",
    "BilanPartQuerySet",
    "BilanQuerySet",
    "BilanSession",
    "CheckItem",
    "CheckStatus",
    "CompetenceSuggestion",
    "Contract",
    "Convention",
    "CpfDossier",
    "DismissedFiche",
    "EndReason",
    "Experience",
    "FinalDownload",
    "FollowUp",
    "Funding",
    "ItemKind",
    "KeepAgreement",
    "Outcome",
    "OutcomeRecord",
    "Phase",
    "PhaseTransition",
    "PortfolioItem",
    "PreliminaryRecord",
    "Project",
    "ProjectCheck",
    "ProjectKind",
    "ProjectStep",
    "RecordedBy",
    "RenderedPdf",
    "SatisfactionMoment",
    "SatisfactionResponse",
    "SessionNote",
    "ShortlistEntry",
    "StepStatus",
    "SuggestionDecision",
    "SynthesisDocument",
    "SynthesisPdf",
    "SynthesisShare",
    "SynthesisShareDownload",
    "SynthesisStatus",
    "next_phase",
    "share_token_hash",
]
