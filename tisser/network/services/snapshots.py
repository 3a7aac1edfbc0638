"""The weekly snapshots of a network's size, and the record of a consultant reading it.

A snapshot holds the figures of `tisser.network.metrics` for one week (keyed on its Monday),
as of the end of that week, or as of now while the week is not over. Taking it again replaces
its figures: the daily task refreshes the current week every day, and the last run of a week
(or the first one of the next) fixes it. Snapshots are derived data: no audit entry."""

from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from tisser.accounts.models import Membership, Organisation, User
from tisser.core.audit import audit_record
from tisser.core.daily_jobs import batch_begin
from tisser.core.enums import Role
from tisser.network.metrics import (
    NetworkHistory,
    network_histories,
    network_history,
    week_end,
    week_start,
)
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


# Networks read, and snapshots written, per round of `network_snapshots_refresh`.
SNAPSHOT_CHUNK = 1000
_FIGURES = ("contacts", "interviews_done", "referrals", "sectors", "taken_at")


def _owners(organisation_id: int | None):
    """The people whose network is measured: active beneficiaries (of `organisation_id`, or
    of any organisation) with at least one contact."""
    memberships = Membership.objects.filter(role=Role.BENEFICIARY, is_active=True).filter(
        Exists(Contact.objects.filter(owner_id=OuterRef("user_id")))
    )
    if organisation_id is not None:
        memberships = memberships.filter(organisation_id=organisation_id)
    return memberships.values_list("user_id", flat=True).distinct().order_by("user_id")


def network_snapshots_refresh(
    *, now: datetime | None = None, organisation_id: int | None = None
) -> int:
    """Take the current week's snapshot of every beneficiary (of `organisation_id`, or of
    every organisation) who has at least one contact, and fix last week's where it was taken
    before that week ended (or not at all, unless the network started this week). Returns how
    many snapshots were written. Idempotent, and in a bounded number of queries: the people
    are read once, then per thousand of them, their networks (three queries), the snapshots
    already fixed, one upsert and one stamp per week; run daily by `network_snapshots_take`,
    and by `seed_demo`."""
    now = now or timezone.now()
    this_week = week_start(timezone.localdate(now))
    last_week = this_week - timedelta(weeks=1)
    owners = list(_owners(organisation_id))
    written = 0
    for start in range(0, len(owners), SNAPSHOT_CHUNK):
        batch_begin()
        chunk = owners[start : start + SNAPSHOT_CHUNK]
        histories = network_histories(chunk)
        last_week_fixed = set(
            NetworkSnapshot.objects.filter(
                owner_id__in=chunk, week=last_week, taken_at__gte=min(week_end(last_week), now)
            ).values_list("owner_id", flat=True)
        )
        rows = []
        for owner_id in chunk:
            history = histories[owner_id]
            if history.started_on is None:
                # Their last contact was deleted since `owners` was read: nothing to measure.
                continue
            weeks = [this_week]
            if owner_id not in last_week_fixed and history.started_on <= week_end(last_week):
                weeks.insert(0, last_week)
            for monday in weeks:
                metrics = history.metrics_at(min(week_end(monday), now))
                rows.append(
                    NetworkSnapshot(
                        owner_id=owner_id,
                        week=monday,
                        contacts=metrics.contacts,
                        interviews_done=metrics.interviews_done,
                        referrals=metrics.referrals,
                        sectors=metrics.sectors,
                        taken_at=now,
                    )
                )
        if not rows:
            continue
        with transaction.atomic():
            NetworkSnapshot.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["owner", "week"],
                update_fields=_FIGURES,
            )
            # auto_now_add stamps the rows with the clock, not with the `now` measured at.
            for monday in {row.week for row in rows}:
                NetworkSnapshot.objects.filter(
                    owner_id__in=[row.owner_id for row in rows if row.week == monday],
                    week=monday,
                ).update(taken_at=now)
        written += len(rows)
    return written


def network_graph_read(*, actor: User, owner: User, organisation: Organisation) -> None:
    """Record that `actor` (the person's consultant, who was shared the network) read the
    network of `owner`: names of third parties are sensitive. Nothing is recorded when the
    person reads their own."""
    if actor.pk == owner.pk:
        return
    audit_record(actor=actor, action="network.graph_read", target=owner, organisation=organisation)
