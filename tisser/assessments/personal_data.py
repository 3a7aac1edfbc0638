"""The questionnaires part of a person's archive ("Mes données"): their isolation checks and
self-inventories (interests, values), with the answers and the scores computed from them, and
what they chose to tell their consultant about a hard situation at work (the safety net)."""

from tisser.assessments import loneliness
from tisser.assessments.models import InventoryResponse, IsolationCheck, SafetyConcern
from tisser.core.personal_data import register_exporter


@register_exporter("isolation_checks", covers=("assessments.IsolationCheck",))
def isolation_checks_personal_data(*, user) -> list[dict]:
    """Each check's codes (answers 1 to 5 per item id, scores) and, for the questions on
    loneliness (ADR 0031), each question and its answer in words: `solitude`, empty for a
    check taken before them."""
    return [
        check | {"solitude": loneliness.answered(check["answers"])}
        for check in IsolationCheck.objects.filter(user=user)
        .order_by("pk")
        .values("moment", "version", "answers", "scores", "created_at")
    ]


@register_exporter("inventories", covers=("assessments.InventoryResponse",))
def inventories_personal_data(*, user) -> list[dict]:
    return list(
        InventoryResponse.objects.filter(user=user)
        .order_by("pk")
        .values("kind", "version", "answers", "scores", "created_at")
    )


@register_exporter("safety_concerns", covers=("assessments.SafetyConcern",))
def safety_concerns_personal_data(*, user) -> list[dict]:
    """What the person told their consultant (withdrawn or expired requests are gone). A
    consultant's archive does not carry the requests they received: they are the
    beneficiary's words."""
    return [
        {
            "situation": str(concern.get_situation_display()),
            "note": concern.note,
            "consultant": str(concern.consultant),
            "created_at": concern.created_at,
        }
        for concern in SafetyConcern.objects.filter(user=user).select_related("consultant")
    ]


# What goes when the person leaves (ADR 0019).
from tisser.assessments import departure  # noqa: E402, F401
