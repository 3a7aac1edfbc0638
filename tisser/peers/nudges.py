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

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tisser.accounts.models import User
from tisser.core.dates import french_date
from tisser.notifications.content import Content, absolute_url
from tisser.notifications.models import Channel
from tisser.notifications.services import channels_for, notification_get_or_create
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


def _commitments(now: datetime) -> int:
    today = timezone.localdate(now)
    groups = list(PeerGroup.objects.filter(status=PeerGroup.Status.ACTIVE).order_by("pk"))
    ending = {}
    for group in groups:
        period = period_of(group.rhythm, today)
        if today >= period.end - timedelta(days=1):
            ending[group.pk] = period
    if not ending:
        return 0
    members = _current_members(list(ending))
    created = 0
    for group in groups:
        period = ending.get(group.pk)
        if period is None:
            continue
        open_counts = dict(
            Commitment.objects.filter(
                group=group, period_start=period.start, checked_in_at__isnull=True
            )
            .order_by()
            .values("user_id")
            .annotate(n=Count("pk"))
            .values_list("user_id", "n")
        )
        with transaction.atomic():
            for user in members[group.pk]:
                count = open_counts.get(user.pk)
                if not count:
                    continue
                for channel in channels_for(user):
                    content = commitment_nudge_content(
                        group=group, count=count, recipient=user, channel=channel
                    )
                    _row, was_created = notification_get_or_create(
                        recipient=user,
                        channel=channel,
                        kind=PeerNotice.PEER_COMMITMENT_NUDGE,
                        idempotency_key=(
                            f"peers:commitments:g{group.pk}:{period.start:%Y%m%d}"
                            f":u{user.pk}:{channel}"
                        ),
                        subject=content.subject,
                        body=content.body,
                        url=content.url,
                        scheduled_for=now,
                    )
                    created += was_created
            Commitment.objects.filter(
                group=group,
                period_start=period.start,
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


def _reciprocity(now: datetime) -> int:
    month = f"{timezone.localdate(now):%Y%m}"
    groups = PeerGroup.objects.filter(status=PeerGroup.Status.ACTIVE)
    members = _current_members(groups)
    contributions = Contribution.objects.filter(group__in=groups)
    given = _counts_by_member(contributions, "giver_id")
    received = _counts_by_member(contributions, "receiver_id")
    created = 0
    for group in groups.order_by("pk"):
        for user in members[group.pk]:
            gave, got = given.get((group.pk, user.pk), 0), received.get((group.pk, user.pk), 0)
            if gave + got < RECIPROCITY_AFTER or (gave and got):
                continue
            for channel in channels_for(user):
                content = reciprocity_nudge_content(
                    group=group, gives=bool(gave), recipient=user, channel=channel
                )
                _row, was_created = notification_get_or_create(
                    recipient=user,
                    channel=channel,
                    kind=PeerNotice.PEER_RECIPROCITY_NUDGE,
                    idempotency_key=f"peers:reciprocity:g{group.pk}:u{user.pk}:{month}:{channel}",
                    subject=content.subject,
                    body=content.body,
                    url=content.url,
                    scheduled_for=now,
                )
                created += was_created
    return created


def _fading(now: datetime) -> int:
    quiet_since = now - timedelta(days=FADING_DAYS)
    groups = with_activity(
        PeerGroup.objects.filter(status=PeerGroup.Status.ACTIVE)
        .filter(Q(last_activity_at__isnull=True) | Q(last_activity_at__lte=quiet_since))
        .order_by("pk"),
        now=now,
    )
    coordinators: dict[int, list[User]] = {}
    created = 0
    for group in groups:
        if not is_fading(group, now=now):
            continue
        if group.organisation_id not in coordinators:
            coordinators[group.organisation_id] = list(
                User.objects.coordinators_of(group.organisation_id)
            )
        since = last_activity(group)
        mark = f"{timezone.localtime(since):%Y%m%d%H%M%S}"
        with transaction.atomic():
            for coordinator in coordinators[group.organisation_id]:
                content = fading_content(group=group, since=since, recipient=coordinator)
                _row, was_created = notification_get_or_create(
                    recipient=coordinator,
                    channel=Channel.IN_APP,
                    kind=PeerNotice.PEER_GROUP_FADING,
                    idempotency_key=f"peers:fading:g{group.pk}:{mark}:u{coordinator.pk}",
                    subject=content.subject,
                    body=content.body,
                    url=content.url,
                    scheduled_for=now,
                )
                created += was_created
    return created


def nudges_plan(*, now: datetime | None = None) -> dict[str, int]:
    """Queue the nudges due at `now` (see the module docstring). Returns how many
    notifications of each were created."""
    now = now or timezone.now()
    return {
        "commitments": _commitments(now),
        "reciprocity": _reciprocity(now),
        "fading": _fading(now),
    }
