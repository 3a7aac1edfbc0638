"""Gentle nudges of peer groups, planned once a day (task `peers_nudges_plan`, queued by
`manage.py notifications_run`):

* the day before a period ends (or on its last day, if the planner missed the day before),
  each current member with commitments of that period not checked in yet is invited to say
  how they went (PEER_COMMITMENT_NUDGE), once per period;
* a member who, after RECIPROCITY_AFTER recorded contributions in a group, only gave or only
  received is told, kindly, that the other way round is welcome too (PEER_RECIPROCITY_NUDGE),
  at most once a month;
* an active group without any activity for `health.FADING_DAYS` days is signalled to the
  coordinators of its organisation (PEER_GROUP_FADING), once per silence: the key holds the
  moment of the last activity, so a new silence after some activity is signalled again.

Every message has an idempotency key: running the planner twice changes nothing. Messages
never quote a commitment, a comment or a contribution."""

from collections import defaultdict
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tisser.accounts.models import User
from tisser.core.dates import french_date
from tisser.notifications.content import Content, absolute_url
from tisser.notifications.models import Channel
from tisser.notifications.services import (
    PlannedNotification,
    channels_for,
    notifications_bulk_get_or_create,
)
from tisser.peers.health import FADING_DAYS, is_fading, last_activity, with_activity
from tisser.peers.models import Commitment, Contribution, PeerGroup, PeerGroupMember
from tisser.peers.notice_kinds import PeerNotice
from tisser.peers.periods import period_of

RECIPROCITY_AFTER = 4


def _body(lines: list[str], *, recipient: User, channel: str, path: str) -> str:
    if channel == Channel.EMAIL:
        name = recipient.get_short_name() or recipient.get_full_name() or recipient.email
        lines = [
            _("Bonjour %(name)s,") % {"name": name},
            "",
            *lines,
            "",
            absolute_url(path),
            "",
            _("— Tisser"),
        ]
    return "\n".join(lines).strip() + "\n"


def _override(recipient: User):
    return translation.override(recipient.preferred_language or settings.LANGUAGE_CODE)


def commitment_nudge_content(*, group: PeerGroup, count: int, recipient: User, channel: str):
    path = reverse("peers:commitments", args=[group.pk])
    with _override(recipient):
        subject = _("Vos engagements dans « %(name)s » : où en êtes-vous ?") % {"name": group.name}
        lines = [
            _(
                "La période se termine bientôt et %(count)s de vos engagements attendent leur "
                "bilan. Fait, en partie ou pas fait : chaque réponse aide le groupe à avancer "
                "avec vous."
            )
            % {"count": count}
        ]
        body = _body(lines, recipient=recipient, channel=channel, path=path)
    return Content(subject=subject, body=body, url=path)


def reciprocity_nudge_content(*, group: PeerGroup, gives: bool, recipient: User, channel: str):
    path = reverse("peers:help", args=[group.pk])
    with _override(recipient):
        subject = _("Donner et recevoir dans « %(name)s »") % {"name": group.name}
        if gives:
            line = _(
                "Vous avez beaucoup aidé les autres membres, merci. Le groupe est là pour vous "
                "aussi : n'hésitez pas à demander un retour, un contact ou un peu de temps."
            )
        else:
            line = _(
                "Les autres membres vous ont aidé·e à plusieurs reprises. À votre tour, un "
                "retour, une ressource ou un contact peut beaucoup compter pour eux."
            )
        body = _body([line], recipient=recipient, channel=channel, path=path)
    return Content(subject=subject, body=body, url=path)


def fading_content(*, group: PeerGroup, since: datetime, recipient: User) -> Content:
    path = reverse("peers:health")
    with _override(recipient):
        context = {
            "name": group.name,
            "days": FADING_DAYS,
            "since": french_date(timezone.localtime(since), "j F Y"),
        }
        subject = _("Groupe de pairs sans activité : %(name)s") % context
        lines = [
            _(
                "Ni engagement, ni entraide, ni rencontre depuis le %(since)s (plus de "
                "%(days)s jours). Un mot au groupe peut l'aider à repartir."
            )
            % context
        ]
        body = _body(lines, recipient=recipient, channel=Channel.IN_APP, path=path)
    return Content(subject=subject, body=body, url=path)


def _current_members(groups) -> dict[int, list[User]]:
    members: dict[int, list[User]] = defaultdict(list)
    for membership in (
        PeerGroupMember.objects.filter(
            group__in=groups, status=PeerGroupMember.Status.ACCEPTED, user__is_active=True
        )
        .select_related("user__notification_preference")
        .order_by("group_id", "position", "pk")
    ):
        members[membership.group_id].append(membership.user)
    return members


def _active_groups(organisation_id: int | None):
    groups = PeerGroup.objects.filter(status=PeerGroup.Status.ACTIVE)
    if organisation_id is not None:
        groups = groups.filter(organisation_id=organisation_id)
    return groups


def _commitments(now: datetime, organisation_id: int | None) -> int:
    today = timezone.localdate(now)
    groups = list(_active_groups(organisation_id).order_by("pk"))
    ending = {}
    for group in groups:
        period = period_of(group.rhythm, today)
        if today >= period.end - timedelta(days=1):
            ending[group.pk] = period
    if not ending:
        return 0
    members = _current_members(list(ending))
    # The groups ending a period, by the period's first day: one statement per first day.
    by_start: dict = defaultdict(list)
    for group_id, period in ending.items():
        by_start[period.start].append(group_id)
    open_counts: dict[tuple[int, int], int] = {}
    for start, group_ids in by_start.items():
        for group_id, user_id, count in (
            Commitment.objects.filter(
                group_id__in=group_ids, period_start=start, checked_in_at__isnull=True
            )
            .order_by()
            .values("group_id", "user_id")
            .annotate(n=Count("pk"))
            .values_list("group_id", "user_id", "n")
        ):
            open_counts[group_id, user_id] = count
    created = notifications_bulk_get_or_create(
        PlannedNotification(
            recipient=user,
            channel=channel,
            kind=PeerNotice.PEER_COMMITMENT_NUDGE,
            idempotency_key=(
                f"peers:commitments:g{group.pk}:{ending[group.pk].start:%Y%m%d}"
                f":u{user.pk}:{channel}"
            ),
            content=partial(
                commitment_nudge_content,
                group=group,
                count=open_counts[group.pk, user.pk],
                recipient=user,
                channel=channel,
            ),
            scheduled_for=now,
        )
        for group in groups
        if group.pk in ending
        for user in members[group.pk]
        if open_counts.get((group.pk, user.pk))
        for channel in channels_for(user)
    )
    for start, group_ids in by_start.items():
        Commitment.objects.filter(
            group_id__in=group_ids,
            period_start=start,
            checked_in_at__isnull=True,
            reminded_at__isnull=True,
        ).update(reminded_at=now)
    return created


def _counts_by_member(contributions, field: str) -> dict[tuple[int, int], int]:
    rows = (
        contributions.order_by()
        .values("group_id", field)
        .annotate(n=Count("pk"))
        .values_list("group_id", field, "n")
    )
    return {(group_id, user_id): n for group_id, user_id, n in rows}


def _reciprocity(now: datetime, organisation_id: int | None) -> int:
    month = f"{timezone.localdate(now):%Y%m}"
    groups = _active_groups(organisation_id)
    members = _current_members(groups)
    contributions = Contribution.objects.filter(group__in=groups)
    given = _counts_by_member(contributions, "giver_id")
    received = _counts_by_member(contributions, "receiver_id")

    def planned():
        for group in groups.order_by("pk"):
            for user in members[group.pk]:
                gave = given.get((group.pk, user.pk), 0)
                got = received.get((group.pk, user.pk), 0)
                if gave + got < RECIPROCITY_AFTER or (gave and got):
                    continue
                for channel in channels_for(user):
                    yield PlannedNotification(
                        recipient=user,
                        channel=channel,
                        kind=PeerNotice.PEER_RECIPROCITY_NUDGE,
                        idempotency_key=(
                            f"peers:reciprocity:g{group.pk}:u{user.pk}:{month}:{channel}"
                        ),
                        content=partial(
                            reciprocity_nudge_content,
                            group=group,
                            gives=bool(gave),
                            recipient=user,
                            channel=channel,
                        ),
                        scheduled_for=now,
                    )

    return notifications_bulk_get_or_create(planned())


def _fading(now: datetime, organisation_id: int | None) -> int:
    quiet_since = now - timedelta(days=FADING_DAYS)
    groups = with_activity(
        _active_groups(organisation_id)
        .filter(Q(last_activity_at__isnull=True) | Q(last_activity_at__lte=quiet_since))
        .order_by("pk"),
        now=now,
    )
    coordinators: dict[int, list[User]] = {}

    def planned():
        for group in groups:
            if not is_fading(group, now=now):
                continue
            if group.organisation_id not in coordinators:
                coordinators[group.organisation_id] = list(
                    User.objects.coordinators_of(group.organisation_id)
                )
            since = last_activity(group)
            mark = f"{timezone.localtime(since):%Y%m%d%H%M%S}"
            for coordinator in coordinators[group.organisation_id]:
                yield PlannedNotification(
                    recipient=coordinator,
                    channel=Channel.IN_APP,
                    kind=PeerNotice.PEER_GROUP_FADING,
                    idempotency_key=f"peers:fading:g{group.pk}:{mark}:u{coordinator.pk}",
                    content=partial(
                        fading_content, group=group, since=since, recipient=coordinator
                    ),
                    scheduled_for=now,
                )

    return notifications_bulk_get_or_create(planned())


def nudges_plan(
    *, now: datetime | None = None, organisation_id: int | None = None
) -> dict[str, int]:
    """Queue the nudges due at `now` (see the module docstring), for the groups of
    `organisation_id` (of every organisation when None). Returns how many notifications of
    each were created. A bounded number of queries, whatever the number of groups and
    members: the groups, their members and counts, then two per thousand messages."""
    now = now or timezone.now()
    return {
        "commitments": _commitments(now, organisation_id),
        "reciprocity": _reciprocity(now, organisation_id),
        "fading": _fading(now, organisation_id),
    }
