"""What an enquête-métier calls for next, as a to-do in the app (`network_todos`, the page
"À faire") and as a reminder in the outbox (`reminders_plan`, once a day through the task
`network_reminders_plan`, queued by `manage.py notifications_run`). The same rules serve both:

* follow up a contact who has not answered TISSER_NETWORK_FOLLOW_UP_DAYS (7 by default) after
  the message was sent, or after the last follow-up;
* thank the person THANK_DELAY after the interview, if not done yet;
* ask for another contact to meet THANK_DELAY + ASK_REFERRAL_DELAY after thanking, while the
  enquête is still open and nobody was introduced by that contact yet.

Each reminder goes to the person in the app and, unless they turned e-mail reminders off, by
e-mail. Its idempotency key names the enquête, the stage it answers (and the day it was
reached) and the channel: planning again changes nothing, so each reminder leaves once per
stage (a second follow-up, on another day, gets its own). A reminder is only sent during
REMINDER_WINDOW after it falls due, so that switching the planner on (or back on after an
outage) does not flood people with reminders about enquêtes long dormant; the to-do list keeps
showing them."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import partial

from django.conf import settings
from django.utils import timezone

from tisser.accounts.job_scope import Batch, batch_cut, batches_every
from tisser.accounts.models import User
from tisser.network.models import Contact, InformationalInterview, Stage
from tisser.network.notice_kinds import NetworkNotice
from tisser.network.notices import network_reminder_content
from tisser.notifications.services import (
    PlannedNotification,
    channels_for,
    notifications_bulk_get_or_create,
)

THANK_DELAY = timedelta(days=2)
ASK_REFERRAL_DELAY = timedelta(days=3)
REMINDER_WINDOW = timedelta(days=14)

KEY_PREFIX = {
    NetworkNotice.NETWORK_FOLLOW_UP: "follow_up",
    NetworkNotice.NETWORK_THANK: "thank",
    NetworkNotice.NETWORK_ASK_REFERRAL: "ask_referral",
}
Outcome = InformationalInterview.Outcome


def follow_up_delay() -> timedelta:
    return timedelta(days=getattr(settings, "TISSER_NETWORK_FOLLOW_UP_DAYS", 7))


@dataclass(frozen=True)
class Todo:
    """One thing an enquête calls for: what, and since when."""

    kind: NetworkNotice
    interview: InformationalInterview
    due: datetime

    @property
    def stage(self) -> str:
        return self.interview.stage


def todo_of(interview: InformationalInterview, *, referred: bool) -> Todo | None:
    """What `interview` calls for now or later (None: nothing). `referred`: someone was
    already introduced by its contact."""
    since = interview.stage_changed_at
    stage, outcome = interview.stage, interview.outcome
    if stage in (Stage.MESSAGE_SENT, Stage.FOLLOWED_UP) and outcome == Outcome.OPEN:
        return Todo(NetworkNotice.NETWORK_FOLLOW_UP, interview, since + follow_up_delay())
    if stage == Stage.INTERVIEW_DONE and outcome != Outcome.DROPPED:
        return Todo(NetworkNotice.NETWORK_THANK, interview, since + THANK_DELAY)
    if stage == Stage.THANKED and outcome == Outcome.OPEN and not referred:
        return Todo(NetworkNotice.NETWORK_ASK_REFERRAL, interview, since + ASK_REFERRAL_DELAY)
    return None


def _candidates():
    return InformationalInterview.objects.filter(
        stage__in=(Stage.MESSAGE_SENT, Stage.FOLLOWED_UP, Stage.INTERVIEW_DONE, Stage.THANKED)
    ).exclude(outcome__in=(Outcome.CLOSED, Outcome.DROPPED))


def _referring_contacts(interviews: list[InformationalInterview]) -> set[int]:
    """The contacts of `interviews` who already introduced someone."""
    return set(
        Contact.objects.filter(
            introduced_by_id__in={i.contact_id for i in interviews if i.stage == Stage.THANKED}
        ).values_list("introduced_by_id", flat=True)
    )


def todos_of(interviews: list[InformationalInterview], *, until: datetime) -> list[Todo]:
    """The to-dos of `interviews` due by `until`, the oldest first."""
    referring = _referring_contacts(interviews)
    todos = []
    for interview in interviews:
        todo = todo_of(interview, referred=interview.contact_id in referring)
        if todo is not None and todo.due <= until:
            todos.append(todo)
    return sorted(todos, key=lambda todo: (todo.due, todo.interview.pk))


def network_todos(owner: User, today: date) -> list[Todo]:
    """What `owner`'s enquêtes call for by the end of `today`, the oldest first, however
    long ago it fell due. Three queries."""
    interviews = list(_candidates().filter(owner=owner).select_related("contact", "metier"))
    end_of_day = timezone.make_aware(datetime.combine(today, time.max))
    return todos_of(interviews, until=end_of_day)


def reminder_key(todo: Todo, channel: str) -> str:
    # The day the stage was reached: following up a second time, on another day, is a stage
    # reached anew and calls for its own reminder.
    reached = timezone.localtime(todo.interview.stage_changed_at).strftime("%Y%m%d")
    return (
        f"network:{KEY_PREFIX[todo.kind]}:interview{todo.interview.pk}:"
        f"{todo.stage}:{reached}:{channel}"
    )


# Enquêtes a batch (`tisser.accounts.job_scope`): one reminder each at most, on two channels.
REMINDERS_BATCH = 400


def reminders_plan(*, now: datetime | None = None, organisation_id: int | None = None) -> int:
    """Queue the reminders due by `now` and at most REMINDER_WINDOW old (see the module
    docstring), for the enquêtes with the contacts of `organisation_id` (every organisation
    when None), batch after batch. Returns how many notifications were created; running it
    again creates none."""
    now = now or timezone.now()
    return batches_every(partial(reminders_batch, now=now), organisation_id)


def reminders_batch(
    *, organisation_id: int, after: int | None = None, now: datetime | None = None
) -> Batch:
    """One batch of `reminders_plan`: the REMINDERS_BATCH enquêtes in the window after the
    enquête `after`. Four queries whatever the batch holds: the enquêtes, the contacts who
    introduced someone, the keys already queued and one INSERT."""
    now = now or timezone.now()
    longest = max(follow_up_delay(), THANK_DELAY, ASK_REFERRAL_DELAY)
    interviews = _candidates().filter(
        contact__organisation_id=organisation_id,
        stage_changed_at__gte=now - longest - REMINDER_WINDOW,
        owner__is_active=True,
    )
    if after is not None:
        interviews = interviews.filter(pk__gt=after)
    interviews, cursor = batch_cut(
        list(
            interviews.select_related("contact", "owner__notification_preference").order_by("pk")[
                : REMINDERS_BATCH + 1
            ]
        ),
        REMINDERS_BATCH,
    )
    created = notifications_bulk_get_or_create(
        PlannedNotification(
            recipient=todo.interview.owner,
            channel=channel,
            kind=todo.kind,
            idempotency_key=reminder_key(todo, channel),
            content=partial(
                network_reminder_content, todo=todo, recipient=todo.interview.owner, channel=channel
            ),
            scheduled_for=now,
            about=todo.interview,
        )
        for todo in todos_of(interviews, until=now)
        if now < todo.due + REMINDER_WINDOW
        for channel in channels_for(todo.interview.owner)
    )
    return Batch(created, cursor)
