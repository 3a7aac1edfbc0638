"""The registry of a bilan's working documents: every kind of document made for a bilan,
which R6313-7 has the organisme destroy when the bilan ends (`tisser.bilans.services.retention`
walks it). A module that adds a kind of working document registers it here in one line, e.g.

    register("preliminary_record", _("Compte rendu de la phase préliminaire"),
             lambda bilan: PreliminaryRecord.objects.filter(bilan=bilan))

`rows(bilan)` gives the rows of that kind belonging to `bilan` and nothing else; with `clear`,
the rows stay (they are management data, like an entretien) and only those text fields are
emptied. The tests check, for every kind, that another bilan's rows are never touched.

`rows_of(bilans)` gives the rows of several bilans at once, each annotated with the id of the
bilan it belongs to (`bilan_key`): the daily job destroys a batch of bilans in the same few
queries per kind whatever the batch's size (ADR 0030). `by_bilan(Model)` builds both for a
model with a `bilan` key. The questionnaires, which belong to a bilan by the time they were
taken, give `owners_of(bilans)` instead (row id → bilan id, one query). A kind registered
with neither is read bilan by bilan."""

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tisser.assessments.models import InventoryResponse, IsolationCheck
from tisser.bilans.models import (
    EXCEPTION_MAX_DAYS,
    Achievement,
    Aspirations,
    Bilan,
    BilanAdaptation,
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
    # The rows of several bilans, annotated with their bilan's id (`bilan_key`); None: read
    # bilan by bilan with `rows`.
    rows_of: Callable[[Sequence[Bilan]], QuerySet] | None = None
    # Or, for rows that belong to a bilan by the time they were taken: row id → bilan id.
    owners_of: Callable[[Sequence[Bilan]], dict[int, int]] | None = None

    def _filled(self, queryset: QuerySet) -> QuerySet:
        if not self.clear:
            return queryset
        filled = Q()
        for field in self.clear:
            filled |= ~Q(**{field: ""})
        return queryset.filter(filled)

    def present(self, bilan: Bilan) -> QuerySet:
        """The rows of this kind that `destroy` would delete or empty."""
        return self._filled(self.rows(bilan))

    def owners(self, bilans: Sequence[Bilan]) -> dict[int, int]:
        """Row id → id of the bilan it belongs to, for what `bilans` hold of this kind, in one
        query (one per bilan without `rows_of`). A row two bilans could claim (a follow-up
        check taken while the person's next bilan ran) goes to the first in `bilans`, as it
        would bilan after bilan."""
        if self.owners_of is not None:
            return self.owners_of(bilans)
        if self.rows_of is not None:
            pairs = self._filled(self.rows_of(bilans)).values_list("pk", "bilan_key")
            rank = {bilan.pk: position for position, bilan in enumerate(bilans)}
            owners: dict[int, int] = {}
            for pk, bilan_id in sorted(pairs, key=lambda pair: rank[pair[1]]):
                owners.setdefault(pk, bilan_id)
            return owners
        owners = {}
        for bilan in bilans:
            for pk in self.present(bilan).values_list("pk", flat=True):
                owners.setdefault(pk, bilan.pk)
        return owners

    def destroy_many(self, bilans: Sequence[Bilan]) -> dict[int, int]:
        """Destroy what `bilans` hold of this kind, set-based: bilan id → how many rows (of
        the model itself, not its cascade) were deleted or emptied."""
        owners = self.owners(bilans)
        if not owners:
            return {}
        rows = self._model(bilans[0])._base_manager.filter(pk__in=list(owners))
        if self.clear:
            rows.update(**dict.fromkeys(self.clear, ""))
        else:
            rows.delete()
        return dict(Counter(owners.values()))

    def _model(self, bilan: Bilan):
        return (self.rows_of([bilan]) if self.rows_of else self.rows(bilan)).model

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
    rows_of: Callable[[Sequence[Bilan]], QuerySet] | None = None,
    owners_of: Callable[[Sequence[Bilan]], dict[int, int]] | None = None,
) -> None:
    if kind in _registry:
        raise ValueError(f"working documents {kind!r} registered twice")
    _registry[kind] = WorkingDocuments(
        kind=kind,
        label=label,
        rows=rows,
        clear=clear,
        keepable=keepable,
        rows_of=rows_of,
        owners_of=owners_of,
    )


def by_bilan(model, *paths: str) -> dict:
    """`rows` and `rows_of` for a model that leads to its bilan by `paths` (`"bilan"` by
    default; several paths when a row reaches its bilan one way or another)."""
    paths = paths or ("bilan",)

    def rows(bilan: Bilan) -> QuerySet:
        where = Q()
        for path in paths:
            where |= Q(**{path: bilan})
        return model.objects.filter(where)

    def rows_of(bilans: Sequence[Bilan]) -> QuerySet:
        ids = [bilan.pk for bilan in bilans]
        where = Q()
        for path in paths:
            where |= Q(**{f"{path}__in": ids})
        keys = [F(f"{path}_id") for path in paths]
        return model.objects.filter(where).annotate(
            bilan_key=keys[0] if len(keys) == 1 else Coalesce(*keys)
        )

    return {"rows": rows, "rows_of": rows_of}


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


def _inventories_taken(bilan: Bilan) -> Q:
    return _during(bilan) & Q(user_id=bilan.beneficiary_id, organisation_id=bilan.organisation_id)


# An end-of-bilan check answered after the end, within the reminder's window (the reminder
# goes when the bilan closes: `followup.REMINDER_WINDOW`, which a test keeps equal), is the
# bilan's end check still.
END_ANSWER_WINDOW = timedelta(days=30)


def _checks_taken(bilan: Bilan) -> Q:
    taken = _during(bilan)
    if bilan.closed_at is not None:
        taken |= Q(
            moment__in=FOLLOW_UP_MOMENTS,
            created_at__gt=bilan.closed_at,
            created_at__lte=bilan.closed_at + timedelta(days=EXCEPTION_MAX_DAYS),
        )
        taken |= Q(
            moment=IsolationCheck.Moment.END,
            created_at__gt=bilan.closed_at,
            created_at__lte=bilan.closed_at + END_ANSWER_WINDOW,
        )
    return taken & Q(user_id=bilan.beneficiary_id, organisation_id=bilan.organisation_id)


def _taken_during(bilan: Bilan, row) -> bool:
    """`_inventories_taken`, said in Python of a row already read."""
    return (
        row.user_id == bilan.beneficiary_id
        and row.organisation_id == bilan.organisation_id
        and row.created_at >= bilan.opened_at
        and (bilan.closed_at is None or row.created_at <= bilan.closed_at)
    )


def _check_taken_for(bilan: Bilan, row) -> bool:
    """`_checks_taken`, said in Python of a row already read."""
    if _taken_during(bilan, row):
        return True
    if (
        bilan.closed_at is None
        or row.user_id != bilan.beneficiary_id
        or row.organisation_id != bilan.organisation_id
    ):
        return False
    if row.moment in FOLLOW_UP_MOMENTS:
        return (
            bilan.closed_at < row.created_at <= bilan.closed_at + timedelta(days=EXCEPTION_MAX_DAYS)
        )
    return (
        row.moment == IsolationCheck.Moment.END
        and bilan.closed_at < row.created_at <= bilan.closed_at + END_ANSWER_WINDOW
    )


def _taken_by(model, taken: Callable[[Bilan, object], bool]):
    """For questionnaires, which belong to a bilan by the time they were taken: the rows of
    each of `bilans`, read in one query (the people's rows in their organisations), each given
    to the first of `bilans` that `taken` says it belongs to. `taken` is the Python twin of
    the bilan's Q (`_checks_taken`, `_inventories_taken`); a test compares them kind by kind."""

    def rows_by_bilan(bilans: Sequence[Bilan]) -> dict[int, list]:
        found: dict[int, list] = {bilan.pk: [] for bilan in bilans}
        of_person: dict[tuple[int, int], list[Bilan]] = {}
        for bilan in bilans:
            of_person.setdefault((bilan.beneficiary_id, bilan.organisation_id), []).append(bilan)
        rows = model.objects.filter(
            user_id__in={bilan.beneficiary_id for bilan in bilans},
            organisation_id__in={bilan.organisation_id for bilan in bilans},
        ).order_by("created_at", "pk")
        for row in rows:
            for bilan in of_person.get((row.user_id, row.organisation_id), ()):
                if taken(bilan, row):
                    found[bilan.pk].append(row)
                    break
        return found

    def owners_of(bilans: Sequence[Bilan]) -> dict[int, int]:
        return {row.pk: pk for pk, rows in rows_by_bilan(bilans).items() for row in rows}

    return rows_by_bilan, owners_of


def inventories_of(bilan: Bilan) -> QuerySet:
    return InventoryResponse.objects.filter(_inventories_taken(bilan))


def isolation_checks_of(bilan: Bilan) -> QuerySet:
    return IsolationCheck.objects.filter(_checks_taken(bilan))


isolation_checks_taken, _checks_owners = _taken_by(IsolationCheck, _check_taken_for)
_inventories_taken_by, _inventories_owners = _taken_by(InventoryResponse, _taken_during)


register(
    "preliminary_record",
    _("Cadre du bilan (phase préliminaire)"),
    **by_bilan(PreliminaryRecord),
)
register("experiences", _("Parcours"), **by_bilan(Experience))
register("achievements", _("Réussites"), **by_bilan(Achievement))
register("portfolio", _("Portefeuille de compétences"), **by_bilan(PortfolioItem))
register("aspirations", _("Besoins et aspirations"), **by_bilan(Aspirations))
register(
    "inventories",
    _("Inventaires (centres d'intérêt, valeurs)"),
    inventories_of,
    owners_of=_inventories_owners,
)
register(
    "isolation_checks",
    _("Points sur l'isolement"),
    isolation_checks_of,
    owners_of=_checks_owners,
)
# A need for adaptation and the adaptations made for it (deleted with it): made for this bilan
# so that it runs in a way that suits the person, and health-adjacent, it goes with the rest
# (ADR 0037); the person may agree to keep it for her follow-up like any other kind.
register(
    "adaptation",
    _("Besoin d'aménagement et aménagements mis en place"),
    **by_bilan(BilanAdaptation),
)
register("shortlist", _("Métiers à explorer"), **by_bilan(ShortlistEntry))
register("dismissed_fiches", _("Pistes de métiers écartées"), **by_bilan(DismissedFiche))
register("projects", _("Projets, leurs étapes et leur faisabilité"), **by_bilan(Project))
register(
    "session_notes",
    _("Notes privées du ou de la consultant·e"),
    **by_bilan(SessionNote),
    keepable=False,
)


# The entretiens of a bilan and its follow-up interview, by the series they belong to.
_SESSION_PATHS = ("series__bilan_session__bilan", "series__bilan_followup__bilan")

register(
    "session_summaries",
    _("Comptes rendus partagés des entretiens"),
    **by_bilan(Occurrence, *_SESSION_PATHS),
    clear=("notes", "decisions"),
)
register(
    "session_agenda",
    _("Ordres du jour des entretiens"),
    **by_bilan(AgendaItem, *(f"occurrence__{path}" for path in _SESSION_PATHS)),
)
register(
    "session_actions",
    _("Actions décidées en entretien"),
    **by_bilan(ActionItem, *_SESSION_PATHS),
)
register(
    "followup_notes",
    _("Notes de l'entretien de suivi"),
    **by_bilan(FollowUp),
    clear=("notes",),
)
# The synthèse and its PDF (deleted with it), and the consents to share it.
register("synthesis", _("Document de synthèse"), **by_bilan(SynthesisDocument))
# The kept renderings of the bilan's PDFs (`tisser.bilans.services.rendered_pdf`): the
# detailed results print working documents and every one prints the person's name; they are
# made again on request from what stays.
register(
    "rendered_pdfs",
    _("PDF gardés tels que rendus (attestation, émargement, convention, contrat, résultats)"),
    **by_bilan(RenderedPdf),
    keepable=False,
)
