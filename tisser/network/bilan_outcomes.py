"""The network's part of a bilan's anonymous outcome figures (`tisser.bilans.outcome_figures`):
how many professional contacts the person had at the start and at the end of the bilan (the
contacts they still hold, added by then)."""

from django.db.models import Case, Count, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce

from tisser.bilans.models import Bilan
from tisser.bilans.outcome_figures import register
from tisser.network.models import Contact


def _size_at(bilan: Bilan, at) -> int | None:
    if at is None:
        return None
    return Contact.objects.filter(
        owner_id=bilan.beneficiary_id, organisation_id=bilan.organisation_id, created_at__lte=at
    ).count()


def _size_at_expression(field: str):
    """`_size_at` for the bilan of the outer query, at its date `field`: the same count, in
    the same query as the other bilans of a batch; None when the date is empty."""
    contacts = (
        Contact.objects.filter(
            owner_id=OuterRef("beneficiary_id"),
            organisation_id=OuterRef("organisation_id"),
            created_at__lte=OuterRef(field),
        )
        .order_by()
        .values("owner_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Case(
        When(**{f"{field}__isnull": True}, then=Value(None)),
        default=Coalesce(Subquery(contacts, output_field=IntegerField()), Value(0)),
        output_field=IntegerField(),
    )


register(
    "network_start",
    lambda bilan: _size_at(bilan, bilan.opened_at),
    annotation=lambda: _size_at_expression("opened_at"),
)
register(
    "network_end",
    lambda bilan: _size_at(bilan, bilan.closed_at),
    annotation=lambda: _size_at_expression("closed_at"),
)
