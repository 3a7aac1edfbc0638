"""The network's part of a bilan's anonymous outcome figures (`tisser.bilans.outcome_figures`):
the person's network at the start and at the end of the bilan, then 3 and 6 months after its
end: contacts, enquêtes-métiers done and introductions received (`tisser.network.metrics`).

A moment that has come is read from the weekly snapshot taken at the time when there is one
(`NetworkSnapshot`, the week holding the moment: what the network was then, even if contacts
were deleted since), measured from the network's dated history otherwise. A moment still to
come is None. A batch of bilans costs four queries whatever its size: the people's histories
(three) and their snapshots of the weeks concerned (one)."""

from collections.abc import Sequence
from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from tisser.bilans.models import Bilan
from tisser.bilans.outcome_figures import register
from tisser.network.metrics import NetworkMetrics, network_histories, week_start
from tisser.network.models import NetworkSnapshot

# OutcomeRecord's name of a moment → how to find it from a bilan.
_MOMENTS = {
    "start": lambda bilan: bilan.opened_at,
    "end": lambda bilan: bilan.closed_at,
    "plus_3_months": lambda bilan: bilan.closed_at and bilan.closed_at + relativedelta(months=3),
    "plus_6_months": lambda bilan: bilan.closed_at and bilan.closed_at + relativedelta(months=6),
}
# OutcomeRecord's field prefix → the metric it holds.
_METRICS = {"network": "contacts", "interviews": "interviews_done", "introductions": "referrals"}
_FIELDS = {
    "network": ("start", "end", "plus_3_months", "plus_6_months"),
    "interviews": ("end", "plus_3_months", "plus_6_months"),
    "introductions": ("end", "plus_3_months", "plus_6_months"),
}


def network_at_moments(
    bilans: Sequence[Bilan], *, now: datetime | None = None
) -> dict[int, dict[str, NetworkMetrics | None]]:
    """Bilan id → moment name → the network then (None for a moment still to come)."""
    now = now or timezone.now()
    moments: dict[int, dict[str, datetime | None]] = {}
    for bilan in bilans:
        moments[bilan.pk] = {}
        for name, moment_of in _MOMENTS.items():
            at = moment_of(bilan)
            moments[bilan.pk][name] = at if at is not None and at <= now else None
    histories = network_histories({bilan.beneficiary_id for bilan in bilans})
    week_of = {
        (bilan.pk, name): week_start(timezone.localdate(at))
        for bilan in bilans
        for name, at in moments[bilan.pk].items()
        if at is not None
    }
    weeks = {
        (bilan.beneficiary_id, week_of[(bilan.pk, name)])
        for bilan in bilans
        for name, at in moments[bilan.pk].items()
        if at is not None
    }
    snapshots: dict[tuple[int, object], NetworkMetrics] = {}
    if weeks:
        for row in NetworkSnapshot.objects.filter(
            owner_id__in={owner for owner, _week in weeks},
            week__in={week for _owner, week in weeks},
        ).values_list("owner_id", "week", "contacts", "interviews_done", "referrals", "sectors"):
            if (row[0], row[1]) in weeks:
                snapshots[(row[0], row[1])] = NetworkMetrics(*row[2:])
    found: dict[int, dict[str, NetworkMetrics | None]] = {}
    for bilan in bilans:
        came = sorted(
            ((at, name) for name, at in moments[bilan.pk].items() if at is not None),
            key=lambda entry: entry[0],
        )
        # The moments without a snapshot, measured in one pass over the history.
        unrecorded = [
            (at, name)
            for at, name in came
            if (bilan.beneficiary_id, week_of[(bilan.pk, name)]) not in snapshots
        ]
        measured = dict(
            zip(
                [name for _at, name in unrecorded],
                histories[bilan.beneficiary_id].metrics_each([at for at, _name in unrecorded]),
                strict=True,
            )
        )
        found[bilan.pk] = {}
        for name, at in moments[bilan.pk].items():
            if at is None:
                found[bilan.pk][name] = None
            else:
                snapshot = snapshots.get((bilan.beneficiary_id, week_of[(bilan.pk, name)]))
                found[bilan.pk][name] = snapshot or measured[name]
    return found


def _figures(bilans: Sequence[Bilan]) -> dict[int, dict[str, int | bool | str | None]]:
    measured = network_at_moments(bilans)
    return {
        pk: {
            f"{prefix}_{moment}": (
                None if at[moment] is None else getattr(at[moment], _METRICS[prefix])
            )
            for prefix, moments in _FIELDS.items()
            for moment in moments
        }
        for pk, at in measured.items()
    }


register(
    [f"{prefix}_{moment}" for prefix, moments in _FIELDS.items() for moment in moments],
    _figures,
)
