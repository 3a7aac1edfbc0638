"""The network's part of a bilan's anonymous outcome figures (`tisser.bilans.outcome_figures`):
how many professional contacts the person had at the start and at the end of the bilan (the
contacts they still hold, added by then)."""

from collections.abc import Sequence

from tisser.bilans.models import Bilan
from tisser.bilans.outcome_figures import register
from tisser.network.models import Contact


def _size_at(bilan: Bilan, at) -> int | None:
    if at is None:
        return None
    return Contact.objects.filter(
        owner_id=bilan.beneficiary_id, organisation_id=bilan.organisation_id, created_at__lte=at
    ).count()


def _sizes_at(bilans: Sequence[Bilan], field: str) -> dict[int, int | None]:
    """`_size_at` of each of `bilans` at its date `field`, from one read of the people's
    contacts (their creation dates only)."""
    created: dict[tuple[int, int], list] = {}
    contacts = Contact.objects.filter(
        owner_id__in={bilan.beneficiary_id for bilan in bilans},
        organisation_id__in={bilan.organisation_id for bilan in bilans},
    ).values_list("owner_id", "organisation_id", "created_at")
    for owner_id, organisation_id, created_at in contacts:
        created.setdefault((owner_id, organisation_id), []).append(created_at)
    sizes: dict[int, int | None] = {}
    for bilan in bilans:
        at = getattr(bilan, field)
        dates = created.get((bilan.beneficiary_id, bilan.organisation_id), [])
        sizes[bilan.pk] = None if at is None else sum(1 for day in dates if day <= at)
    return sizes


register(
    "network_start",
    lambda bilan: _size_at(bilan, bilan.opened_at),
    many=lambda bilans: _sizes_at(bilans, "opened_at"),
)
register(
    "network_end",
    lambda bilan: _size_at(bilan, bilan.closed_at),
    many=lambda bilans: _sizes_at(bilans, "closed_at"),
)
