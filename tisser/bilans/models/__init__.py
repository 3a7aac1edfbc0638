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

__all__ = [
    "PHASE_ORDER",
    "Bilan",
    "BilanConsent",
    "BilanQuerySet",
    "BilanSession",
    "Funding",
    "Phase",
    "PhaseTransition",
    "next_phase",
]
