"""Lists of bilans: the consultant's caseload and the coordinator's list of the organisme's
bilans, with one mechanism for both (ADR 0021).

`bilan_list(base, criteria)` narrows a queryset of bilans (already limited to what the
person may see) by name, phase, funding, open or ended, and consultant, annotates what a row
shows and sorts it in the database, so that a page can be cut by the paginator;
`caseload_rows(bilans)` then turns a page into rows, with the hours of all of them in one
query. Whatever the number of bilans, a page costs the same few queries.

A row carries, for an open bilan, its phase, hours, next entretien, isolation level and last
activity; for an ended one, what is still due after it: the follow-up interview, the
satisfaction questionnaire at the end, and the +6-month check (the questionnaire and the
isolation check six months after the end, see `tisser.bilans.followup`)."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import (
    BooleanField,
    Case,
    DateTimeField,
    Exists,
    F,
    JSONField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextChoices,
    Value,
    When,
)
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tisser.accounts.models import User
from tisser.assessments import isolation
from tisser.assessments.models import IsolationCheck
from tisser.bilans.followup import MONTHS_6
from tisser.bilans.models import (
    Bilan,
    BilanSession,
    FollowUp,
    Phase,
    SatisfactionMoment,
    SatisfactionResponse,
)
from tisser.bilans.services.hours import MAX_MINUTES, HoursSummary, min_hours, minutes_to_hours
from tisser.meetings.models import Attendance, MeetingKind, Occurrence


class Status(TextChoices):
    OPEN = "en-cours", _("En cours")
    ENDED = "termines", _("Terminés")


class Sort(TextChoices):
    # Open bilans first, the soonest next entretien first, then the most recent activity
    # (ended bilans, which have no next entretien to show, by their last activity).
    FOLLOW = "suivi", _("À suivre d'abord")
    NAME = "nom", _("Nom")
    ACTIVITY = "activite", _("Dernière activité")
    OPENED = "ouverture", _("Date d'ouverture")
    ENDED = "fin", _("Date de fin")


@dataclass(frozen=True)
class Criteria:
    """What a list of bilans is narrowed and sorted by; every field empty: all of them."""

    search: str = ""
    status: str = ""
    phase: str = ""
    funding: str = ""
    consultant_id: int | None = None
    sort: str = Sort.FOLLOW


@dataclass(frozen=True)
class Due:
    """One thing still to do after an ended bilan: what, by when (None: at once), and
    whether the date has passed."""

    label: Promise
    on: date | None = None
    late: bool = False


@dataclass(frozen=True)
class CaseloadRow:
    bilan: Bilan
    hours: HoursSummary
    next_session_start: datetime | None
    next_session_id: int | None
    isolation_score: int | None
    last_activity: datetime
    due: list[Due] = field(default_factory=list)

    @property
    def ended(self) -> bool:
        return self.bilan.status == Phase.CLOSED

    @property
    def isolation_band_label(self) -> Promise | None:
        if self.isolation_score is None:
            return None
        return isolation.BAND_LABELS[isolation.band_of(self.isolation_score)]

    @property
    def isolation_band(self) -> str | None:
        if self.isolation_score is None:
            return None
        return isolation.band_of(self.isolation_score).value


def _hours_by_bilan(bilans: list[Bilan], now: datetime) -> dict[int, HoursSummary]:
    """`bilan_hours` for many bilans in one query, with the same rule: effective when the
    beneficiary's attendance is PRESENT, planned when scheduled, not attended and not over."""
    present = Attendance.objects.filter(
        occurrence=OuterRef("pk"),
        user_id=OuterRef("series__bilan_session__bilan__beneficiary_id"),
        status=Attendance.Status.PRESENT,
    )
    rows = (
        Occurrence.objects.scheduled()
        .filter(series__bilan_session__bilan__in=bilans, series__kind=MeetingKind.BILAN_SESSION)
        .annotate(attended=Exists(present))
        .filter(Q(attended=True) | Q(end__gt=now))
        .values_list("series__bilan_session__bilan_id", "start", "end", "attended")
    )
    minutes: dict[int, list[int]] = {bilan.pk: [0, 0] for bilan in bilans}
    for bilan_id, start, end, attended in rows:
        minutes[bilan_id][0 if attended else 1] += int((end - start).total_seconds() // 60)
    minimum = min_hours()
    ended = {bilan.pk: bilan.status == Phase.CLOSED for bilan in bilans}
    done = {bilan.pk: bilan.hours_done for bilan in bilans}
    return {
        bilan_id: HoursSummary(
            effective=minutes_to_hours(effective),
            planned=minutes_to_hours(planned),
            remaining=minutes_to_hours(max(0, MAX_MINUTES - effective - planned)),
            minimum=minimum,
            ended=ended[bilan_id],
            done=done[bilan_id],
        )
        for bilan_id, (effective, planned) in minutes.items()
    }


def _search(bilans: QuerySet[Bilan], text: str) -> QuerySet[Bilan]:
    """Every word typed must be found in the beneficiary's first name, last name or e-mail
    ("martin ama" finds Amandine Martin)."""
    for word in text.split()[:5]:
        bilans = bilans.filter(
            Q(beneficiary__first_name__icontains=word)
            | Q(beneficiary__last_name__icontains=word)
            | Q(beneficiary__email__icontains=word)
        )
    return bilans


def bilan_list(
    bilans: QuerySet[Bilan], criteria: Criteria | None = None, *, personal: bool = True
) -> QuerySet[Bilan]:
    """`bilans` (already what the person may see) narrowed by `criteria`, annotated with
    what a row shows, sorted in the database; cut it in pages, then `caseload_rows`.

    `personal` adds what only the bilan's consultant sees: the last isolation level and
    what is due after the bilan (follow-up interview, satisfaction, +6-month check). A
    coordinator's list leaves it out: they see management data only (ADR 0021).

    Last activity is the latest of: an audit event on the bilan itself or done by the
    beneficiary in the bilan's organisation (consent, tools, émargement…), an isolation
    check, an attendance recorded on one of its entretiens, and its opening: kept on the
    row on write (`Bilan.last_activity_at`, see `tisser.bilans.activity`)."""
    criteria = criteria or Criteria()
    now = timezone.now()
    if criteria.search.strip():
        bilans = _search(bilans, criteria.search)
    if criteria.status == Status.OPEN:
        bilans = bilans.open()
    elif criteria.status == Status.ENDED:
        bilans = bilans.filter(status=Phase.CLOSED)
    if criteria.phase:
        bilans = bilans.filter(status=criteria.phase)
    if criteria.funding:
        bilans = bilans.filter(funding=criteria.funding)
    if criteria.consultant_id:
        bilans = bilans.filter(consultant_id=criteria.consultant_id)

    sessions = Occurrence.objects.scheduled().filter(
        series__bilan_session__bilan=OuterRef("pk"), series__kind=MeetingKind.BILAN_SESSION
    )
    upcoming = sessions.filter(start__gt=now).order_by("start", "id")
    checks = IsolationCheck.objects.filter(
        user=OuterRef("beneficiary"), organisation=OuterRef("organisation")
    ).order_by("-created_at", "-id")
    followup = FollowUp.objects.filter(bilan=OuterRef("pk"))
    answered = SatisfactionResponse.objects.filter(bilan=OuterRef("pk"))
    six_months_check = IsolationCheck.objects.filter(
        user=OuterRef("beneficiary"),
        organisation=OuterRef("organisation"),
        moment=IsolationCheck.Moment.PLUS_6_MONTHS,
        created_at__gte=OuterRef("opened_at"),
    )
    bilans = bilans.select_related("beneficiary", "consultant").annotate(
        next_session_start=Subquery(upcoming.values("start")[:1]),
        next_session_id=Subquery(upcoming.values("pk")[:1]),
        last_activity=F("last_activity_at"),
    )
    if personal:
        bilans = bilans.annotate(
            isolation_scores=Subquery(checks.values("scores")[:1], output_field=JSONField()),
            followup_status=Subquery(followup.values("status")[:1]),
            followup_start=Subquery(followup.values("start")[:1]),
            satisfaction_end=Exists(answered.filter(moment=SatisfactionMoment.END)),
            satisfaction_6m=Exists(answered.filter(moment=SatisfactionMoment.PLUS_6_MONTHS)),
            check_6m=Exists(six_months_check),
        )
    bilans = bilans.annotate(
        is_ended=Case(
            When(status=Phase.CLOSED, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )
    match criteria.sort:
        case Sort.NAME:
            order = ["beneficiary__last_name", "beneficiary__first_name", "-opened_at"]
        case Sort.ACTIVITY:
            order = ["-last_activity_at"]
        case Sort.OPENED:
            order = ["-opened_at"]
        case Sort.ENDED:
            order = [F("closed_at").desc(nulls_last=True)]
        case _:
            # An ended bilan shows no next entretien: ended ones follow by last activity,
            # and the next entretien is looked up for the open bilans only (a subquery for
            # each row the database sorts; the rows of the page read it once more).
            # Every series linked to a bilan is of its kind (`bilan_session_series_create`):
            # the sort reads the occurrences of its series without the series themselves.
            series_ids = BilanSession.objects.filter(bilan=OuterRef(OuterRef("pk")))
            soonest = (
                Occurrence.objects.scheduled()
                .filter(series_id__in=series_ids.values("series_id"), start__gt=now)
                .order_by("start")
            )
            upcoming_if_open = Case(
                When(status=Phase.CLOSED, then=Value(None)),
                default=Subquery(soonest.values("start")[:1]),
                output_field=DateTimeField(),
            )
            order = [
                "is_ended",
                upcoming_if_open.asc(nulls_last=True),
                "-last_activity_at",
            ]
    return bilans.order_by(*order, "-id")


def _due(bilan: Bilan, today: date) -> list[Due]:
    """What an ended bilan still calls for (see the module docstring); nothing while open
    or when the list is not `personal`."""
    if bilan.status != Phase.CLOSED or bilan.closed_at is None:
        return []
    if not hasattr(bilan, "satisfaction_end"):
        return []
    due = []
    status = getattr(bilan, "followup_status", None)
    if status is None:
        due.append(Due(_("Entretien de suivi à proposer")))
    elif status in (FollowUp.Status.PROPOSED, FollowUp.Status.ACCEPTED):
        day = timezone.localdate(bilan.followup_start)
        label = (
            _("Entretien de suivi proposé")
            if status == FollowUp.Status.PROPOSED
            else _("Entretien de suivi accepté")
        )
        due.append(Due(label, day, late=day < today))
    if not bilan.satisfaction_end:
        due.append(Due(_("Questionnaire de satisfaction de fin sans réponse")))
    if not (bilan.satisfaction_6m and bilan.check_6m):
        day = timezone.localdate(bilan.closed_at + MONTHS_6)
        due.append(Due(_("Point à six mois"), day, late=day < today))
    return due


def caseload_rows(bilans) -> list[CaseloadRow]:
    """The rows of `bilans` (a page of `bilan_list`, in its order), with their hours in one
    more query."""
    bilans = list(bilans)
    now = timezone.now()
    today = timezone.localdate(now)
    hours = _hours_by_bilan(bilans, now)
    rows = []
    for bilan in bilans:
        scores = getattr(bilan, "isolation_scores", None) or {}
        overall = scores.get(isolation.OVERALL) if isinstance(scores, dict) else None
        rows.append(
            CaseloadRow(
                bilan=bilan,
                hours=hours[bilan.pk],
                next_session_start=bilan.next_session_start,
                next_session_id=bilan.next_session_id,
                isolation_score=overall if isinstance(overall, int) else None,
                last_activity=bilan.last_activity,
                due=_due(bilan, today),
            )
        )
    return rows


def consultant_bilans(consultant: User) -> QuerySet[Bilan]:
    """The bilans `consultant` runs, open and ended: their caseload before any criteria."""
    return Bilan.objects.involving(consultant).filter(consultant=consultant)


def organisation_bilans(coordinator: User) -> QuerySet[Bilan]:
    """The bilans of the organisations `coordinator` coordinates (management data only)."""
    return Bilan.objects.filter(
        organisation_id__in=coordinator.memberships.coordinated_organisation_ids()
    )


def consultant_caseload(
    consultant: User, *, phase: Phase | str | None = None, criteria: Criteria | None = None
) -> list[CaseloadRow]:
    """Every row of `consultant`'s caseload (open bilans first, next entretien soonest,
    then the most recent activity); `phase` keeps one phase. Pages use `bilan_list` and
    cut it first."""
    criteria = criteria or Criteria(phase=phase or "")
    return caseload_rows(bilan_list(consultant_bilans(consultant), criteria))
