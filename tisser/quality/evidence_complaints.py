"""The evidence of indicators 31 (complaints and difficulties) and 32 (improvement actions),
for the indicator map and the auditor's export (docs/adr/0034). The registers name nobody:
the author appears by role or relation only, never by name or e-mail."""

import csv
import io
from collections.abc import Iterator

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tisser.quality.evidence import EvidenceLine, ExportFile, Span, register
from tisser.quality.models import Complaint, ComplaintStatus, ImprovementAction
from tisser.quality.models.complaints import OPEN_STATUSES
from tisser.quality.models.improvements import ACTION_OPEN_STATUSES, ActionStatus


def _csv(header: list[str], rows: Iterator[list]) -> bytes:
    """A CSV as the project's exports write it: `;`, a BOM for spreadsheet software."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _iso(value) -> str:
    return value.isoformat() if value else ""


def complaint_lines(organisation, span: Span) -> list[EvidenceLine]:
    today = timezone.localdate()
    received = Q(received_on__gte=span.first_day, received_on__lte=span.last_day)
    counts = Complaint.objects.filter(organisation=organisation).aggregate(
        received=Count("pk", filter=received),
        answered=Count("pk", filter=received & Q(answered_on__isnull=False)),
        in_time=Count(
            "pk",
            filter=received & Q(answered_on__isnull=False, answered_on__lte=F("answer_due_on")),
        ),
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count(
            "pk",
            filter=Q(status__in=OPEN_STATUSES)
            & (
                Q(answer_due_on__lt=today)
                | Q(status=ComplaintStatus.RECEIVED, acknowledge_due_on__lt=today)
            ),
        ),
    )
    url = reverse("quality:complaints")
    return [
        EvidenceLine(
            ngettext(
                "%(count)s réclamation ou difficulté reçue sur la période",
                "%(count)s réclamations ou difficultés reçues sur la période",
                counts["received"],
            )
            % {"count": counts["received"]},
            url,
        ),
        EvidenceLine(
            _("Réponses apportées dans le délai : %(count)s sur %(answered)s")
            % {"count": counts["in_time"], "answered": counts["answered"]},
            url,
        ),
        EvidenceLine(
            ngettext(
                "%(count)s en cours de traitement aujourd'hui",
                "%(count)s en cours de traitement aujourd'hui",
                counts["open"],
            )
            % {"count": counts["open"]},
            url,
        ),
        EvidenceLine(
            ngettext(
                "%(count)s en retard sur l'engagement de l'organisme",
                "%(count)s en retard sur l'engagement de l'organisme",
                counts["overdue"],
            )
            % {"count": counts["overdue"]},
            url + "?overdue=on",
        ),
    ]


def complaint_files(organisation, span: Span) -> Iterator[ExportFile]:
    """The register of the span's complaints: dates, nature, origin (role or relation),
    status, delays; neither names nor e-mails, nor the texts exchanged (a subject may name
    someone: the auditor reads a complaint itself on the page, with the coordinator)."""
    complaints = Complaint.objects.filter(
        organisation=organisation,
        received_on__gte=span.first_day,
        received_on__lte=span.last_day,
    ).order_by("received_on", "pk")
    header = [
        _("Numéro"),
        _("Nature"),
        _("Origine"),
        _("Reçue le"),
        _("Prise en compte attendue le"),
        _("Prise en compte le"),
        _("Réponse attendue le"),
        _("Répondue le"),
        _("Close le"),
        _("État"),
        _("Jours jusqu'à la réponse"),
        _("Dans le délai"),
        _("Actions d'amélioration"),
    ]
    counts = dict(
        ImprovementAction.objects.filter(complaint__in=complaints)
        .values("complaint")
        .annotate(count=Count("pk"))
        .values_list("complaint", "count")
    )

    def rows():
        for complaint in complaints.iterator():
            answered = complaint.answered_on
            yield [
                complaint.pk,
                complaint.get_kind_display(),
                complaint.origin_label,
                _iso(complaint.received_on),
                _iso(complaint.acknowledge_due_on),
                _iso(complaint.acknowledged_on),
                _iso(complaint.answer_due_on),
                _iso(answered),
                _iso(complaint.closed_on),
                complaint.get_status_display(),
                (answered - complaint.received_on).days if answered else "",
                (_("oui") if complaint.answered_in_time else _("non")) if answered else "",
                counts.get(complaint.pk, 0),
            ]

    yield ExportFile(
        name=f"registre-reclamations-{span.first_day}-{span.last_day}.csv",
        content=_csv(header, rows()),
    )


def improvement_lines(organisation, span: Span) -> list[EvidenceLine]:
    today = timezone.localdate()
    created = Q(created_on__gte=span.first_day, created_on__lte=span.last_day)
    counts = ImprovementAction.objects.filter(organisation=organisation).aggregate(
        created=Count("pk", filter=created),
        from_complaints=Count("pk", filter=created & Q(complaint__isnull=False)),
        done=Count(
            "pk",
            filter=Q(
                status=ActionStatus.DONE,
                done_on__gte=span.first_day,
                done_on__lte=span.last_day,
            ),
        ),
        open=Count("pk", filter=Q(status__in=ACTION_OPEN_STATUSES)),
        overdue=Count("pk", filter=Q(status__in=ACTION_OPEN_STATUSES, due_on__lt=today)),
    )
    url = reverse("quality:actions")
    return [
        EvidenceLine(
            ngettext(
                "%(count)s action d'amélioration ouverte sur la période, dont %(complaints)s "
                "à la suite d'une réclamation",
                "%(count)s actions d'amélioration ouvertes sur la période, dont %(complaints)s "
                "à la suite d'une réclamation",
                counts["created"],
            )
            % {"count": counts["created"], "complaints": counts["from_complaints"]},
            url,
        ),
        EvidenceLine(
            ngettext(
                "%(count)s réalisée sur la période, avec son résultat",
                "%(count)s réalisées sur la période, avec leur résultat",
                counts["done"],
            )
            % {"count": counts["done"]},
            url + "?status=done",
        ),
        EvidenceLine(
            ngettext(
                "%(count)s prévue ou en cours, dont %(overdue)s en retard",
                "%(count)s prévues ou en cours, dont %(overdue)s en retard",
                counts["open"],
            )
            % {"count": counts["open"], "overdue": counts["overdue"]},
            url,
        ),
    ]


def improvement_files(organisation, span: Span) -> Iterator[ExportFile]:
    """The log of the actions opened, done or still open in the span."""
    actions = (
        ImprovementAction.objects.filter(organisation=organisation, created_on__lte=span.last_day)
        .filter(
            Q(created_on__gte=span.first_day)
            | Q(done_on__gte=span.first_day)
            | Q(status__in=ACTION_OPEN_STATUSES)
        )
        .select_related("owner")
        .order_by("created_on", "pk")
    )
    header = [
        _("Numéro"),
        _("Intitulé"),
        _("Description"),
        _("Origine"),
        _("Référence de l'origine"),
        _("Réclamation liée"),
        _("Responsable"),
        _("Ouverte le"),
        _("Échéance"),
        _("État"),
        _("Réalisée le"),
        _("Résultat"),
    ]

    def rows():
        for action in actions.iterator(chunk_size=500):
            yield [
                action.pk,
                action.title,
                action.description,
                action.get_source_display(),
                action.source_reference,
                action.complaint_id or "",
                (action.owner.get_full_name() or action.owner.email) if action.owner else "",
                _iso(action.created_on),
                _iso(action.due_on),
                action.get_status_display(),
                _iso(action.done_on),
                action.result,
            ]

    yield ExportFile(
        name=f"journal-actions-amelioration-{span.first_day}-{span.last_day}.csv",
        content=_csv(header, rows()),
    )


register("complaints", indicators=(31,), lines=complaint_lines, files=complaint_files)
register("improvements", indicators=(32,), lines=improvement_lines, files=improvement_files)
