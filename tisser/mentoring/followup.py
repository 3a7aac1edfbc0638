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

import itertools
from collections import Counter
from datetime import datetime, timedelta
from functools import partial

from django.db.models import Q
from django.utils import timezone

from tisser.accounts.job_scope import Batch, batch_cut, batches_every
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


# Mentorships a batch (`tisser.accounts.job_scope`): each calls for at most two invitations on
# two channels and one alert per coordinator, which stays within one outbox batch.
FOLLOWUPS_BATCH = 100


def _feedback_due(mentorship: Mentorship, now: datetime) -> bool:
    return now - FEEDBACK_DAY_30 - REMINDER_WINDOW < mentorship.started_at <= now - FEEDBACK_DAY_30


def _feedback_planned(mentorship: Mentorship, now: datetime, given: set):
    for member in (mentorship.mentee, mentorship.mentor.user):
        if not member.is_active or (mentorship.pk, member.pk) in given:
            continue
        for channel in channels_for(member):
            yield PlannedNotification(
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


def _inactive_planned(mentorship: Mentorship, now: datetime, coordinators: list[User]):
    since = last_activity(mentorship)
    mark = f"{timezone.localtime(since):%Y%m%d%H%M%S}"
    for coordinator in coordinators:
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


def followups_batch(
    *, organisation_id: int, after: int | None = None, now: datetime | None = None
) -> Batch:
    """One batch of `followups_plan`: the FOLLOWUPS_BATCH active mentorships of the
    organisation after the mentorship `after` that either reached their 30th day in the window
    or have been quiet long enough to be looked at. Five queries whatever the batch
    holds: the mentorships with their last meeting, the feedback given, the coordinators, the
    keys already queued and one INSERT. The count is the number of invitations and alerts
    created."""
    now = now or timezone.now()
    mentorships = Mentorship.objects.active().filter(
        Q(
            started_at__lte=now - FEEDBACK_DAY_30,
            started_at__gt=now - FEEDBACK_DAY_30 - REMINDER_WINDOW,
        )
        | Q(last_activity_at__lte=now - timedelta(days=INACTIVE_DAYS)),
        organisation_id=organisation_id,
    )
    if after is not None:
        mentorships = mentorships.filter(pk__gt=after)
    mentorships, cursor = batch_cut(
        list(
            with_activity(
                mentorships.select_related(
                    "mentee__notification_preference", "mentor__user__notification_preference"
                ).order_by("pk"),
                now=now,
            )[: FOLLOWUPS_BATCH + 1]
        ),
        FOLLOWUPS_BATCH,
    )
    due = [m for m in mentorships if _feedback_due(m, now)]
    given = set(
        Feedback.objects.filter(
            mentorship__organisation_id=organisation_id,
            mentorship__pk__in=[m.pk for m in mentorships],
            stage=Feedback.Stage.DAY_30,
        ).values_list("mentorship_id", "author_id")
    )
    quiet = [m for m in mentorships if is_inactive(m, now=now)]
    coordinators = list(User.objects.coordinators_of(organisation_id))
    created: Counter = Counter()
    notifications_bulk_get_or_create(
        itertools.chain(
            (n for m in due for n in _feedback_planned(m, now, given)),
            (n for m in quiet for n in _inactive_planned(m, now, coordinators)),
        ),
        created_by_kind=created,
    )
    return Batch(
        {
            "feedback_due": created[MentoringNotice.MENTORING_FEEDBACK_DUE],
            "inactive": created[MentoringNotice.MENTORING_INACTIVE],
        },
        cursor,
    )


def followups_plan(
    *, now: datetime | None = None, organisation_id: int | None = None
) -> dict[str, int]:
    """Queue the feedback invitations and inactivity alerts due at `now` (see the module
    docstring), for the mentorships of `organisation_id` (of every organisation when None),
    batch after batch. Returns how many notifications of each were created; running it again
    creates none."""
    now = now or timezone.now()
    return batches_every(partial(followups_batch, now=now), organisation_id) or {
        "feedback_due": 0,
        "inactive": 0,
    }
