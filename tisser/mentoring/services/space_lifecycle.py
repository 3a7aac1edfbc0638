"""A mentorship's course: signing the agreement (which plans the monthly meetings in
Rencontres), pausing and resuming it, closing it and extending it.

The meetings are one `meetings` series organised by the mentor with the mentee as participant,
kind MENTORING, repeating until the planned end (an RFC 5545 UNTIL): extending the mentorship
moves the UNTIL and plans the extra meetings; closing it ends the series. A pause cancels
the meetings to come and stops the UNTIL at the pause (nothing new is planned meanwhile);
resuming moves the UNTIL back to the planned end and plans again, on the same rhythm, the
slots ahead that the pause cancelled (ADR 0025)."""

from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tisser.accounts.models import User
from tisser.core.audit import audit_record
from tisser.core.versioning import version_bump, version_require
from tisser.meetings import services as meetings
from tisser.meetings.models import MeetingKind, MeetingMode, MeetingSeries, Occurrence
from tisser.meetings.recurrence import (
    DEFAULT_TIMEZONE,
    RecurrencePreset,
    preset_rrule,
    rrule_validate,
)
from tisser.mentoring.models import Agreement, Feedback, Mentorship
from tisser.mentoring.notice_kinds import MentoringNotice
from tisser.mentoring.services.space import _lock, require_member
from tisser.mentoring.space_notices import (
    ended_content,
    feedback_due_content,
    pause_content,
    resume_content,
)
from tisser.notifications.models import Channel
from tisser.notifications.services import channels_for, notification_create

MAX_EXTENSION_MONTHS = 6


def _until(day: date) -> str:
    # A bare date: the rule includes that whole day in the series' zone (see recurrence).
    return f"UNTIL={day:%Y%m%d}"


def _first_meeting_error() -> ValidationError:
    return ValidationError(
        _(
            "La date de la première rencontre est passée ou manque : modifiez la charte "
            "pour en choisir une à venir."
        ),
        code="first_meeting",
    )


def _series_rule(agreement: Agreement, first_start: datetime, until: date) -> str:
    local = timezone.localtime(first_start)
    preset = (
        RecurrencePreset.FORTNIGHTLY
        if agreement.meetings_per_month >= 2
        else RecurrencePreset.MONTHLY
    )
    return f"{preset_rrule(preset, local)};{_until(until)}"


def _series_create(mentorship: Mentorship, agreement: Agreement) -> MeetingSeries:
    first_start = agreement.first_meeting_at
    if first_start is None:
        # `agreement_sign` checks it before the second signature; the series needs it anyway.
        raise _first_meeting_error()
    mentor, mentee = mentorship.mentor.user, mentorship.mentee
    return meetings.series_create(
        organiser=mentor,
        organisation=mentorship.organisation,
        kind=MeetingKind.MENTORING,
        title=_("Mentorat : %(mentee)s et %(mentor)s")
        % {"mentee": mentee.get_full_name(), "mentor": mentor.get_full_name()},
        participants=[mentee],
        first_start=first_start,
        duration_minutes=agreement.meeting_minutes,
        rrule=_series_rule(agreement, first_start, mentorship.planned_end),
        mode=MeetingMode(agreement.first_meeting_mode or MeetingMode.VIDEO),
        location=agreement.first_meeting_place,
        # No goals in the description: the coordination reads series, and .ics files carry
        # descriptions to third-party calendars; the goals stay in the mentorship's space.
        timezone=DEFAULT_TIMEZONE,
    )


def _series_until_set(*, actor: User, series: MeetingSeries, until: date) -> int:
    """Move the series' UNTIL to `until` and plan the meetings it adds; returns how many.
    Calendar apps see the change (sequence bumped)."""
    locked = MeetingSeries.objects.select_for_update().get(pk=series.pk)
    if locked.ended_at is not None or not locked.rrule:
        return 0
    parts = [part for part in locked.rrule.split(";") if not part.startswith(("UNTIL=", "COUNT="))]
    rule = rrule_validate(
        ";".join([*parts, _until(until)]), first_start=locked.first_start, tz_name=locked.timezone
    )
    if rule == locked.rrule:
        return 0
    previous = locked.rrule
    locked.rrule = rule
    locked.sequence += 1
    locked.save(update_fields=["rrule", "sequence", "updated_at"])
    audit_record(
        actor=actor,
        action="meeting_series.until_set",
        target=locked,
        organisation=locked.organisation,
        data={"from": previous, "to": rule},
    )
    return meetings.series_occurrences_extend(series=locked)


@transaction.atomic
def agreement_sign(*, actor: User, mentorship: Mentorship, expected_version: int) -> Agreement:
    """The member signs the agreement as it reads at `expected_version` (StaleVersion if it
    changed since they read it). When both have signed, the meetings are planned: the first
    at the agreed date, then monthly until the planned end (the first meeting must still be
    ahead). Signing again is harmless."""
    mentorship = _lock(mentorship)
    require_member(actor, mentorship)
    agreement = Agreement.objects.select_for_update().filter(mentorship=mentorship).first()
    if agreement is None:
        raise ValidationError(_("Écrivez d'abord la charte."), code="missing")
    # Signing does not change the text: the version is checked, not raised.
    version_require(
        agreement,
        expected=expected_version,
        message=_(
            "La charte a été modifiée depuis que vous l'avez lue : relisez-la avant de signer."
        ),
    )
    if mentorship.paused_at is not None:
        raise ValidationError(
            _("Ce mentorat est en pause : reprenez-le avant de signer la charte."), code="paused"
        )
    field = "mentee_signed_at" if actor.pk == mentorship.mentee_id else "mentor_signed_at"
    if getattr(agreement, field) is not None:
        return agreement
    now = timezone.now()
    completes = agreement.mentee_signed_at or agreement.mentor_signed_at
    if (
        completes
        and mentorship.series_id is None
        and (agreement.first_meeting_at is None or agreement.first_meeting_at <= now)
    ):
        raise _first_meeting_error()
    setattr(agreement, field, now)
    agreement.save(update_fields=[field, "updated_at"])
    if agreement.is_signed:
        if mentorship.series is None:
            mentorship.series = _series_create(mentorship, agreement)
        else:
            _series_until_set(
                actor=mentorship.mentor.user, series=mentorship.series, until=mentorship.planned_end
            )
    mentorship.last_activity_at = now
    mentorship.save(update_fields=["series", "last_activity_at"])
    audit_record(
        actor=actor,
        action="mentoring.agreement_sign",
        target=agreement,
        organisation=mentorship.organisation,
        data={"version": agreement.version, "signed": agreement.is_signed},
    )
    return agreement


def _check_version(mentorship: Mentorship, expected_version: int) -> None:
    """Claim the mentorship's next version (StaleVersion if it changed since the page)."""
    version_bump(
        mentorship,
        expected=expected_version,
        message=_("Ce mentorat a été modifié entre-temps : rien n'a été enregistré, réessayez."),
    )


@transaction.atomic
def mentorship_close(
    *, actor: User, mentorship: Mentorship, summary: str, expected_version: int
) -> Mentorship:
    """End the mentorship (either member) with a summary: the place it took with the mentor
    is freed, the meetings still to come are cancelled, and both are invited to give their
    end feedback."""
    mentorship = _lock(mentorship)
    require_member(actor, mentorship)
    _check_version(mentorship, expected_version)
    summary = summary.strip()
    if not summary:
        raise ValidationError({"summary": _("Dites en quelques mots où vous en êtes.")})
    now = timezone.now()
    mentorship.status = Mentorship.Status.ENDED
    mentorship.ended_at = now
    mentorship.end_reason = summary
    mentorship.last_activity_at = now
    mentorship.save(
        update_fields=["status", "ended_at", "end_reason", "last_activity_at", "version"]
    )
    series = mentorship.series
    if series is not None and series.ended_at is None:
        # The mentor organises the series; closing is either member's decision.
        meetings.series_end(actor=mentorship.mentor.user, series=series)
    for member in (mentorship.mentee, mentorship.mentor.user):
        if not member.is_active:
            continue
        for channel in channels_for(member):
            content = feedback_due_content(
                mentorship=mentorship, stage=Feedback.Stage.END, recipient=member, channel=channel
            )
            notification_create(
                recipient=member,
                channel=channel,
                kind=MentoringNotice.MENTORING_FEEDBACK_DUE,
                idempotency_key=f"mentoring:feedback:end:m{mentorship.pk}:u{member.pk}:{channel}",
                subject=content.subject,
                body=content.body,
                url=content.url,
                about=mentorship,
            )
    told = _coordination_tell_ended(mentorship=mentorship, actor=actor)
    audit_record(
        actor=actor,
        action="mentoring.mentorship_close",
        target=mentorship,
        organisation=mentorship.organisation,
        data={"coordinators_told": told},
    )
    return mentorship


def _coordination_tell_ended(*, mentorship: Mentorship, actor: User) -> int:
    """Tell every coordinator of the organisation that a member ended the mentorship (the
    health page, in the app); returns how many were told."""
    told = 0
    for coordinator in User.objects.coordinators_of(mentorship.organisation_id):
        if not coordinator.is_active or coordinator.pk == actor.pk:
            continue
        content = ended_content(mentorship=mentorship, actor=actor, recipient=coordinator)
        notification_create(
            recipient=coordinator,
            channel=Channel.IN_APP,
            kind=MentoringNotice.MENTORING_ENDED,
            idempotency_key=f"mentoring:ended:m{mentorship.pk}:u{coordinator.pk}",
            subject=content.subject,
            body=content.body,
            url=content.url,
        )
        told += 1
    return told


# -- pause and resume ---------------------------------------------------------------------------


PAUSE_REASON_MAX = 1000


def _series_suspend(*, actor: User, series: MeetingSeries, at: datetime) -> int:
    """Cancel the series' meetings after `at` (calendar apps see it: sequences bumped) and
    stop its UNTIL there, so the daily planning adds none during the pause. The cancelled
    meetings carry `updated_at == at`: the mark `_series_revive` looks for. Returns how many
    were cancelled."""
    locked = MeetingSeries.objects.select_for_update().get(pk=series.pk)
    if locked.ended_at is not None:
        return 0
    cancelled = (
        Occurrence.objects.scheduled()
        .filter(series=locked, start__gt=at)
        .update(status=Occurrence.Status.CANCELLED, sequence=F("sequence") + 1, updated_at=at)
    )
    if locked.rrule:
        # Never before the first meeting: a rule must keep at least that one.
        stop = max(timezone.localdate(at), timezone.localdate(locked.first_start))
        parts = [p for p in locked.rrule.split(";") if not p.startswith(("UNTIL=", "COUNT="))]
        locked.rrule = rrule_validate(
            ";".join([*parts, _until(stop)]),
            first_start=locked.first_start,
            tz_name=locked.timezone,
        )
    locked.sequence += 1
    locked.save(update_fields=["rrule", "sequence", "updated_at"])
    audit_record(
        actor=actor,
        action="meeting_series.suspend",
        target=locked,
        organisation=locked.organisation,
        data={"cancelled": cancelled},
    )
    return cancelled


def _series_revive(*, actor: User, series: MeetingSeries, paused_at: datetime, until: date):
    """After a pause: the UNTIL goes back to `until` (the slots beyond the pause are planned),
    and the meetings still ahead that the pause cancelled are scheduled again. Returns the
    next meeting's start, or None."""
    locked = MeetingSeries.objects.select_for_update().get(pk=series.pk)
    if locked.ended_at is not None:
        return None
    current = timezone.now()
    revived = Occurrence.objects.filter(
        series=locked,
        status=Occurrence.Status.CANCELLED,
        updated_at=paused_at,
        start__gt=current,
    ).update(status=Occurrence.Status.SCHEDULED, sequence=F("sequence") + 1, updated_at=current)
    if until >= timezone.localdate(current):
        _series_until_set(actor=actor, series=locked, until=until)
    audit_record(
        actor=actor,
        action="meeting_series.resume",
        target=locked,
        organisation=locked.organisation,
        data={"revived": revived},
    )
    return (
        Occurrence.objects.scheduled()
        .filter(series=locked, start__gt=current)
        .order_by("start")
        .values_list("start", flat=True)
        .first()
    )


def _tell_other(*, actor: User, mentorship: Mentorship, key: str, make) -> None:
    recipient = mentorship.mentee if actor.pk != mentorship.mentee_id else mentorship.mentor.user
    if not recipient.is_active:
        return
    for channel in channels_for(recipient):
        content = make(recipient=recipient, channel=channel)
        notification_create(
            recipient=recipient,
            channel=channel,
            kind=MentoringNotice.MENTORING_PAUSED,
            idempotency_key=f"{key}:{channel}",
            subject=content.subject,
            body=content.body,
            url=content.url,
        )


@transaction.atomic
def mentorship_pause(
    *, actor: User, mentorship: Mentorship, reason: str, expected_version: int
) -> tuple[Mentorship, int]:
    """Pause an active mentorship (either member), with an optional reason. It keeps its
    place with the mentor; its meetings to come are cancelled and none is planned until it
    resumes; the other member is told, the coordination sees « En pause » on its health page.
    Returns the mentorship and how many meetings were cancelled."""
    mentorship = _lock(mentorship)
    require_member(actor, mentorship)
    _check_version(mentorship, expected_version)
    if mentorship.paused_at is not None:
        raise ValidationError(_("Ce mentorat est déjà en pause."), code="paused")
    reason = reason.strip()
    if len(reason) > PAUSE_REASON_MAX:
        raise ValidationError(
            {"reason": _("%(max)s caractères au plus.") % {"max": PAUSE_REASON_MAX}}
        )
    now = timezone.now()
    cancelled = 0
    series = mentorship.series
    if series is not None:
        cancelled = _series_suspend(actor=mentorship.mentor.user, series=series, at=now)
    mentorship.paused_at = now
    mentorship.pause_reason = reason
    mentorship.last_activity_at = now
    mentorship.save(update_fields=["paused_at", "pause_reason", "last_activity_at", "version"])
    _tell_other(
        actor=actor,
        mentorship=mentorship,
        key=f"mentoring:pause:m{mentorship.pk}:v{mentorship.version}",
        make=lambda recipient, channel: pause_content(
            mentorship=mentorship,
            actor=actor,
            recipient=recipient,
            channel=channel,
            cancelled=cancelled,
        ),
    )
    audit_record(
        actor=actor,
        action="mentoring.mentorship_pause",
        target=mentorship,
        organisation=mentorship.organisation,
        data={"meetings_cancelled": cancelled, "with_reason": bool(reason)},
    )
    return mentorship, cancelled


@transaction.atomic
def mentorship_resume(
    *, actor: User, mentorship: Mentorship, expected_version: int
) -> tuple[Mentorship, datetime | None]:
    """Resume a paused mentorship (either member): its meetings ahead are planned again on
    the agreed rhythm until the planned end; the other member is told. Returns the
    mentorship and its next meeting's start (None without meetings)."""
    mentorship = _lock(mentorship)
    require_member(actor, mentorship)
    _check_version(mentorship, expected_version)
    if mentorship.paused_at is None:
        raise ValidationError(_("Ce mentorat n'est pas en pause."), code="not_paused")
    paused_at = mentorship.paused_at
    next_start = None
    if mentorship.series is not None:
        next_start = _series_revive(
            actor=mentorship.mentor.user,
            series=mentorship.series,
            paused_at=paused_at,
            until=mentorship.planned_end,
        )
    now = timezone.now()
    mentorship.paused_at = None
    mentorship.pause_reason = ""
    mentorship.last_activity_at = now
    mentorship.save(update_fields=["paused_at", "pause_reason", "last_activity_at", "version"])
    _tell_other(
        actor=actor,
        mentorship=mentorship,
        key=f"mentoring:resume:m{mentorship.pk}:v{mentorship.version}",
        make=lambda recipient, channel: resume_content(
            mentorship=mentorship,
            actor=actor,
            recipient=recipient,
            channel=channel,
            next_start=next_start,
        ),
    )
    audit_record(
        actor=actor,
        action="mentoring.mentorship_resume",
        target=mentorship,
        organisation=mentorship.organisation,
        data={"paused_days": (now - paused_at).days},
    )
    return mentorship, next_start


@transaction.atomic
def mentorship_extend(
    *, actor: User, mentorship: Mentorship, months: int, expected_version: int
) -> Mentorship:
    """Extend an active mentorship (either member) by 1 to 6 months: the planned end moves,
    the agreed duration grows with it (without asking to sign again), and the meetings go on
    until the new end."""
    mentorship = _lock(mentorship)
    require_member(actor, mentorship)
    _check_version(mentorship, expected_version)
    if not 1 <= months <= MAX_EXTENSION_MONTHS:
        raise ValidationError({"months": _("Prolongez de 1 à 6 mois.")})
    previous = mentorship.planned_end
    mentorship.planned_end = previous + relativedelta(months=months)
    mentorship.extended_times += 1
    mentorship.last_activity_at = timezone.now()
    mentorship.save(update_fields=["planned_end", "extended_times", "last_activity_at", "version"])
    Agreement.objects.filter(mentorship=mentorship).update(
        duration_months=_months_planned(mentorship),
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    added = 0
    # During a pause the UNTIL stays at the pause; resuming moves it to the new planned end.
    if mentorship.series is not None and mentorship.paused_at is None:
        added = _series_until_set(
            actor=mentorship.mentor.user, series=mentorship.series, until=mentorship.planned_end
        )
    audit_record(
        actor=actor,
        action="mentoring.mentorship_extend",
        target=mentorship,
        organisation=mentorship.organisation,
        data={"months": months, "from": previous.isoformat(), "meetings_added": added},
    )
    return mentorship


def _months_planned(mentorship: Mentorship) -> int:
    """Whole months from the start to the planned end."""
    span = relativedelta(mentorship.planned_end, timezone.localdate(mentorship.started_at))
    return span.years * 12 + span.months
