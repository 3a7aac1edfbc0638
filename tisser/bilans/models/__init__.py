"""The bilan's models, one module per part of it. Import from here:
`from tisser.bilans.models import Bilan`."""

from tisser.bilans.models.core import (
    PHASE_ORDER,
    Bilan,
    BilanConsent,
    BilanQuerySet,
    BilanSession,
    Funding,
    Phase,
    PhaseTransition,
    next_phase,
)
from tisser.bilans.models.followup import FollowUp, SatisfactionMoment, SatisfactionResponse
from tisser.bilans.models.sessions import SessionNote

__all__ = [
    "PHASE_ORDER",
    "Bilan",
    "BilanConsent",
    "BilanQuerySet",
    "BilanSession",
    "FollowUp",
    "Funding",
    "Phase",
    "PhaseTransition",
    "SatisfactionMoment",
    "SatisfactionResponse",
    "SessionNote",
    "next_phase",
]
