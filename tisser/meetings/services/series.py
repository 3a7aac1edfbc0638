"""Series and their occurrences: create, materialise, end; move or cancel one meeting."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F
from django.utils.timezone import is_naive, now
from django.utils.translation import gettext as _

from tisser.accounts.access import require_coordinator_of
from tisser.accounts.job_scope import Batch, batch_cut, batches_every
from tisser.accounts.models import Membership, Organisation, User
from tisser.core.audit import audit_record
from tisser.core.enums import Role
from tisser.meetings.models import (
    MeetingKind,
    MeetingMode,
    MeetingSeries,
    Occurrence,
    SeriesParticipant,
)
from tisser.meetings.recurrence import DEFAULT_TIMEZONE, occurrence_starts, rrule_validate
from tisser.meetings.reminders import occurrence_changed
from tisser.meetings.services.access import can_organise, require_organiser
from tisser.meetings.services.clashes import require_free, schedule_lock

DEFAULT_HORIZON_DAYS = 400
# However dense the rule, no more meetings than this are planned ahead of today.
MAX_OCCURRENCES_AHEAD = 100
MIN_DURATION_MINUTES = 5
MAX_DURATION_MINUTES = 12 * 60


def horizon_days() -> int:
    return getattr(settings, "TISSER_MEETINGS_HORIZON_DAYS", DEFAULT_HORIZON_DAYS)


def _check_duration(duration_minutes: int) -> None:
    if not MIN_DURATION_MINUTES <= duration_minutes <= MAX_DURATION_MINUTES:
        raise ValidationError(
            _("La durée d'une rencontre va de 5 minutes à 12 heures."), code="duration"
        )


def _check_place(mode: MeetingMode, location: str) -> None:
    if mode == MeetingMode.VIDEO and location:
        try:
            URLValidator(schemes=["https", "http"])(location)
        except ValidationError:
            raise ValidationError(
                _("Indiquez le lien de la visioconférence (https://…)."), code="video_link"
            ) from None


def _check_aware(value: datetime) -> None:
    if is_naive(value):
        raise ValueError("meeting times must be aware datetimes")


# The kinds `series_create` plans. A bilan's entretiens are planned from the bilan only
# (`tisser.bilans.services.bilan_session_plan`, through `bilan_session_series_create`): so
# they go through its 24-hour cap, reach its attestation and are checked for double booking.
# A peer group's meetings are planned by the peers app (`peer_group_series_create`). ADR 0022.
GENERIC_KINDS: tuple[MeetingKind, ...] = (MeetingKind.MENTORING, MeetingKind.OTHER)


def series_create(
    *,
    organiser: User,
    organisation: Organisation,
    kind: MeetingKind,
    title: str,
    participants: list[User],
    first_start: datetime,
    duration_minutes: int,
    rrule: str,
    mode: MeetingMode,
    location: str = "",
    description: str = "",
    timezone: str = DEFAULT_TIMEZONE,
) -> MeetingSeries:
    """Create a series organised by `organiser` and plan its first meetings.

    Preconditions: `kind` is one of GENERIC_KINDS (a bilan entretien is a ValidationError
    on "kind": it is planned from its bilan); `can_organise(organiser, organisation, kind)`
    (PermissionDenied otherwise); at least one other participant, each an active member of
    `organisation`; a valid rule (see `rrule_validate`; "" for a single meeting) expanded in
    `timezone`. The organiser takes part with the ORGANISER role. Occurrences are
    materialised up to the horizon by `series_occurrences_extend`.

    When the organiser is a consultant of `organisation`, they must be free: a meeting of
    the series overlapping a scheduled meeting they take part in is a ValidationError on
    "first_start" naming it (`clashes.require_free`, under the lock on their row; ADR 0022)."""
    kind = MeetingKind(kind)
    if kind == MeetingKind.BILAN_SESSION:
        raise ValidationError(
            {
                "kind": [
                    ValidationError(
                        _(
                            "Un entretien de bilan se planifie depuis la page du bilan : ses "
                            "heures comptent alors dans le bilan et son attestation."
                        ),
                        code="bilan_session",
                    )
                ]
            }
        )
    return _series_plan_free(
        check=_holds_consultant_membership(organiser, organisation),
        organiser=organiser,
        organisation=organisation,
        kind=kind,
        title=title,
        participants=participants,
        first_start=first_start,
        duration_minutes=duration_minutes,
        rrule=rrule,
        mode=mode,
        location=location,
        description=description,
        timezone=timezone,
    )


def _series_plan_free(*, check: bool, **plan) -> MeetingSeries:
    """`_series_plan(**plan)`; with `check`, the organiser must be free. Their row is locked
    first, then the meetings just materialised are checked, so the check and the plan agree
    on every date; a clash (a ValidationError on "first_start" naming it) rolls the whole
    series back (`clashes.require_free`, ADR 0022)."""
    organiser = plan["organiser"]
    with transaction.atomic():
        if check:
            schedule_lock(organiser)
        series = _series_plan(**plan)
        if check:
            require_free(
                user=organiser,
                slots=list(series.occurrences.values_list("start", "end")),
                field="first_start",
                exclude_series_id=series.pk,
            )
    return series


def _holds_consultant_membership(user: User, organisation: Organisation) -> bool:
    """True when `user` is an active consultant of `organisation`: the meetings they organise
    there are checked for clashes (ADR 0022). A mentor's or a coordinator's are not (one role
    per organisation: a mentor there is never its consultant)."""
    return Membership.objects.filter(
        user=user, organisation=organisation, is_active=True, role=Role.CONSULTANT
    ).exists()


def bilan_session_series_create(
    *,
    consultant: User,
    organisation: Organisation,
    beneficiary: User,
    title: str,
    first_start: datetime,
    duration_minutes: int,
    rrule: str,
    mode: MeetingMode,
    location: str = "",
    recorded_afterwards: bool = False,
) -> MeetingSeries:
    """The series of a bilan's entretiens, between its consultant and its beneficiary.
    Only the bilans app calls this, for a bilan, inside the transaction that checks its
    hours (`bilan_session_plan`, `entretien_record_unplanned`).

    The consultant must be free: when one of these entretiens overlaps a scheduled meeting
    they take part in, a ValidationError on "first_start" names it (`clashes.require_free`),
    checked under a lock on the consultant's row. An entretien `recorded_afterwards` (it took
    place, the record says so) is not checked: it is not planned, it happened."""
    return _series_plan_free(
        check=not recorded_afterwards,
        organiser=consultant,
        organisation=organisation,
        kind=MeetingKind.BILAN_SESSION,
        title=title,
        participants=[beneficiary],
        first_start=first_start,
        duration_minutes=duration_minutes,
        rrule=rrule,
        mode=mode,
        location=location,
    )


def _series_plan(
    *,
    organiser: User,
    organisation: Organisation,
    kind: MeetingKind,
    title: str,
    participants: list[User],
    first_start: datetime,
    duration_minutes: int,
    rrule: str,
    mode: MeetingMode,
    location: str = "",
    description: str = "",
    timezone: str = DEFAULT_TIMEZONE,
) -> MeetingSeries:
    _check_aware(first_start)
    if not can_organise(organiser, organisation, kind):
        raise PermissionDenied
    others = list({user.pk: user for user in participants if user.pk != organiser.pk}.values())
    if not others:
        raise ValidationError(
            _("Choisissez au moins une personne avec qui vous rencontrer."), code="participants"
        )
    members = set(
        Membership.objects.filter(
            organisation=organisation, is_active=True, user__is_active=True, user__in=others
        ).values_list("user_id", flat=True)
    )
    if any(user.pk not in members for user in others):
        raise ValidationError(
            _("Toutes les personnes invitées doivent faire partie de votre organisme."),
            code="participants",
        )
    _check_duration(duration_minutes)
    _check_place(mode, location.strip())
    rrule = rrule_validate(rrule, first_start=first_start, tz_name=timezone)
    with transaction.atomic():
        series = _series_save(
            created_by=organiser,
            organisation=organisation,
            kind=kind,
            title=title,
            description=description,
            timezone=timezone,
            first_start=first_start,
            duration_minutes=duration_minutes,
            rrule=rrule,
            mode=mode,
            location=location,
        )
        SeriesParticipant.objects.bulk_create(
            [
                SeriesParticipant(
                    series=series,
                    user=organiser,
                    role=SeriesParticipant.ParticipantRole.ORGANISER,
                ),
                *(
                    SeriesParticipant(
                        series=series, user=user, role=SeriesParticipant.ParticipantRole.PARTICIPANT
                    )
                    for user in others
                ),
            ]
        )
        planned = series_occurrences_extend(series=series)
        audit_record(
            actor=organiser,
            action="meeting_series.create",
            target=series,
            organisation=organisation,
            data={
                "kind": str(kind),
                "rrule": rrule,
                "participant_ids": [user.pk for user in others],
                "occurrences": planned,
            },
        )
    return series


def _series_save(*, created_by: User, **fields) -> MeetingSeries:
    fields["title"] = fields["title"].strip()
    fields["description"] = fields["description"].strip()
    fields["location"] = fields["location"].strip()
    series = MeetingSeries(created_by=created_by, **fields)
    series.full_clean()
    series.save()
    return series


def peer_group_series_create(
    *,
    by: User,
    organisation: Organisation,
    title: str,
    first_start: datetime,
    duration_minutes: int,
    rrule: str,
    mode: MeetingMode,
    location: str = "",
    timezone: str = DEFAULT_TIMEZONE,
) -> MeetingSeries:
    """Plan a peer group's meetings when `by` (a coordinator of `organisation`) publishes the
    group. The series starts with nobody in it, organiser included: the members who join the
    group come in (`series_member_enter`), the first of them as its organiser. So the
    coordination sees the dates and the attendance, never agendas, notes or actions. Only the
    peers app calls this, for a group (see ADR 0013)."""
    _check_aware(first_start)
    require_coordinator_of(by, organisation)
    _check_duration(duration_minutes)
    _check_place(mode, location.strip())
    rrule = rrule_validate(rrule, first_start=first_start, tz_name=timezone)
    with transaction.atomic():
        series = _series_save(
            created_by=by,
            organisation=organisation,
            kind=MeetingKind.PEER_GROUP,
            title=title,
            description="",
            timezone=timezone,
            first_start=first_start,
            duration_minutes=duration_minutes,
            rrule=rrule,
            mode=mode,
            location=location,
        )
        planned = series_occurrences_extend(series=series)
        audit_record(
            actor=by,
            action="meeting_series.create",
            target=series,
            organisation=organisation,
            data={"kind": str(MeetingKind.PEER_GROUP), "rrule": rrule, "occurrences": planned},
        )
    return series


def _missing_occurrences(
    series: MeetingSeries, existing: set[datetime], *, current: datetime, until: datetime | None
) -> list[Occurrence]:
    """The occurrences of `series` up to `until` not yet in `existing` (their original starts);
    pure computation (the rule's expansion), no query. See `series_occurrences_extend`."""
    until = until or max(current, series.first_start) + timedelta(days=horizon_days())
    duration = timedelta(minutes=series.duration_minutes)
    new, ahead = [], 0
    for start in occurrence_starts(
        first_start=series.first_start,
        tz_name=series.timezone,
        rrule=series.rrule,
        until=until,
    ):
        if start > current:
            ahead += 1
            if ahead > MAX_OCCURRENCES_AHEAD:
                break
        if start not in existing:
            new.append(
                Occurrence(
                    series=series,
                    original_start=start,
                    start=start,
                    end=start + duration,
                    mode=series.mode,
                    location=series.location,
                )
            )
    return new


def series_occurrences_extend(*, series: MeetingSeries, until: datetime | None = None) -> int:
    """Materialise the series' occurrences up to `until` and return how many were created.

    By default `until` is TISSER_MEETINGS_HORIZON_DAYS after now — or after the first meeting
    when the series starts later, so that a series planned far ahead is never empty.

    Safe to run again (a daily job does, for open-ended rules: `series_plan_ahead`): a slot
    that exists — moved or cancelled included — is never created twice (unique series +
    original_start). No more than MAX_OCCURRENCES_AHEAD meetings after now are planned. An
    ended series gets none."""
    current = now()
    with transaction.atomic():
        # Two runs at once (a command and a page) must not plan the same slot twice.
        series = MeetingSeries.objects.select_for_update().get(pk=series.pk)
        if series.ended_at is not None:
            return 0
        existing = set(series.occurrences.values_list("original_start", flat=True))
        new = _missing_occurrences(series, existing, current=current, until=until)
        Occurrence.objects.bulk_create(new)
    return len(new)


# Series read together by a batch of `series_plan_ahead`, and the slots a batch writes at
# most (one INSERT): a batch stops before the series that would take it beyond.
PLAN_AHEAD_SERIES_BATCH = 500
PLAN_AHEAD_ROWS = 1000


def series_plan_ahead(*, organisation_id: int) -> int:
    """Keep the open-ended series of one organisation planned up to the horizon, batch after
    batch (`series_plan_ahead_batch`); returns how many occurrences were created."""
    return batches_every(series_plan_ahead_batch, organisation_id)


def series_plan_ahead_batch(*, organisation_id: int, after: int | None = None) -> Batch:
    """One batch of the daily job `meetings_plan_ahead` (one task, `job_scope.batches_run`):
    the open-ended series of the organisation after the series `after`, up to
    PLAN_AHEAD_SERIES_BATCH of them and PLAN_AHEAD_ROWS new slots. Four queries whatever
    the batch holds, two when it has nothing to add: one read of the series, one of their
    existing slots, the expansion of the rules outside any transaction, then one short
    transaction that locks the series still open (a series ended meanwhile gets nothing, as
    in `series_end`) and inserts the new slots in one INSERT. A slot planned meanwhile by a
    page is left alone (`ignore_conflicts` on the unique series + original start).
    Idempotent."""
    current = now()
    open_ended = (
        MeetingSeries.objects.filter(organisation_id=organisation_id, ended_at__isnull=True)
        .exclude(rrule="")
        .order_by("pk")
    )
    if after is not None:
        open_ended = open_ended.filter(pk__gt=after)
    batch, cursor = batch_cut(
        list(open_ended[: PLAN_AHEAD_SERIES_BATCH + 1]), PLAN_AHEAD_SERIES_BATCH
    )
    if not batch:
        return Batch(0)
    existing: dict[int, set[datetime]] = {series.pk: set() for series in batch}
    for series_id, start in Occurrence.objects.filter(series__in=batch).values_list(
        "series_id", "original_start"
    ):
        existing[series_id].add(start)
    new: list[Occurrence] = []
    for index, series in enumerate(batch):
        missing = _missing_occurrences(series, existing[series.pk], current=current, until=None)
        if new and len(new) + len(missing) > PLAN_AHEAD_ROWS:
            # The rest waits for the next batch, from this series on.
            cursor = batch[index - 1].pk
            break
        new += missing
    if new:
        with transaction.atomic():
            still_open = set(
                MeetingSeries.objects.select_for_update()
                .filter(pk__in={occurrence.series_id for occurrence in new})
                .filter(ended_at__isnull=True)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            new = [occurrence for occurrence in new if occurrence.series_id in still_open]
            Occurrence.objects.bulk_create(new, ignore_conflicts=True)
    return Batch(len(new), cursor)


def series_end(*, actor: User, series: MeetingSeries) -> MeetingSeries:
    """End a series (organiser only): its meetings still to come are cancelled, no new one
    is planned, and calendar apps see the change (series sequence bumped). Past meetings,
    their notes and attendance stay."""
    require_organiser(actor, series)
    with transaction.atomic():
        locked = MeetingSeries.objects.select_for_update().get(pk=series.pk)
        if locked.ended_at is not None:
            raise ValidationError(_("Cette série est déjà terminée."), code="ended")
        current = now()
        cancelled = (
            Occurrence.objects.scheduled()
            .filter(series=locked, start__gt=current)
            .update(
                status=Occurrence.Status.CANCELLED,
                sequence=F("sequence") + 1,
                updated_at=current,
            )
        )
        locked.ended_at = current
        locked.sequence += 1
        locked.save(update_fields=["ended_at", "sequence", "updated_at"])
        audit_record(
            actor=actor,
            action="meeting_series.end",
            target=locked,
            organisation=locked.organisation,
            data={"cancelled": cancelled},
        )
    series.refresh_from_db()
    return series


def _lock_changeable(occurrence: Occurrence, *, started_message: str) -> Occurrence:
    locked = Occurrence.objects.select_for_update().get(pk=occurrence.pk)
    if locked.status == Occurrence.Status.CANCELLED:
        raise ValidationError(_("Cette rencontre est déjà annulée."), code="cancelled")
    if locked.start <= now():
        raise ValidationError(started_message, code="started")
    return locked


def occurrence_move(
    *,
    actor: User,
    occurrence: Occurrence,
    start: datetime,
    duration_minutes: int | None = None,
) -> Occurrence:
    """Move one meeting (organiser only) to a later-than-now `start`, optionally with a new
    duration. Refused for a cancelled meeting or one that has started, and, for a bilan
    entretien or a meeting a consultant organises, when its organiser already has a meeting
    then (ValidationError on "start" naming it). The slot in the rule
    (`original_start`, hence the calendar UID) stays; the sequence grows so that calendar
    apps update their copy; participants are told."""
    _check_aware(start)
    require_organiser(actor, occurrence.series)
    with transaction.atomic():
        locked = _lock_changeable(
            occurrence,
            started_message=_("Cette rencontre a déjà commencé : elle ne peut plus être déplacée."),
        )
        if start <= now():
            raise ValidationError(_("Choisissez une date et une heure à venir."), code="past")
        duration = locked.duration_minutes if duration_minutes is None else duration_minutes
        _check_duration(duration)
        end = start + timedelta(minutes=duration)
        if (locked.start, locked.end) == (start, end):
            return occurrence
        series = occurrence.series
        if series.kind == MeetingKind.BILAN_SESSION or _holds_consultant_membership(
            actor, series.organisation
        ):
            # A bilan entretien, or any meeting a consultant organises, moves only to a time
            # its organiser is free (ADR 0022).
            schedule_lock(actor)
            require_free(
                user=actor, slots=[(start, end)], field="start", exclude_occurrence_id=locked.pk
            )
        previous = locked.start
        locked.start, locked.end = start, end
        locked.sequence += 1
        locked.save(update_fields=["start", "end", "sequence", "updated_at"])
        audit_record(
            actor=actor,
            action="occurrence.move",
            target=locked,
            organisation=occurrence.series.organisation,
            data={"from": previous.isoformat(), "to": start.isoformat(), "minutes": duration},
        )
        occurrence_changed(occurrence=locked, actor=actor, change="moved", old_start=previous)
    occurrence.refresh_from_db()
    return occurrence


def occurrence_cancel(*, actor: User, occurrence: Occurrence) -> Occurrence:
    """Cancel one meeting (organiser only) that has not started yet; calendar apps show it
    cancelled (sequence bumped) and participants are told. Cancelling twice is refused."""
    require_organiser(actor, occurrence.series)
    with transaction.atomic():
        locked = _lock_changeable(
            occurrence,
            started_message=_("Cette rencontre a déjà commencé : elle ne peut plus être annulée."),
        )
        locked.status = Occurrence.Status.CANCELLED
        locked.sequence += 1
        locked.save(update_fields=["status", "sequence", "updated_at"])
        audit_record(
            actor=actor,
            action="occurrence.cancel",
            target=locked,
            organisation=occurrence.series.organisation,
        )
        occurrence_changed(occurrence=locked, actor=actor, change="cancelled")
    occurrence.refresh_from_db()
    return occurrence
