"""Evidence the bilans already hold, for the indicator map (issue #18, ADR 0033): counts of the
organisation's own work in the span — management figures the coordination already sees bilan
by bilan (ADR 0013: not answers, so not under the small-numbers rule) — each with a link to
the coordinator's page where they are listed. Each provider reads one to three aggregate
queries, whatever the organisation's size. Nothing here reads what belongs to the
beneficiary alone (the synthèse's text, working documents): only that they exist and when."""

from datetime import datetime, time, timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tisser.assessments.models import InventoryResponse
from tisser.bilans.models import (
    Bilan,
    BilanSession,
    FollowUp,
    Outcome,
    PhaseTransition,
    RenderedPdf,
    ShortlistEntry,
    SynthesisDocument,
)
from tisser.core.dates import french_date
from tisser.core.enums import Role
from tisser.core.models import AuditEvent
from tisser.meetings.models import Occurrence
from tisser.quality.evidence import EvidenceLine, Span, register
from tisser.referentiel.models import RomeVersion


def moments(span: Span) -> tuple[datetime, datetime]:
    """The span as aware datetimes: its first day's midnight, the midnight after its last."""
    start = timezone.make_aware(datetime.combine(span.first_day, time.min))
    end = timezone.make_aware(datetime.combine(span.last_day + timedelta(days=1), time.min))
    return start, end


def within(field: str, span: Span) -> Q:
    """`field` (a datetime) falls in the span."""
    start, end = moments(span)
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def on_days(field: str, span: Span) -> Q:
    """`field` (a date) falls in the span."""
    return Q(**{f"{field}__gte": span.first_day, f"{field}__lte": span.last_day})


def _bilan_list() -> str:
    return reverse("coordinator:bilan_list")


def preliminary_lines(organisation, span: Span) -> list[EvidenceLine]:
    """4–5: the analysis of the need and the objectives agreed in the préliminaire
    (R6313-4 1°): the record written by the consultant, acknowledged by the person."""
    counts = Bilan.objects.filter(within("opened_at", span), organisation=organisation).aggregate(
        opened=Count("id"),
        recorded=Count("preliminary"),
        acknowledged=Count("preliminary", filter=Q(preliminary__acknowledged_at__isnull=False)),
    )
    return [
        EvidenceLine(
            ngettext(
                "%(count)s bilan ouvert sur la période",
                "%(count)s bilans ouverts sur la période",
                counts["opened"],
            )
            % {"count": counts["opened"]},
            _bilan_list(),
        ),
        EvidenceLine(
            ngettext(
                "%(count)s compte rendu de phase préliminaire (analyse de la demande et du "
                "besoin, objectifs, modalités)",
                "%(count)s comptes rendus de phase préliminaire (analyse de la demande et du "
                "besoin, objectifs, modalités)",
                counts["recorded"],
            )
            % {"count": counts["recorded"]}
        ),
        EvidenceLine(
            ngettext(
                "dont %(count)s lu et validé par la personne",
                "dont %(count)s lus et validés par la personne",
                counts["acknowledged"],
            )
            % {"count": counts["acknowledged"]}
        ),
    ]


def sessions_lines(organisation, span: Span) -> list[EvidenceLine]:
    """6: the bilan runs in its three phases (R6313-4), through entretiens."""
    held = (
        Occurrence.objects.filter(
            within("start", span),
            series__in=BilanSession.objects.filter(bilan__organisation=organisation).values(
                "series_id"
            ),
        )
        .exclude(status=Occurrence.Status.CANCELLED)
        .count()
    )
    transitions = PhaseTransition.objects.filter(
        within("at", span), bilan__organisation=organisation
    ).count()
    return [
        EvidenceLine(
            ngettext(
                "%(count)s entretien de bilan sur la période",
                "%(count)s entretiens de bilan sur la période",
                held,
            )
            % {"count": held},
            reverse("coordinator:bilans"),
        ),
        EvidenceLine(
            ngettext(
                "%(count)s passage d'une phase à la suivante (préliminaire, investigation, "
                "conclusion)",
                "%(count)s passages d'une phase à la suivante (préliminaire, investigation, "
                "conclusion)",
                transitions,
            )
            % {"count": transitions}
        ),
    ]


def information_lines(organisation, span: Span) -> list[EvidenceLine]:
    """9: what the person is told and agrees to before the bilan — consent (L6313-4),
    the convention (R6313-8) or the contract signed."""
    counts = Bilan.objects.filter(organisation=organisation).aggregate(
        consents=Count("consent", filter=within("consent__accepted_at", span)),
        conventions=Count(
            "convention",
            filter=on_days("convention__beneficiary_signed_on", span)
            | within("convention__beneficiary_accepted_at", span),
        ),
        contracts=Count(
            "contract",
            filter=on_days("contract__signed_on", span)
            | within("contract__beneficiary_accepted_at", span),
        ),
    )
    return [
        EvidenceLine(
            ngettext(
                "%(count)s consentement au bilan recueilli",
                "%(count)s consentements au bilan recueillis",
                counts["consents"],
            )
            % {"count": counts["consents"]},
            _bilan_list(),
        ),
        EvidenceLine(
            ngettext(
                "%(count)s convention signée par la personne",
                "%(count)s conventions signées par la personne",
                counts["conventions"],
            )
            % {"count": counts["conventions"]}
        ),
        EvidenceLine(
            ngettext(
                "%(count)s contrat signé par la personne",
                "%(count)s contrats signés par la personne",
                counts["contracts"],
            )
            % {"count": counts["contracts"]},
            reverse("coordinator:cpf"),
        ),
    ]


def followup_lines(organisation, span: Span) -> list[EvidenceLine]:
    """10: the follow-up interview six months after the bilan (R6313-4 3°)."""
    counts = FollowUp.objects.filter(bilan__organisation=organisation).aggregate(
        proposed=Count("id", filter=within("proposed_at", span)),
        done=Count("id", filter=within("done_at", span)),
    )
    return [
        EvidenceLine(
            ngettext(
                "%(count)s entretien de suivi à six mois proposé",
                "%(count)s entretiens de suivi à six mois proposés",
                counts["proposed"],
            )
            % {"count": counts["proposed"]},
            _bilan_list(),
        ),
        EvidenceLine(
            ngettext(
                "%(count)s entretien de suivi réalisé",
                "%(count)s entretiens de suivi réalisés",
                counts["done"],
            )
            % {"count": counts["done"]}
        ),
    ]


def objectives_lines(organisation, span: Span) -> list[EvidenceLine]:
    """11: the bilans led to their term, their document de synthèse validated (only that it
    exists and when: its text is the person's) and the attestations issued."""
    completed = Bilan.objects.filter(
        within("closed_at", span), organisation=organisation, outcome=Outcome.COMPLETED
    ).count()
    syntheses = SynthesisDocument.objects.filter(
        within("validated_at", span), bilan__organisation=organisation
    ).count()
    attestations = RenderedPdf.objects.filter(
        within("rendered_at", span),
        bilan__organisation=organisation,
        kind=RenderedPdf.Kind.ATTESTATION,
    ).count()
    return [
        EvidenceLine(
            ngettext(
                "%(count)s bilan mené à son terme",
                "%(count)s bilans menés à leur terme",
                completed,
            )
            % {"count": completed},
            reverse("coordinator:outcomes"),
        ),
        EvidenceLine(
            ngettext(
                "%(count)s document de synthèse validé",
                "%(count)s documents de synthèse validés",
                syntheses,
            )
            % {"count": syntheses}
        ),
        EvidenceLine(
            ngettext(
                "%(count)s attestation de présence éditée",
                "%(count)s attestations de présence éditées",
                attestations,
            )
            % {"count": attestations}
        ),
    ]


def endings_lines(organisation, span: Span) -> list[EvidenceLine]:
    """12: how the bilans ended before their term, with the reason recorded — what the
    prevention of drop-outs is measured against."""
    counts = Bilan.objects.filter(within("closed_at", span), organisation=organisation).aggregate(
        ended=Count("id"),
        interrupted=Count("id", filter=Q(outcome=Outcome.INTERRUPTED)),
        abandoned=Count("id", filter=Q(outcome=Outcome.ABANDONED)),
        withdrawn=Count("id", filter=Q(outcome=Outcome.WITHDRAWN)),
    )
    return [
        EvidenceLine(
            ngettext(
                "%(count)s bilan terminé sur la période",
                "%(count)s bilans terminés sur la période",
                counts["ended"],
            )
            % {"count": counts["ended"]},
            reverse("coordinator:bilans"),
        ),
    ] + [
        EvidenceLine(text)
        for text in (
            ngettext(
                "%(count)s bilan interrompu",
                "%(count)s bilans interrompus",
                counts["interrupted"],
            )
            % {"count": counts["interrupted"]},
            ngettext(
                "%(count)s bilan abandonné",
                "%(count)s bilans abandonnés",
                counts["abandoned"],
            )
            % {"count": counts["abandoned"]},
            ngettext(
                "%(count)s bilan arrêté par le retrait du consentement",
                "%(count)s bilans arrêtés par le retrait du consentement",
                counts["withdrawn"],
            )
            % {"count": counts["withdrawn"]},
        )
    ]


def means_lines(organisation, span: Span) -> list[EvidenceLine]:
    """17 and 19: the consultants at work and the tools the persons used — self-inventories
    completed, ROME fiches explored."""
    consultants = organisation.memberships.filter(is_active=True, role=Role.CONSULTANT).count()
    inventories = InventoryResponse.objects.filter(
        within("created_at", span), organisation=organisation
    ).count()
    fiches = ShortlistEntry.objects.filter(
        within("added_at", span), bilan__organisation=organisation
    ).count()
    return [
        EvidenceLine(
            ngettext(
                "%(count)s consultant·e en activité",
                "%(count)s consultant·es en activité",
                consultants,
            )
            % {"count": consultants},
            reverse("coordinator:home") + "#equipe",
        ),
        EvidenceLine(
            ngettext(
                "%(count)s inventaire rempli (intérêts RIASEC, valeurs et motivations)",
                "%(count)s inventaires remplis (intérêts RIASEC, valeurs et motivations)",
                inventories,
            )
            % {"count": inventories}
        ),
        EvidenceLine(
            ngettext(
                "%(count)s fiche métier du ROME retenue pour être explorée",
                "%(count)s fiches métiers du ROME retenues pour être explorées",
                fiches,
            )
            % {"count": fiches},
            reverse("metiers:search"),
        ),
    ]


def handover_lines(organisation, span: Span) -> list[EvidenceLine]:
    """18: who runs each bilan and who follows each person — hand-overs between consultants
    and consultants of record named by the coordinator (the audit log keeps them)."""
    counts = AuditEvent.objects.filter(
        within("created_at", span), organisation=organisation
    ).aggregate(
        handovers=Count("id", filter=Q(action="bilan.hand_over")),
        assigned=Count("id", filter=Q(action="membership.consultant_assign")),
    )
    return [
        EvidenceLine(
            ngettext(
                "%(count)s bilan confié à un autre consultant",
                "%(count)s bilans confiés à un autre consultant",
                counts["handovers"],
            )
            % {"count": counts["handovers"]},
            _bilan_list(),
        ),
        EvidenceLine(
            ngettext(
                "%(count)s consultant·e référent·e désigné·e",
                "%(count)s consultant·es référent·es désigné·es",
                counts["assigned"],
            )
            % {"count": counts["assigned"]},
            reverse("coordinator:beneficiaries"),
        ),
    ]


def rome_lines(organisation, span: Span) -> list[EvidenceLine]:
    """24: the référentiel of jobs and skills in use — the ROME version loaded."""
    version = RomeVersion.objects.filter(is_current=True).first()
    if version is None:
        return [EvidenceLine(_("Aucune version du ROME n'est chargée."))]
    return [
        EvidenceLine(
            _("ROME 4.0 version %(number)s, importée le %(date)s")
            % {
                "number": version.number,
                "date": french_date(timezone.localdate(version.imported_at), "j F Y"),
            },
            reverse("metiers:search"),
        )
    ]


register("bilans.preliminary", indicators=(4, 5), lines=preliminary_lines)
register("bilans.sessions", indicators=(6,), lines=sessions_lines)
register("bilans.information", indicators=(9,), lines=information_lines)
register("bilans.followup", indicators=(10,), lines=followup_lines)
register("bilans.objectives", indicators=(11,), lines=objectives_lines)
register("bilans.endings", indicators=(12,), lines=endings_lines)
register("bilans.means", indicators=(17, 19), lines=means_lines)
register("bilans.handovers", indicators=(18,), lines=handover_lines)
register("referentiel.rome", indicators=(24,), lines=rome_lines)
