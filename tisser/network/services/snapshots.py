"""The weekly snapshots of a network's size, and the record of a consultant reading it.

A snapshot holds the figures of `tisser.network.metrics` for one week (keyed on its Monday),
as of the end of that week, or as of now while the week is not over. Taking it again replaces
its figures: the daily task refreshes the current week every day, and the last run of a week
(or the first one of the next) fixes it. Snapshots are derived data: no audit entry."""

from datetime import date, datetime, timedelta

from django.utils import timezone

from tisser.accounts.models import Organisation, User
from tisser.core.audit import audit_record
from tisser.core.enums import Role
from tisser.network.metrics import NetworkHistory, network_history, week_end, week_start
from tisser.network.models import Contact, NetworkSnapshot


def _snapshot_write(
    *, owner_id: int, monday: date, history: NetworkHistory, now: datetime
) -> NetworkSnapshot:
    metrics = history.metrics_at(min(week_end(monday), now))
    snapshot, created = NetworkSnapshot.objects.update_or_create(
        owner_id=owner_id,
        week=monday,
        defaults={
            "contacts": metrics.contacts,
            "interviews_done": metrics.interviews_done,
            "referrals": metrics.referrals,
            "sectors": metrics.sectors,
            "taken_at": now,
        },
    )
    if created and snapshot.taken_at != now:
        # auto_now_add stamps a new row with the clock, not with the `now` measured at.
        NetworkSnapshot.objects.filter(pk=snapshot.pk).update(taken_at=now)
        snapshot.taken_at = now
    return snapshot


def network_snapshot_take(
    *, owner: User, week: date, now: datetime | None = None
) -> NetworkSnapshot:
    """Record the figures of `owner`'s network for the week of `week` (any day of it; stored
    under its Monday). Safe to repeat: one row per person and week, updated. A week that has
    not started yet is refused (ValueError)."""
    now = now or timezone.now()
    monday = week_start(week)
    if monday > timezone.localdate(now):
        raise ValueError("cannot take the snapshot of a week that has not started")
    return _snapshot_write(
        owner_id=owner.pk, monday=monday, history=network_history(owner.pk), now=now
    )


def network_snapshots_refresh(*, now: datetime | None = None) -> int:
    """Take the current week's snapshot of every beneficiary who has at least one contact,
        and fix last week's where it was taken before that week ended (or not at all, unless the
    network started this week). Returns
        how many snapshots were written. Cheap and idempotent: three queries to read each network,
        one write per snapshot; run daily by `network_snapshots_take`, and by `seed_demo`."""
    now = now or timezone.now()
    this_week = week_start(timezone.localdate(now))
    last_week = this_week - timedelta(weeks=1)
    owners = (
        Contact.objects.filter(
            owner__memberships__role=Role.BENEFICIARY, owner__memberships__is_active=True
        )
        .values_list("owner_id", flat=True)
        .distinct()
        .order_by("owner_id")
    )
    last_week_fixed = set(
        NetworkSnapshot.objects.filter(
            week=last_week, taken_at__gte=min(week_end(last_week), now)
        ).values_list("owner_id", flat=True)
    )
    written = 0
    for owner_id in owners:
        history = network_history(owner_id)
        started_on = history.started_on
        if started_on is None:
            # Their last contact was deleted since `owners` was read: nothing to measure.
            continue
        weeks = [this_week]
        if owner_id not in last_week_fixed and started_on <= week_end(last_week):
            weeks.insert(0, last_week)
        for monday in weeks:
            _snapshot_write(owner_id=owner_id, monday=monday, history=history, now=now)
            written += 1
    return written


def network_graph_read(*, actor: User, owner: User, organisation: Organisation) -> None:
    """Record that `actor` (the person's consultant, who was shared the network) read the
    network of `owner`: names of third parties are sensitive. Nothing is recorded when the
    person reads their own."""
    if actor.pk == owner.pk:
        return
    audit_record(actor=actor, action="network.graph_read", target=owner, organisation=organisation)
