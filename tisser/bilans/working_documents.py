"""The registry of a bilan's working documents: every kind of document made for a bilan,
which R6313-7 has the organisme destroy when the bilan ends (`tisser.bilans.services.retention`
walks it). A module that adds a kind of working document registers it here in one line, e.g.

    register("preliminary_record", _("Compte rendu de la phase préliminaire"),
             lambda bilan: PreliminaryRecord.objects.filter(bilan=bilan))

`rows(bilan)` gives the rows of that kind belonging to `bilan` and nothing else; with `clear`,
the rows stay (they are management data, like an entretien) and only those text fields are
emptied. The tests check, for every kind, that another bilan's rows are never touched."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tisser.assessments.models import InventoryResponse, IsolationCheck
from tisser.bilans.models import (
    EXCEPTION_MAX_DAYS,
    Achievement,
    Aspirations,
    Bilan,
    DismissedFiche,
    Experience,
    FollowUp,
    PortfolioItem,
    PreliminaryRecord,
    Project,
    RenderedPdf,
    SessionNote,
    ShortlistEntry,
    SynthesisDocument,
)
from tisser.meetings.models import ActionItem, AgendaItem, Occurrence


@dataclass(frozen=True)
class WorkingDocuments:
    kind: str
    label: Promise
    rows: Callable[[Bilan], QuerySet]
    # Text fields emptied instead of deleting the rows.
    clear: tuple[str, ...] = ()
    # Whether the person may agree to keep it for their follow-up: not what is the
    # consultant's own (their private notes).
    keepable: bool = True

    def present(self, bilan: Bilan) -> QuerySet:
        """The rows of this kind that `destroy` would delete or empty."""
        queryset = self.rows(bilan)
        if not self.clear:
            return queryset
        filled = Q()
        for field in self.clear:
            filled |= ~Q(**{field: ""})
        return queryset.filter(filled)

    def count(self, bilan: Bilan) -> int:
        return self.present(bilan).count()

    def destroy(self, bilan: Bilan) -> int:
        """Destroy what `bilan` holds of this kind; how many rows (of the model itself, not
        its cascade) were deleted or emptied."""
        queryset = self.present(bilan)
        if self.clear:
            return queryset.update(**dict.fromkeys(self.clear, ""))
        count = queryset.count()
        queryset.delete()
        return count


_registry: dict[str, WorkingDocuments] = {}


def register(
    kind: str,
    label: Promise,
    rows: Callable[[Bilan], QuerySet],
    *,
    clear: tuple[str, ...] = (),
    keepable: bool = True,
) -> None:
    if kind in _registry:
        raise ValueError(f"working documents {kind!r} registered twice")
    _registry[kind] = WorkingDocuments(
        kind=kind, label=label, rows=rows, clear=clear, keepable=keepable
    )


def working_documents() -> tuple[WorkingDocuments, ...]:
    return tuple(_registry.values())


def working_document_models(app_label: str) -> tuple[str, ...]:
    """The labels of the models of `app_label` that hold working documents, for the
    registries that declare what they cover. A bilan that exists nowhere (pk 0) is enough to
    build each kind's query and read its model."""
    probe = Bilan(pk=0, opened_at=timezone.now())
    labels = {entry.rows(probe).model._meta.label for entry in _registry.values()}
    return tuple(sorted(label for label in labels if label.startswith(f"{app_label}.")))


def kind_choices() -> list[tuple[str, Promise]]:
    """The kinds a person may agree to keep for their follow-up."""
    return [(entry.kind, entry.label) for entry in _registry.values() if entry.keepable]


def kind_label(kind: str) -> Promise | str:
    entry = _registry.get(kind)
    return entry.label if entry else kind


# --- The questionnaires taken during the bilan --------------------------------------------------
# They belong to the person and their organisation, not to a bilan: those of a bilan are the
# ones taken while it ran. Isolation checks of the follow-up moments (3 and 6 months after)
# belong to it too when taken within the year after its end. Any other check stays the
# person's, erasable by them.

FOLLOW_UP_MOMENTS = (IsolationCheck.Moment.PLUS_3_MONTHS, IsolationCheck.Moment.PLUS_6_MONTHS)


def _during(bilan: Bilan) -> Q:
    window = Q(created_at__gte=bilan.opened_at)
    if bilan.closed_at is not None:
        window &= Q(created_at__lte=bilan.closed_at)
    return window


def inventories_of(bilan: Bilan) -> QuerySet:
    return InventoryResponse.objects.filter(
        _during(bilan), user_id=bilan.beneficiary_id, organisation_id=bilan.organisation_id
    )


def isolation_checks_of(bilan: Bilan) -> QuerySet:
    taken = _during(bilan)
    if bilan.closed_at is not None:
        taken |= Q(
            moment__in=FOLLOW_UP_MOMENTS,
            created_at__gt=bilan.closed_at,
            created_at__lte=bilan.closed_at + timedelta(days=EXCEPTION_MAX_DAYS),
        )
    return IsolationCheck.objects.filter(
        taken, user_id=bilan.beneficiary_id, organisation_id=bilan.organisation_id
    )


register(
    "preliminary_record",
    _("Cadre du bilan (phase préliminaire)"),
    lambda bilan: PreliminaryRecord.objects.filter(bilan=bilan),
)
register("experiences", _("Parcours"), lambda bilan: Experience.objects.filter(bilan=bilan))
register("achievements", _("Réussites"), lambda bilan: Achievement.objects.filter(bilan=bilan))
register(
    "portfolio",
    _("Portefeuille de compétences"),
    lambda bilan: PortfolioItem.objects.filter(bilan=bilan),
)
register(
    "aspirations",
    _("Besoins et aspirations"),
    lambda bilan: Aspirations.objects.filter(bilan=bilan),
)
register("inventories", _("Inventaires (centres d'intérêt, valeurs)"), inventories_of)
register("isolation_checks", _("Points sur l'isolement"), isolation_checks_of)
register(
    "shortlist", _("Métiers à explorer"), lambda bilan: ShortlistEntry.objects.filter(bilan=bilan)
)
register(
    "dismissed_fiches",
    _("Pistes de métiers écartées"),
    lambda bilan: DismissedFiche.objects.filter(bilan=bilan),
)
register(
    "projects",
    _("Projets, leurs étapes et leur faisabilité"),
    lambda bilan: Project.objects.filter(bilan=bilan),
)
register(
    "session_notes",
    _("Notes privées du ou de la consultant·e"),
    lambda bilan: SessionNote.objects.filter(bilan=bilan),
    keepable=False,
)


def _bilan_meetings(bilan: Bilan, path: str = "") -> Q:
    """The entretiens of `bilan` and its follow-up interview (`path` leads to the series)."""
    return Q(**{f"{path}series__bilan_session__bilan": bilan}) | Q(
        **{f"{path}series__bilan_followup__bilan": bilan}
    )


register(
    "session_summaries",
    _("Comptes rendus partagés des entretiens"),
    lambda bilan: Occurrence.objects.filter(_bilan_meetings(bilan)),
    clear=("notes", "decisions"),
)
register(
    "session_agenda",
    _("Ordres du jour des entretiens"),
    lambda bilan: AgendaItem.objects.filter(_bilan_meetings(bilan, "occurrence__")),
)
register(
    "session_actions",
    _("Actions décidées en entretien"),
    lambda bilan: ActionItem.objects.filter(_bilan_meetings(bilan)),
)
register(
    "followup_notes",
    _("Notes de l'entretien de suivi"),
    lambda bilan: FollowUp.objects.filter(bilan=bilan),
    clear=("notes",),
)
# The synthèse and its PDF (deleted with it), and the consents to share it.
register(
    "synthesis",
    _("Document de synthèse"),
    lambda bilan: SynthesisDocument.objects.filter(bilan=bilan),
)
# The kept renderings of the bilan's PDFs (`tisser.bilans.services.rendered_pdf`): the
# detailed results print working documents and every one prints the person's name; they are
# made again on request from what stays.
register(
    "rendered_pdfs",
    _("PDF gardés tels que rendus (attestation, émargement, convention, contrat, résultats)"),
    lambda bilan: RenderedPdf.objects.filter(bilan=bilan),
    keepable=False,
)
