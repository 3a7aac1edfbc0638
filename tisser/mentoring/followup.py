"""Follow-up of mentorships, planned once a day (task `mentoring_followups_plan`, queued by
`manage.py notifications_run`):

* 30 days after the start, both members are invited to give their view (MENTORING_FEEDBACK_DUE),
  unless they already did; only during REMINDER_WINDOW after it falls due, so that switching
  the planner on does not flood people about mentorships long started;
* an active mentorship without any activity (news, thanks, goals, agreement, a held meeting)
  for `health.INACTIVE_DAYS` days is signalled to the coordinators of its organisation
  (MENTORING_INACTIVE), once per silence: the key holds the moment of the last activity, so a
  new silence after some activity is signalled again.

Every message has an idempotency key: running the planner twice changes nothing."""

from datetime import datetime, timedelta
from functools import partial

from django.utils import timezone

from tisser.accounts.models import User
from tisser.mentoring.health import INACTIVE_DAYS, is_inactive, last_activity, with_activity
from tisser.mentoring.models import Feedback, Mentorship
from tisser.mentoring.notice_kinds import MentoringNotice
from tisser.mentoring.services.space import FEEDBACK_DAY_30
from tisser.mentoring.space_notices import feedback_due_content, inactive_content
from tisser.notifications.models import Channel
from tisser.notifications.services import (
    PlannedNotification,
    channels_for,
    notifications_bulk_get_or_create,
)

REMINDER_WINDOW = timedelta(days=14)


def _feedback_due(now: datetime, organisation_id: int | None) -> int:
    mentorships = Mentorship.objects.active().filter(
        started_at__lte=now - FEEDBACK_DAY_30,
        started_at__gt=now - FEEDBACK_DAY_30 - REMINDER_WINDOW,
    )
    if organisation_id is not None:
        mentorships = mentorships.filter(organisation_id=organisation_id)
    given = set(
        Feedback.objects.filter(
            mentorship__in=mentorships, stage=Feedback.Stage.DAY_30
        ).values_list("mentorship_id", "author_id")
    )
    return notifications_bulk_get_or_create(
        PlannedNotification(
            recipient=member,
            channel=channel,
            kind=MentoringNotice.MENTORING_FEEDBACK_DUE,
            idempotency_key=f"mentoring:feedback:day_30:m{mentorship.pk}:u{member.pk}:{channel}",
            content=partial(
                feedback_due_content,
                mentorship=mentorship,
                stage=Feedback.Stage.DAY_30,
                recipient=member,
                channel=channel,
            ),
            scheduled_for=now,
            about=mentorship,
        )
        for mentorship in mentorships.select_related(
            "mentee__notification_preference", "mentor__user__notification_preference"
        )
        .order_by("pk")
        .iterator(chunk_size=1000)
        for member in (mentorship.mentee, mentorship.mentor.user)
        if member.is_active and (mentorship.pk, member.pk) not in given
        for channel in channels_for(member)
    )


def _inactive(now: datetime, organisation_id: int | None) -> int:
    quiet_since = now - timedelta(days=INACTIVE_DAYS)
    mentorships = Mentorship.objects.active().filter(last_activity_at__lte=quiet_since)
    if organisation_id is not None:
        mentorships = mentorships.filter(organisation_id=organisation_id)
    mentorships = with_activity(
        mentorships.select_related("mentee", "mentor__user").order_by("pk"), now=now
    )
    coordinators: dict[int, list[User]] = {}

    def planned():
        for mentorship in mentorships.iterator(chunk_size=1000):
            if not is_inactive(mentorship, now=now):
                continue
            organisation_id = mentorship.organisation_id
            if organisation_id not in coordinators:
                coordinators[organisation_id] = list(User.objects.coordinators_of(organisation_id))
            since = last_activity(mentorship)
            mark = f"{timezone.localtime(since):%Y%m%d%H%M%S}"
            for coordinator in coordinators[organisation_id]:
                yield PlannedNotification(
                    recipient=coordinator,
                    channel=Channel.IN_APP,
                    kind=MentoringNotice.MENTORING_INACTIVE,
                    idempotency_key=f"mentoring:inactive:m{mentorship.pk}:{mark}:u{coordinator.pk}",
                    content=partial(
                        inactive_content,
                        mentorship=mentorship,
                        since=since,
                        recipient=coordinator,
                        days=INACTIVE_DAYS,
                    ),
                    scheduled_for=now,
                )

    return notifications_bulk_get_or_create(planned())


def followups_plan(
    *, now: datetime | None = None, organisation_id: int | None = None
) -> dict[str, int]:
    """Queue the feedback invitations and inactivity alerts due at `now` (see the module
    docstring), for the mentorships of `organisation_id` (of every organisation when None).
    Returns how many notifications of each were created. A bounded number of queries: the
    mentorships, the feedback given, the coordinators, then two per thousand messages."""
    now = now or timezone.now()
    return {
        "feedback_due": _feedback_due(now, organisation_id),
        "inactive": _inactive(now, organisation_id),
    }
