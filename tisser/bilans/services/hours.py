"""The hours of a bilan: the law caps a bilan de compétences at 24 hours (Code du travail
R6313-4); an organisation may also set a minimum it aims at (TISSER_BILAN_MIN_HOURS, shown
and warned about when closing, never enforced)."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.formats import number_format
from django.utils.timezone import now
from django.utils.translation import gettext as _

from tisser.accounts.models import User
from tisser.bilans.models import Bilan, BilanSession, Phase
from tisser.core.audit import audit_record
from tisser.meetings import services as meetings
from tisser.meetings.models import Attendance, MeetingKind, MeetingMode, MeetingSeries, Occurrence
from tisser.meetings.recurrence import DEFAULT_TIMEZONE, occurrence_starts, rrule_validate

MAX_HOURS = 24
MAX_MINUTES = MAX_HOURS * 60


def min_hours() -> int:
    return getattr(settings, "TISSER_BILAN_MIN_HOURS", 0)


def minutes_to_hours(minutes: int) -> Decimal:
    """Minutes as hours, to the hundredth (90 → 1.50)."""
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"))


def hours_text(hours: Decimal | int) -> str:
    """Hours the French way: "24", "24,5", "1,25"."""
    value = Decimal(hours).normalize()
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int):  # "n", "N" or "F": NaN or infinity
        raise ValueError(f"Not a number of hours: {hours}")
    return number_format(value, decimal_pos=max(0, -exponent))


@dataclass(frozen=True)
class HoursSummary:
    """Hours of a bilan. `effective`: entretiens the beneficiary attended (their attendance
    is PRESENT); `planned`: entretiens still to come; `remaining`: what the 24 h cap still
    allows beyond both. Once the bilan `ended`, nothing is planned or possible any more:
    `done` is the hours done, frozen at its end (`Bilan.hours_done`)."""

    effective: Decimal
    planned: Decimal
    remaining: Decimal
    maximum: int = MAX_HOURS
    minimum: int = 0
    ended: bool = False
    done: Decimal | None = None

    @property
    def done_text(self) -> str:
        """The hours done: frozen at the end of the bilan, the effective ones before."""
        return hours_text(self.effective if self.done is None else self.done)

    @property
    def effective_text(self) -> str:
        return hours_text(self.effective)

    @property
    def planned_text(self) -> str:
        return hours_text(self.planned)

    @property
    def remaining_text(self) -> str:
        return hours_text(self.remaining)

    @property
    def below_minimum(self) -> bool:
        return self.effective < self.minimum


def _minutes(bilan: Bilan) -> tuple[int, int]:
    """(effective, planned) minutes of the entretiens of the series linked to `bilan`.

    An occurrence counts as effective when the beneficiary's attendance is PRESENT, as
    planned when it is scheduled, not attended yet and not over: a missed entretien uses
    no hours."""
    present = Attendance.objects.filter(
        occurrence=OuterRef("pk"), user_id=bilan.beneficiary_id, status=Attendance.Status.PRESENT
    )
    occurrences = (
        Occurrence.objects.filter(
            series__bilan_session__bilan=bilan, series__kind=MeetingKind.BILAN_SESSION
        )
        .scheduled()
        .annotate(attended=Exists(present))
        .filter(Q(attended=True) | Q(end__gt=now()))
        .only("start", "end")
    )
    effective = planned = 0
    for occurrence in occurrences:
        if occurrence.attended:
            effective += occurrence.duration_minutes
        else:
            planned += occurrence.duration_minutes
    return effective, planned


def bilan_hours(bilan: Bilan) -> HoursSummary:
    effective, planned = _minutes(bilan)
    return HoursSummary(
        effective=minutes_to_hours(effective),
        planned=minutes_to_hours(planned),
        remaining=minutes_to_hours(max(0, MAX_MINUTES - effective - planned)),
        maximum=MAX_HOURS,
        minimum=min_hours(),
        ended=bilan.status == Phase.CLOSED,
        done=bilan.hours_done,
    )


def _is_finite(rrule: str) -> bool:
    rule = rrule.upper()
    return not rule or "COUNT=" in rule or "UNTIL=" in rule


def bilan_session_plan(
    *,
    consultant: User,
    bilan: Bilan,
    first_start: datetime,
    duration_minutes: int,
    rrule: str,
    mode: MeetingMode | str,
    location: str = "",
) -> MeetingSeries:
    """Plan entretiens for a bilan (its consultant only, PermissionDenied otherwise): a
    series of kind BILAN_SESSION between the consultant and the beneficiary, linked to the
    bilan. Refused (ValidationError) when the bilan is closed, when the rule has no end
    (COUNT or UNTIL), when its entretiens would take effective + planned hours past 24, or
    when one of them overlaps a meeting the consultant already has ("first_start", naming
    it: see `meetings.bilan_session_series_create`, ADR 0022)."""
    if not (consultant.is_authenticated and consultant.pk == bilan.consultant_id):
        raise PermissionDenied
    if not _is_finite(rrule):
        raise ValidationError(
            _(
                "Indiquez un nombre d'entretiens : les entretiens d'un bilan ne peuvent "
                "pas se répéter sans fin."
            ),
            code="endless",
        )
    rrule = rrule_validate(rrule) if rrule else ""
    if duration_minutes <= 0:
        raise ValidationError(_("La durée d'une rencontre va de 5 minutes à 12 heures."))
    # One more entretien than the cap could hold is enough to know the rule goes past it.
    starts = occurrence_starts(
        first_start=first_start,
        tz_name=DEFAULT_TIMEZONE,
        rrule=rrule,
        limit=MAX_MINUTES // duration_minutes + 1,
    )
    new_minutes = len(starts) * duration_minutes
    with transaction.atomic():
        # Two plans at once must each see the other's hours.
        locked = Bilan.objects.select_for_update().get(pk=bilan.pk)
        if locked.status == Phase.CLOSED:
            raise ValidationError(_("Ce bilan est terminé."), code="closed")
        effective, planned = _minutes(locked)
        total = effective + planned + new_minutes
        if total > MAX_MINUTES:
            raise ValidationError(
                _("Ce bilan atteindrait %(hours)s h : la loi limite un bilan à 24 heures.")
                % {"hours": hours_text(minutes_to_hours(total))},
                code="max_hours",
            )
        series = meetings.bilan_session_series_create(
            consultant=consultant,
            organisation=locked.organisation,
            title=_("Entretien de bilan — %(name)s")
            % {"name": locked.beneficiary.get_full_name() or locked.beneficiary.email},
            beneficiary=locked.beneficiary,
            first_start=first_start,
            duration_minutes=duration_minutes,
            rrule=rrule,
            mode=MeetingMode(mode),
            location=location,
        )
        BilanSession.objects.create(bilan=locked, series=series)
        audit_record(
            actor=consultant,
            action="bilan.session_plan",
            target=locked,
            organisation=locked.organisation,
            data={
                "series_id": series.pk,
                "new_minutes": new_minutes,
                "planned_minutes": planned,
                "effective_minutes": effective,
            },
        )
    return series
