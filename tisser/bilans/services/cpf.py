"""The CPF dossier of a bilan (Caisse des Dépôts, Mon Compte Formation / EDOF): its number,
planned and actual entry and exit, the three-working-day deadlines to declare them, and the
"service fait" figures the organisme declares at the exit.

What the Caisse des Dépôts' help pages for organismes say (read for ADR 0017):
* the organisme declares the actual entry of the person within three working days, and the
  actual exit within three working days; the exit is only recorded with the declaration of
  "service fait" ("Comment déclarer le service fait", "Déclarer l'entrée en formation : les
  points de vigilance");
* at the exit it declares a total or partial completion; when partial, the completion rate,
  a whole number computed as hours done over hours planned, rounded half up ("Comment
  calculer le taux de réalisation", citing article 5.1 of the Conditions particulières des
  organismes de formation), the reason (the person abandoned or was absent; the organisme
  interrupted, with or without a later resumption; force majeure: "Comment choisir le motif
  de sortie de formation") and the duration not done.

The platform has no API here: the consultant or a coordinator declares on EDOF, then records
the date here."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tisser.accounts.access import require_coordinator_of
from tisser.accounts.models import Membership, User
from tisser.bilans.models import Bilan, EndReason, Funding, Outcome
from tisser.bilans.models.cpf import CpfDossier, dossier_number_clean
from tisser.bilans.notice_kinds import BilanNotice
from tisser.core.audit import audit_record
from tisser.core.versioning import version_bump
from tisser.core.workdays import add_working_days, working_days_between
from tisser.notifications.actions import resolve

# Three working days to declare the entry, and as many to declare the exit.
DECLARATION_WORKING_DAYS = 3

FIELDS = (
    "number",
    "planned_entry_on",
    "planned_exit_on",
    "entry_on",
    "entry_declared_on",
    "exit_declared_on",
    "service_fait_declared_on",
)

STALE_MESSAGE = gettext_lazy(
    "Le dossier CPF a été enregistré entre-temps. Relisez la version enregistrée, affichée "
    "à côté de chaque champ modifié, avant d'enregistrer la vôtre."
)


class Step(models.TextChoices):
    ENTRY = "entry", gettext_lazy("Entrée en formation")
    EXIT = "exit", gettext_lazy("Sortie et service fait")


class State(models.TextChoices):
    WAITING = "waiting", gettext_lazy("Pas encore")
    DUE = "due", gettext_lazy("À déclarer")
    OVERDUE = "overdue", gettext_lazy("En retard")
    DECLARED = "declared", gettext_lazy("Déclarée")
    DECLARED_LATE = "declared_late", gettext_lazy("Déclarée en retard")


# The Caisse des Dépôts' reasons for a partial completion, from our EndReason.
CPF_REASONS: dict[str, Promise] = {
    EndReason.ABANDON: gettext_lazy("Stagiaire : abandon en cours de parcours"),
    EndReason.ABSENCE: gettext_lazy("Stagiaire : absence sans rattrapage"),
    EndReason.INTERRUPTION: gettext_lazy(
        "Organisme : interruption (préciser sur EDOF si un report est proposé)"
    ),
    EndReason.FORCE_MAJEURE: gettext_lazy("Force majeure"),
}


def cpf_applies(bilan: Bilan) -> bool:
    return bilan.funding == Funding.CPF


def completion_rate(hours_done: Decimal | None, planned_hours: Decimal | None) -> int | None:
    """Hours done over hours planned, in whole percent, rounded half up as the Caisse des
    Dépôts asks (62.5 → 63), at most 100; None while the hours are not frozen."""
    if hours_done is None or not planned_hours:
        return None
    rate = (Decimal(hours_done) * 100 / Decimal(planned_hours)).quantize(
        Decimal("1"), rounding=ROUND_HALF_UP
    )
    return int(min(rate, Decimal(100)))


@dataclass(frozen=True)
class Deadline:
    """One declaration to make on EDOF: the event's day (None while it has not happened),
    the last working day to declare it, the day it was declared."""

    step: Step
    event_on: date | None
    due_on: date | None
    declared_on: date | None
    today: date

    @property
    def state(self) -> State:
        if self.declared_on is not None:
            if self.due_on is not None and self.declared_on > self.due_on:
                return State.DECLARED_LATE
            return State.DECLARED
        if self.due_on is None or (self.event_on is not None and self.event_on > self.today):
            return State.WAITING
        return State.OVERDUE if self.today > self.due_on else State.DUE

    @property
    def open(self) -> bool:
        """Something to do now: due or overdue."""
        return self.state in (State.DUE, State.OVERDUE)

    @property
    def working_days_left(self) -> int | None:
        if self.state != State.DUE or self.due_on is None:
            return None
        return working_days_between(self.today, self.due_on)


@dataclass(frozen=True)
class ServiceFait:
    """What the organisme declares at the exit, from the bilan's frozen figures."""

    exit_on: date | None
    outcome: str
    planned_hours: Decimal
    hours_done: Decimal | None
    rate: int | None
    end_reason: str

    @property
    def partial(self) -> bool:
        return self.outcome not in ("", Outcome.COMPLETED) or (
            self.rate is not None and self.rate < 100
        )

    @property
    def hours_not_done(self) -> Decimal | None:
        if self.hours_done is None:
            return None
        return max(Decimal(self.planned_hours) - Decimal(self.hours_done), Decimal(0))

    @property
    def reason_label(self) -> str:
        return str(EndReason(self.end_reason).label) if self.end_reason else ""

    @property
    def cpf_reason(self) -> str:
        """The reason to choose on EDOF; a withdrawn consent is the person's own decision."""
        if not self.partial:
            return ""
        if self.end_reason:
            return str(CPF_REASONS[self.end_reason])
        if self.outcome == Outcome.WITHDRAWN:
            return str(CPF_REASONS[EndReason.ABANDON])
        return _("Motif à renseigner")


@dataclass(frozen=True)
class CpfSummary:
    """A CPF bilan's dossier (None until recorded), its two deadlines and its service fait."""

    bilan: Bilan
    dossier: CpfDossier | None
    entry: Deadline
    exit: Deadline
    service_fait: ServiceFait

    @property
    def deadlines(self) -> tuple[Deadline, Deadline]:
        return (self.entry, self.exit)

    @property
    def overdue(self) -> bool:
        return any(deadline.state == State.OVERDUE for deadline in self.deadlines)

    @property
    def next_due_on(self) -> date | None:
        due = [d.due_on for d in self.deadlines if d.open and d.due_on is not None]
        return min(due) if due else None

    @property
    def to_do(self) -> bool:
        return self.dossier is None or any(d.open for d in self.deadlines)


def _localdate(value: datetime | None) -> date | None:
    return timezone.localdate(value) if value is not None else None


def entry_on(bilan: Bilan, dossier: CpfDossier | None) -> date:
    """The actual entry: the day recorded on the dossier, else the bilan's opening day."""
    if dossier is not None and dossier.entry_on is not None:
        return dossier.entry_on
    return timezone.localdate(bilan.opened_at)


def _deadlines(
    *,
    entered: date,
    exited: date | None,
    entry_declared: date | None,
    exit_declared: date | None,
    today: date,
) -> tuple[Deadline, Deadline]:
    return (
        Deadline(
            step=Step.ENTRY,
            event_on=entered,
            due_on=add_working_days(entered, DECLARATION_WORKING_DAYS),
            declared_on=entry_declared,
            today=today,
        ),
        Deadline(
            step=Step.EXIT,
            event_on=exited,
            due_on=add_working_days(exited, DECLARATION_WORKING_DAYS) if exited else None,
            declared_on=exit_declared,
            today=today,
        ),
    )


def _exit_declared(exit_declared_on: date | None, service_fait_declared_on: date | None):
    """The exit counts as declared once both the exit and the service fait are."""
    if exit_declared_on and service_fait_declared_on:
        return max(exit_declared_on, service_fait_declared_on)
    return None


def cpf_summary(bilan: Bilan, *, today: date | None = None) -> CpfSummary:
    """Deadlines and service fait of a CPF bilan, with `bilan.cpf_dossier` loaded or absent
    (no query when the caller used select_related("cpf_dossier"))."""
    today = today or timezone.localdate()
    dossier = getattr(bilan, "cpf_dossier", None)
    exited = _localdate(bilan.closed_at)
    entry, exit_ = _deadlines(
        entered=entry_on(bilan, dossier),
        exited=exited,
        entry_declared=dossier.entry_declared_on if dossier else None,
        exit_declared=(
            _exit_declared(dossier.exit_declared_on, dossier.service_fait_declared_on)
            if dossier
            else None
        ),
        today=today,
    )
    return CpfSummary(
        bilan=bilan,
        dossier=dossier,
        entry=entry,
        exit=exit_,
        service_fait=ServiceFait(
            exit_on=exited,
            outcome=bilan.outcome,
            planned_hours=bilan.planned_hours,
            hours_done=bilan.hours_done,
            rate=completion_rate(bilan.hours_done, bilan.planned_hours),
            end_reason=bilan.end_reason,
        ),
    )


def cpf_dossier_initial(bilan: Bilan) -> dict:
    """A new dossier form: the entry planned and actual on the bilan's opening day, the exit
    planned twelve weeks later (a bilan is commonly run over a few weeks to three months)."""
    opened = timezone.localdate(bilan.opened_at)
    return {
        "number": "",
        "planned_entry_on": opened,
        "planned_exit_on": opened + timedelta(weeks=12),
        "entry_on": opened,
    }


def _may_record(actor: User, bilan: Bilan) -> bool:
    if not (actor.is_authenticated and actor.is_active):
        return False
    return actor.pk == bilan.consultant_id or Membership.objects.is_coordinator_of(
        actor, bilan.organisation_id
    )


def cpf_dossier_save(
    *, actor: User, bilan: Bilan, values: dict, expected_version: int
) -> CpfDossier:
    """Create or update the CPF dossier of `bilan`: its consultant or a coordinator of its
    organisation (PermissionDenied otherwise), CPF funding only. `expected_version`: the
    version the form was opened at, 0 for a new one; changed since → StaleVersion, nothing
    written. Invalid values → ValidationError by field. Still editable once the bilan is
    closed: the exit and service fait are declared after it."""
    if not _may_record(actor, bilan):
        raise PermissionDenied
    if not cpf_applies(bilan):
        raise ValidationError(
            _("Un dossier CPF ne concerne que les bilans financés par le CPF."), code="funding"
        )
    with transaction.atomic():
        locked = Bilan.objects.select_for_update().get(pk=bilan.pk)
        dossier = CpfDossier.objects.select_for_update().filter(bilan=locked).first()
        current = timezone.now()
        if dossier is None:
            if expected_version != 0:
                raise ValidationError(_("Ce dossier CPF n'existe plus."), code="missing")
            dossier = CpfDossier(bilan=locked, created_at=current, version=1)
            action = "cpf_dossier.create"
        else:
            version_bump(dossier, expected=expected_version, message=STALE_MESSAGE)
            action = "cpf_dossier.save"
        for name in FIELDS:
            value = values.get(name)
            if name == "number":
                value = dossier_number_clean(value or "")
            setattr(dossier, name, value)
        dossier.updated_at = current
        dossier.updated_by = actor
        errors: dict[str, str | list[str]] = {}
        today = timezone.localdate()
        for name in ("entry_declared_on", "exit_declared_on", "service_fait_declared_on"):
            declared = getattr(dossier, name)
            if declared is not None and declared > today:
                errors[name] = _(
                    "Indiquez le jour où la déclaration a été faite, pas un jour à venir."
                )
        exited = _localdate(locked.closed_at)
        if dossier.exit_declared_on and exited is None:
            errors["exit_declared_on"] = _(
                "Le bilan n'est pas terminé : la sortie se déclare une fois qu'il a pris fin."
            )
        elif dossier.exit_declared_on and exited and dossier.exit_declared_on < exited:
            errors["exit_declared_on"] = _(
                "La sortie ne peut pas être déclarée avant la fin du bilan."
            )
        try:
            dossier.full_clean(exclude=["bilan"])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(name, messages)
        if errors:
            raise ValidationError(errors)
        dossier.save()
        audit_record(
            actor=actor,
            action=action,
            target=dossier,
            organisation=locked.organisation,
            data={"bilan_id": locked.pk, "version": dossier.version},
        )
        locked.cpf_dossier = dossier
        if not any(deadline.open for deadline in cpf_summary(locked).deadlines):
            # Nothing left to declare: the reminders are done, for the consultant and every
            # coordinator (ADR 0024).
            resolve(locked, BilanNotice.CPF_DEADLINE)
    return dossier


# --- The coordinator's views: dossiers to declare, service-fait lines ------------------------


def cpf_bilans(organisation_id: int):
    """The CPF bilans of an organisation with what their summaries need, in one query."""
    return (
        Bilan.objects.filter(organisation_id=organisation_id, funding=Funding.CPF)
        .select_related("beneficiary", "consultant", "cpf_dossier")
        .order_by("-opened_at", "-pk")
    )


@dataclass(frozen=True)
class CpfOverview:
    """The CPF bilans of an organisation in the coordinator's order (their ids), and how
    many are overdue or have something to do."""

    bilan_ids: list[int]
    overdue: int
    to_do: int


def cpf_dossiers_overview(
    *, coordinator: User, organisation, everything: bool = False, today: date | None = None
) -> CpfOverview:
    """The organisation's CPF bilans for its coordinator: by default those with something to
    do (no dossier yet, a declaration due or overdue), the overdue first, then by the next
    deadline, then the latest opened; `everything` lists them all. One query of the dates
    the deadlines need, not of whole bilans: `cpf_summaries` reads the ones shown."""
    require_coordinator_of(coordinator, organisation)
    today = today or timezone.localdate()
    # The local days come from the database: 3,000 `localdate` calls cost more than the query.
    rows = (
        Bilan.objects.filter(organisation_id=organisation.pk, funding=Funding.CPF)
        .order_by()  # sorted below, on the deadlines
        .values_list(
            "pk",
            "opened_at",
            TruncDate("opened_at"),
            TruncDate("closed_at"),
            "cpf_dossier__pk",
            "cpf_dossier__entry_on",
            "cpf_dossier__entry_declared_on",
            "cpf_dossier__exit_declared_on",
            "cpf_dossier__service_fait_declared_on",
        )
    )
    keyed = []
    overdue_count = to_do_count = 0
    for row in rows:
        pk, opened_at, opened_on, closed_on, dossier_pk, entered, entry_declared = row[:7]
        deadlines = _deadlines(
            entered=entered or opened_on,
            exited=closed_on,
            entry_declared=entry_declared,
            exit_declared=_exit_declared(*row[7:]),
            today=today,
        )
        overdue = any(deadline.state == State.OVERDUE for deadline in deadlines)
        due = [d.due_on for d in deadlines if d.open and d.due_on is not None]
        to_do = dossier_pk is None or bool(due)
        overdue_count += overdue
        to_do_count += to_do
        if everything or to_do:
            keyed.append(
                ((not overdue, min(due) if due else date.max, -opened_at.timestamp(), -pk), pk)
            )
    keyed.sort()
    return CpfOverview(
        bilan_ids=[pk for _key, pk in keyed], overdue=overdue_count, to_do=to_do_count
    )


def cpf_summaries(bilan_ids: list[int], *, today: date | None = None) -> list[CpfSummary]:
    """The summaries of these CPF bilans, in the order given. One query."""
    bilans = cpf_bilans_by_id(bilan_ids)
    return [cpf_summary(bilans[pk], today=today) for pk in bilan_ids if pk in bilans]


def cpf_bilans_by_id(bilan_ids: list[int]) -> dict[int, Bilan]:
    return {
        bilan.pk: bilan
        for bilan in Bilan.objects.filter(pk__in=bilan_ids, funding=Funding.CPF).select_related(
            "beneficiary", "consultant", "cpf_dossier"
        )
    }


def service_fait_lines(
    *, coordinator: User, organisation, start: date, end: date
) -> list[CpfSummary]:
    """One line per CPF bilan of the organisation ended from `start` to `end` (both included,
    local dates), oldest exit first. One query."""
    require_coordinator_of(coordinator, organisation)
    bilans = cpf_bilans(organisation.pk).filter(closed_at__isnull=False).order_by("closed_at", "pk")
    lines = []
    for bilan in bilans.filter(closed_at__date__gte=start, closed_at__date__lte=end):
        lines.append(cpf_summary(bilan))
    return lines


def _number(value: Decimal | int | None) -> str:
    """A number for French Excel: a decimal comma, no useless zeros; empty for nothing."""
    if value is None:
        return ""
    text = format(Decimal(value).normalize(), "f")
    return text.replace(".", ",")


def _day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


SERVICE_FAIT_HEADER = (
    gettext_lazy("Numéro de dossier"),
    gettext_lazy("Bénéficiaire"),
    gettext_lazy("Entrée effective"),
    gettext_lazy("Sortie effective"),
    gettext_lazy("Durée prévue (heures)"),
    gettext_lazy("Heures réalisées"),
    gettext_lazy("Heures non réalisées"),
    gettext_lazy("Taux de réalisation (%)"),
    gettext_lazy("Réalisation"),
    gettext_lazy("Motif de fin anticipée"),
    gettext_lazy("Motif à choisir sur EDOF"),
    gettext_lazy("Sortie déclarée le"),
    gettext_lazy("Service fait déclaré le"),
)


def service_fait_rows(lines: list[CpfSummary]) -> list[list[str]]:
    """The CSV rows of `service_fait_lines`, header first."""
    rows = [[str(label) for label in SERVICE_FAIT_HEADER]]
    for line in lines:
        bilan, dossier, fait = line.bilan, line.dossier, line.service_fait
        rows.append(
            [
                dossier.number if dossier else "",
                bilan.beneficiary.get_full_name() or bilan.beneficiary.email,
                _day(line.entry.event_on),
                _day(fait.exit_on),
                _number(fait.planned_hours),
                _number(fait.hours_done),
                _number(fait.hours_not_done),
                "" if fait.rate is None else str(fait.rate),
                _("partielle") if fait.partial else _("totale"),
                fait.reason_label,
                fait.cpf_reason,
                _day(dossier.exit_declared_on if dossier else None),
                _day(dossier.service_fait_declared_on if dossier else None),
            ]
        )
    return rows
