"""What the bilan pages show once the bilan reaches its end: the follow-up interview and
the satisfaction questionnaires (reads only)."""

from tisser.bilans import services as bilans
from tisser.bilans.models import Bilan, FollowUp, Phase

# From the conclusion phase on, "Mon bilan" shows what comes after the bilan.
SHOWN_FROM = (Phase.CONCLUSION, Phase.CLOSED)


def followup_of(user, bilan: Bilan) -> FollowUp | None:
    return FollowUp.objects.visible_to(user).filter(bilan=bilan).select_related("series").first()


def after_bilan_context(user, bilan: Bilan) -> dict:
    """The follow-up interview and the satisfaction questionnaires, for "Mon bilan"; empty
    before the conclusion phase."""
    if bilan.status not in SHOWN_FROM:
        return {}
    return {
        "after_bilan": True,
        "satisfaction_steps": bilans.satisfaction_steps(bilan),
        "followup": followup_of(user, bilan),
    }
