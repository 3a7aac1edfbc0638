"""The network's part of a bilan's anonymous outcome figures (`tisser.bilans.outcome_figures`):
how many professional contacts the person had at the start and at the end of the bilan (the
contacts they still hold, added by then)."""

from tisser.bilans.models import Bilan
from tisser.bilans.outcome_figures import register
from tisser.network.models import Contact


def _size_at(bilan: Bilan, at) -> int | None:
    if at is None:
        return None
    return Contact.objects.filter(
        owner_id=bilan.beneficiary_id, organisation_id=bilan.organisation_id, created_at__lte=at
    ).count()


register("network_start", lambda bilan: _size_at(bilan, bilan.opened_at))
register("network_end", lambda bilan: _size_at(bilan, bilan.closed_at))
