"""Reminders after the bilan, planned once a day (task `bilans_followup_remind`, queued by
`manage.py notifications_run`):

* the satisfaction questionnaire at the end (Qualiopi indicator 30): a reminder when it is
  still unanswered SATISFACTION_END_DELAY after the end; the one at +6 months: a reminder
  when it opens, six months after the end, if unanswered;
* the isolation check to take again at the end of the bilan, and three and six months
  after it, unless the person already took the check of that moment since the bilan
  opened.

Each reminder goes to the beneficiary in the app and, unless they turned e-mail reminders
off, by e-mail. Its idempotency key names the bilan, the moment and the channel: planning
again changes nothing, so each reminder leaves once. A moment is only reminded during
REMINDER_WINDOW after it falls due, so that switching the planner on (or back on after an
outage) does not flood people with reminders about moments long past."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from tisser.accounts.job_scope import Batch, batch_cut, batches_every
from tisser.assessments.models import IsolationCheck
from tisser.bilans import satisfaction
from tisser.bilans.models import Bilan, Phase, SatisfactionMoment, SatisfactionResponse
from tisser.bilans.notice_kinds import BilanNotice
from tisser.bilans.notices import isolation_check_reminder_content, satisfaction_reminder_content
from tisser.notifications.services import (
    PlannedNotification,
    channels_for,
    notifications_bulk_get_or_create,
)

SATISFACTION_END_DELAY = timedelta(days=5)
REMINDER_WINDOW = timedelta(days=30)
MONTHS_3 = relativedelta(months=3)
MONTHS_6 = relativedelta(months=6)


@dataclass(frozen=True)
class Reminder:
    """One reminder a closed bilan calls for: what, for which moment, due when."""

    kind: BilanNotice
    moment: str
    due: datetime


def reminders_of(closed_at: datetime) -> list[Reminder]:
    """Every reminder a bilan closed at `closed_at` calls for, answered or not."""
    return [
        Reminder(
            BilanNotice.SATISFACTION_REMINDER,
            SatisfactionMoment.END,
            closed_at + SATISFACTION_END_DELAY,
        ),
        Reminder(
            BilanNotice.SATISFACTION_REMINDER,
            SatisfactionMoment.PLUS_6_MONTHS,
            closed_at + MONTHS_6,
        ),
        Reminder(BilanNotice.ISOLATION_CHECK_REMINDER, IsolationCheck.Moment.END, closed_at),
        Reminder(
            BilanNotice.ISOLATION_CHECK_REMINDER,
            IsolationCheck.Moment.PLUS_3_MONTHS,
            closed_at + MONTHS_3,
        ),
        Reminder(
            BilanNotice.ISOLATION_CHECK_REMINDER,
            IsolationCheck.Moment.PLUS_6_MONTHS,
            closed_at + MONTHS_6,
        ),
    ]


def reminder_key(reminder: Reminder, bilan: Bilan, channel: str) -> str:
    prefix = "satisfaction" if reminder.kind == BilanNotice.SATISFACTION_REMINDER else "isol"
    return f"{prefix}:{reminder.moment}:bilan{bilan.pk}:{channel}"


def _content(reminder: Reminder, bilan: Bilan, channel: str):
    recipient = bilan.beneficiary
    if reminder.kind == BilanNotice.SATISFACTION_REMINDER:
        return satisfaction_reminder_content(
            bilan_id=bilan.pk,
            slug=satisfaction.MOMENT_SLUGS[SatisfactionMoment(reminder.moment)],
            six_months=reminder.moment == SatisfactionMoment.PLUS_6_MONTHS,
            recipient=recipient,
            channel=channel,
        )
    return isolation_check_reminder_content(
        moment=reminder.moment,
        moment_label=str(IsolationCheck.Moment(reminder.moment).label),
        recipient=recipient,
        channel=channel,
    )


# Bilans a batch (`tisser.accounts.job_scope`): each may call for a few reminders on each of
# its channels, which stays within one outbox batch (two queries).
FOLLOWUP_BATCH = 200


def followup_reminders_plan(
    *, now: datetime | None = None, organisation_id: int | None = None
) -> int:
    """Queue the reminders due by `now` for every closed bilan (of `organisation_id`, or of
    every organisation), see the module docstring, batch after batch. Returns how many
    notifications were created; running it again creates none."""
    now = now or timezone.now()
    return batches_every(partial(followup_reminders_batch, now=now), organisation_id)


def followup_reminders_batch(
    *, organisation_id: int, after: int | None = None, now: datetime | None = None
) -> Batch:
    """One batch of `followup_reminders_plan`: the FOLLOWUP_BATCH closed bilans of the
    organisation after the bilan `after`. Five queries whatever the batch holds: the bilans,
    the answers, the checks, the keys already queued and one INSERT."""
    now = now or timezone.now()
    oldest = now - MONTHS_6 - REMINDER_WINDOW
    bilans = Bilan.objects.filter(
        organisation_id=organisation_id,
        status=Phase.CLOSED,
        closed_at__gte=oldest,
        closed_at__lte=now,
    )
    if after is not None:
        bilans = bilans.filter(pk__gt=after)
    bilans, cursor = batch_cut(
        list(
            bilans.select_related("beneficiary__notification_preference").order_by("pk")[
                : FOLLOWUP_BATCH + 1
            ]
        ),
        FOLLOWUP_BATCH,
    )
    if not bilans:
        return Batch(0)
    answered = set(
        SatisfactionResponse.objects.filter(bilan__in=bilans).values_list("bilan_id", "moment")
    )
    checks: dict[int, list[tuple[str, datetime]]] = {}
    for user_id, moment, created_at in IsolationCheck.objects.filter(
        user_id__in={bilan.beneficiary_id for bilan in bilans},
        moment__in=[
            IsolationCheck.Moment.END,
            IsolationCheck.Moment.PLUS_3_MONTHS,
            IsolationCheck.Moment.PLUS_6_MONTHS,
        ],
    ).values_list("user_id", "moment", "created_at"):
        checks.setdefault(user_id, []).append((moment, created_at))

    def done(reminder: Reminder, bilan: Bilan) -> bool:
        if reminder.kind == BilanNotice.SATISFACTION_REMINDER:
            return (bilan.pk, reminder.moment) in answered
        return any(
            moment == reminder.moment and created_at >= bilan.opened_at
            for moment, created_at in checks.get(bilan.beneficiary_id, ())
        )

    created = notifications_bulk_get_or_create(
        PlannedNotification(
            recipient=bilan.beneficiary,
            channel=channel,
            kind=reminder.kind,
            idempotency_key=reminder_key(reminder, bilan, channel),
            content=partial(_content, reminder, bilan, channel),
            scheduled_for=now,
        )
        for bilan in bilans
        if bilan.beneficiary.is_active
        for reminder in reminders_of(bilan.closed_at)
        if reminder.due <= now < reminder.due + REMINDER_WINDOW and not done(reminder, bilan)
        for channel in channels_for(bilan.beneficiary)
    )
    return Batch(created, cursor)


def likely_check_moment(user, organisation) -> str:
    """The moment a check taken now most likely is, from the person's latest bilan: its start
    until one is taken, its end once in the conclusion phase, « another moment » in between;
    after the end, the end until taken, then 3 and 6 months after as they come. The person
    can always choose another."""
    Moment = IsolationCheck.Moment
    bilan = (
        Bilan.objects.filter(beneficiary=user, organisation=organisation)
        .order_by("-opened_at", "-pk")
        .first()
    )
    checks = IsolationCheck.objects.filter(user=user, organisation=organisation)
    if bilan is None:
        return Moment.OTHER if checks.exists() else Moment.START
    since = checks.filter(created_at__gte=bilan.opened_at)
    if bilan.status != Phase.CLOSED or bilan.closed_at is None:
        if not since.filter(moment=Moment.START).exists():
            return Moment.START
        return Moment.END if bilan.status == Phase.CONCLUSION else Moment.OTHER
    now = timezone.now()
    if now >= bilan.closed_at + MONTHS_6:
        return Moment.PLUS_6_MONTHS
    if now >= bilan.closed_at + MONTHS_3:
        return Moment.PLUS_3_MONTHS
    return Moment.OTHER if since.filter(moment=Moment.END).exists() else Moment.END
