"""The questionnaires part of a person's archive ("Mes données"): their isolation checks and
self-inventories (interests, values), with the answers and the scores computed from them."""

from tisser.assessments.models import InventoryResponse, IsolationCheck
from tisser.core.personal_data import register_exporter


@register_exporter("isolation_checks", covers=("assessments.IsolationCheck",))
def isolation_checks_personal_data(*, user) -> list[dict]:
    return list(
        IsolationCheck.objects.filter(user=user)
        .order_by("pk")
        .values("moment", "version", "answers", "scores", "created_at")
    )


@register_exporter("inventories", covers=("assessments.InventoryResponse",))
def inventories_personal_data(*, user) -> list[dict]:
    return list(
        InventoryResponse.objects.filter(user=user)
        .order_by("pk")
        .values("kind", "version", "answers", "scores", "created_at")
    )


# What goes when the person leaves (ADR 0019).
from tisser.assessments import departure  # noqa: E402, F401
