"""A person who leaves (ADR 0019): their isolation checks and inventories go."""

from django.utils.translation import gettext_lazy as _

from tisser.assessments.models import InventoryResponse, IsolationCheck
from tisser.core.departure_counts import Going, add_deleted
from tisser.core.personal_data import register_departure, register_departure_goings


@register_departure(
    "assessments",
    label=_("Les points sur l'isolement et les questionnaires (intérêts, valeurs)"),
    covers=("assessments.IsolationCheck", "assessments.InventoryResponse"),
)
def assessments_departure(*, user) -> dict[str, int]:
    counts: dict[str, int] = {}
    add_deleted(counts, IsolationCheck.objects.filter(user=user).delete())
    add_deleted(counts, InventoryResponse.objects.filter(user=user).delete())
    return counts


@register_departure_goings("assessments")
def assessments_goings(*, user) -> list[Going]:
    return [
        Going(IsolationCheck.objects.filter(user=user)),
        Going(InventoryResponse.objects.filter(user=user)),
    ]
