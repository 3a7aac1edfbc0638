"""The bilans' part of the bilan pédagogique et financier (BPF, Code du travail L6352-11,
cerfa 10443) for a chosen year: how many bilans, people, hours and euros, by the funder line
the BPF sorts its products by.

What was read (ADR 0017): every organisme sends each year a document retracing the use of
the sums received and its educational and financial activity (L6352-11); the BPF covers the
last closed accounting year, gives the products by origin of the funds (companies, skills
operators, public bodies, individuals…) and counts the trainees received and their hours
(DREETS pages). What we decided where the texts leave room:

* a bilan counts in the year when it ran during it (opened before the year ended, not ended
  before it began); begun and ended in the year are given beside it;
* hours are those of the entretiens the person attended during the year (so a bilan across
  New Year is split between the two years);
* amounts are the agreed prices of the bilans ended in the year (Tisser's default terms bill
  at the end): not the accounting products, which the organisme's accounts give.

Exact figures, no small-numbers masking: the BPF is a legal declaration of exact figures the
organisme files itself, and these counts are management data of the organisation's own work,
which its coordinator already sees bilan by bilan (ADR 0013, ADR 0017). Two queries, whatever
the number of bilans."""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import models
from django.db.models import Count, DurationField, Exists, ExpressionWrapper, F, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tisser.accounts.access import require_coordinator_of
from tisser.accounts.models import User
from tisser.bilans.models import Bilan, Funding
from tisser.meetings.models import Attendance, MeetingKind, Occurrence


class BpfLine(models.TextChoices):
    """The BPF's origins of products a bilan's funder falls under."""

    EMPLOYERS = "employers", gettext_lazy("Entreprises, pour la formation de leurs salariés")
    OPCO = "opco", gettext_lazy("Opérateurs de compétences (OPCO)")
    CPF = "cpf", gettext_lazy("Compte personnel de formation (Caisse des Dépôts)")
    INDIVIDUALS = "individuals", gettext_lazy("Personnes à titre individuel et à leurs frais")
    OTHERS = "others", gettext_lazy("Autres financeurs, à classer selon le financeur")


# The eleven skills operators (OPCO) agreed since 2019, as their names are written.
OPCO_NAME = re.compile(
    r"\b(opco|afdas|atlas|akto|constructys|ocapiat|opcommerce|uniformation)",
    re.IGNORECASE,
)


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def bpf_line(funding: str, funder_name: str) -> BpfLine:
    """The BPF line of a bilan: CPF and self-funded by their funding; an employer-funded
    bilan (skills plan or congé de reclassement) under the OPCO line when its funder is an
    OPCO, under companies otherwise; anything else under "others" unless an OPCO pays."""
    is_opco = bool(OPCO_NAME.search(_plain(funder_name or "")))
    match funding:
        case Funding.CPF:
            return BpfLine.CPF
        case Funding.PERSONAL:
            return BpfLine.INDIVIDUALS
        case Funding.EMPLOYER | Funding.RECLASSEMENT:
            return BpfLine.OPCO if is_opco else BpfLine.EMPLOYERS
        case _:
            return BpfLine.OPCO if is_opco else BpfLine.OTHERS


@dataclass
class Figures:
    bilans: int = 0
    begun: int = 0
    ended: int = 0
    hours: Decimal = Decimal(0)
    amount: Decimal = Decimal(0)
    ended_without_price: int = 0
    beneficiary_ids: set[int] = field(default_factory=set)

    @property
    def beneficiaries(self) -> int:
        return len(self.beneficiary_ids)

    def add(self, other: "Figures") -> None:
        self.bilans += other.bilans
        self.begun += other.begun
        self.ended += other.ended
        self.hours += other.hours
        self.amount += other.amount
        self.ended_without_price += other.ended_without_price
        self.beneficiary_ids |= other.beneficiary_ids


@dataclass
class FunderRow:
    """One funder as typed on the bilans (`funder_name`), with its funding."""

    funding: str
    funder_name: str
    figures: Figures

    @property
    def funding_label(self) -> str:
        return str(Funding(self.funding).label) if self.funding in Funding.values else ""


@dataclass
class LineRow:
    line: BpfLine
    figures: Figures
    funders: list[FunderRow]


@dataclass(frozen=True)
class Bpf:
    organisation: object
    year: int
    lines: tuple[LineRow, ...]
    total: Figures

    @property
    def empty(self) -> bool:
        return self.total.bilans == 0


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(date(year, 1, 1), time.min), zone)
    end = timezone.make_aware(datetime.combine(date(year + 1, 1, 1), time.min), zone)
    return start, end


def _hours(duration: timedelta | None) -> Decimal:
    if not duration:
        return Decimal(0)
    return (Decimal(duration.total_seconds()) / 3600).quantize(Decimal("0.01"))


def bpf_compute(*, coordinator: User, organisation, year: int) -> Bpf:
    """The year's figures for the organisation's coordinator (PermissionDenied otherwise)."""
    require_coordinator_of(coordinator, organisation)
    start, end = _year_bounds(year)
    ran = Q(opened_at__lt=end) & (Q(closed_at__isnull=True) | Q(closed_at__gte=start))
    ended = Q(closed_at__gte=start, closed_at__lt=end)
    rows = (
        Bilan.objects.filter(ran, organisation=organisation)
        .values("funding", "funder_name", "beneficiary_id")
        .annotate(
            bilans=Count("id"),
            begun=Count("id", filter=Q(opened_at__gte=start)),
            ended=Count("id", filter=ended),
            amount=Sum("price_euros", filter=ended),
            without_price=Count("id", filter=ended & Q(price_euros__isnull=True)),
        )
        .order_by("funding", "funder_name", "beneficiary_id")
    )
    present = Attendance.objects.filter(
        occurrence=OuterRef("pk"),
        user_id=OuterRef("series__bilan_session__bilan__beneficiary_id"),
        status=Attendance.Status.PRESENT,
    )
    hours = (
        Occurrence.objects.scheduled()
        .filter(
            Exists(present),
            series__kind=MeetingKind.BILAN_SESSION,
            series__bilan_session__bilan__organisation=organisation,
            start__gte=start,
            start__lt=end,
        )
        .values(
            funding=F("series__bilan_session__bilan__funding"),
            funder_name=F("series__bilan_session__bilan__funder_name"),
        )
        .annotate(
            duration=Sum(ExpressionWrapper(F("end") - F("start"), output_field=DurationField()))
        )
        .order_by("funding", "funder_name")
    )
    funders: dict[tuple[str, str], Figures] = {}
    for row in rows:
        figures = funders.setdefault((row["funding"], row["funder_name"]), Figures())
        figures.add(
            Figures(
                bilans=row["bilans"],
                begun=row["begun"],
                ended=row["ended"],
                amount=row["amount"] or Decimal(0),
                ended_without_price=row["without_price"],
                beneficiary_ids={row["beneficiary_id"]},
            )
        )
    for row in hours:
        figures = funders.setdefault((row["funding"], row["funder_name"]), Figures())
        figures.hours += _hours(row["duration"])
    lines = {line: LineRow(line=line, figures=Figures(), funders=[]) for line in BpfLine}
    total = Figures()
    for (funding, funder_name), figures in sorted(funders.items()):
        line = lines[bpf_line(funding, funder_name)]
        line.funders.append(FunderRow(funding, funder_name, figures))
        line.figures.add(figures)
        total.add(figures)
    return Bpf(organisation=organisation, year=year, lines=tuple(lines.values()), total=total)


def _number(value: Decimal | int) -> str:
    text = format(Decimal(value).normalize(), "f")
    return text.replace(".", ",")


BPF_HEADER = (
    gettext_lazy("Ligne du BPF"),
    gettext_lazy("Financement"),
    gettext_lazy("Financeur indiqué"),
    gettext_lazy("Bilans suivis dans l'année"),
    gettext_lazy("dont commencés dans l'année"),
    gettext_lazy("dont terminés dans l'année"),
    gettext_lazy("Bénéficiaires"),
    gettext_lazy("Heures d'entretien réalisées dans l'année"),
    gettext_lazy("Prix des bilans terminés dans l'année (euros TTC)"),
    gettext_lazy("Bilans terminés sans prix saisi"),
)


def _figures(figures: Figures) -> list[str]:
    return [
        str(figures.bilans),
        str(figures.begun),
        str(figures.ended),
        str(figures.beneficiaries),
        _number(figures.hours),
        _number(figures.amount),
        str(figures.ended_without_price),
    ]


def bpf_rows(bpf: Bpf) -> list[list[str]]:
    """The CSV rows: header, then for each line its total and each of its funders, then the
    total (a person counted once even with two bilans)."""
    rows = [[str(label) for label in BPF_HEADER]]
    for line in bpf.lines:
        rows.append([str(line.line.label), _("Total de la ligne"), "", *_figures(line.figures)])
        for funder in line.funders:
            rows.append(
                [
                    str(line.line.label),
                    funder.funding_label,
                    funder.funder_name or _("(non indiqué)"),
                    *_figures(funder.figures),
                ]
            )
    rows.append([_("Total"), "", "", *_figures(bpf.total)])
    return rows
