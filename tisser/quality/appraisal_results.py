"""What the coordinator reads of the stakeholders' appraisals (Qualiopi indicator 30): per
audience and per question, the mean note and the distribution of notes or of yes / no, under
the small-numbers rule (`tisser.core.small_numbers`), and the free-text answers, which are not
aggregates and are shown without any bilan or name attached.

A figure is read over the answers given up to the arrival of the 5th, 10th, 15th… respondent
(`covered`): the mean (`mean_of`) and the distribution (`counts_of`) of one question cover the
very same answers, so that no two readings are one answer apart. A respondent is an e-mail
address for employers and funders, a consultant for theirs: an employer who answered for two
employees counts once among the five. A handful of queries whatever the size."""

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from tisser.accounts.access import require_coordinator_of
from tisser.accounts.models import Organisation, User
from tisser.core.small_numbers import Figure, counts_of, marked, mean_of
from tisser.outcomes.tables import Cell, Row, Table
from tisser.quality.models import AppraisalAnswer, Audience, Question, QuestionKind
from tisser.quality.services.appraisals import questionnaire_of

LOW_RATING = 2


def covered(answers: list[tuple[Hashable, object]]) -> list[tuple[Hashable, object]]:
    """`answers` ((person, value), oldest first) up to and with the first answer of the last
    person whose arrival made the number of people a multiple of five: empty under five."""
    people: list[Hashable] = []
    first: dict[Hashable, int] = {}
    for index, (person, _value) in enumerate(answers):
        if person not in first:
            first[person] = index
            people.append(person)
    kept = marked(people)
    if not kept:
        return []
    return answers[: first[kept[-1]] + 1]


@dataclass(frozen=True)
class TextAnswer:
    text: str
    asked: str  # the wording answered
    on: date
    low_reference: str = ""


@dataclass
class QuestionResult:
    question: Question
    answered: int  # how many answers in all (a count of answers, shown)
    mean: Figure | None = None  # notes
    distribution: tuple[tuple[str, int | None], ...] = ()  # (label, count or None: masked)
    shown_over: int = 0
    texts: list[TextAnswer] = field(default_factory=list)
    earlier_wordings: tuple[str, ...] = ()
    low_count: int = 0  # notes of 2 or less (a count of answers, for the improvement link)

    @property
    def is_rating(self) -> bool:
        return self.question.kind == QuestionKind.RATING

    @property
    def is_yes_no(self) -> bool:
        return self.question.kind == QuestionKind.YES_NO

    @property
    def is_text(self) -> bool:
        return self.question.kind == QuestionKind.TEXT

    @property
    def withheld(self) -> bool:
        return not self.is_text and self.answered > 0 and not self.shown_over


@dataclass
class AudienceResult:
    audience: Audience
    appraisals: int
    respondents: int
    questions: list[QuestionResult]

    @property
    def label(self) -> str:
        return str(self.audience.label)


def _question_result(question: Question, rows: list[tuple]) -> QuestionResult:
    """`rows`: (respondent_key, created_at, rating, yes, text, question_text), oldest first."""
    wordings = tuple(sorted({row[5] for row in rows if row[5] != question.text}))
    result = QuestionResult(question=question, answered=len(rows), earlier_wordings=wordings)
    if question.kind == QuestionKind.TEXT:
        result.texts = [
            TextAnswer(text=row[4], asked=row[5], on=timezone.localdate(row[1]))
            for row in reversed(rows)
            if row[4]
        ]
        return result
    if question.kind == QuestionKind.RATING:
        values = [(row[0], row[2]) for row in rows if row[2] is not None]
        result.mean = mean_of(values)
        kept = covered(values)
        result.low_count = sum(1 for _p, value in values if value <= LOW_RATING)
        counts = {note: sum(1 for _p, value in kept if value == note) for note in range(1, 6)}
        labels = {note: str(note) for note in counts}
    else:
        values = [(row[0], row[3]) for row in rows if row[3] is not None]
        kept = covered(values)
        counts = {
            True: sum(1 for _p, value in kept if value),
            False: sum(1 for _p, value in kept if not value),
        }
        labels = {True: _("Oui"), False: _("Non")}
    result.shown_over = len({person for person, _v in kept})
    if kept:
        shown = counts_of(counts)
        result.distribution = tuple((labels[key], shown[key]) for key in counts)
    return result


def _answers(organisation_id: int, audiences: Iterable[str], first_day=None, last_day=None):
    """Every answer of the organisation's appraisals, oldest first: one query."""
    answers = AppraisalAnswer.objects.filter(
        appraisal__organisation_id=organisation_id, appraisal__audience__in=list(audiences)
    )
    if first_day is not None:
        answers = answers.filter(appraisal__created_at__date__gte=first_day)
    if last_day is not None:
        answers = answers.filter(appraisal__created_at__date__lte=last_day)
    return answers.order_by("appraisal__created_at", "appraisal_id", "pk").values_list(
        "appraisal__audience",
        "question_id",
        "appraisal__respondent_key",
        "appraisal__created_at",
        "rating",
        "yes",
        "text",
        "question_text",
        "appraisal_id",
    )


def results_of(
    organisation: Organisation, *, first_day: date | None = None, last_day: date | None = None
) -> list[AudienceResult]:
    """Per audience, per question (those asked now, then retired ones that were answered)."""
    questionnaires = {
        audience: questionnaire_of(organisation=organisation, audience=audience)
        for audience in Audience
    }
    questions = list(
        Question.objects.filter(questionnaire__in=questionnaires.values())
        .select_related("questionnaire")
        .order_by("questionnaire_id", "position", "pk")
    )
    by_question: dict[int, list[tuple]] = {}
    appraisals: dict[str, set[int]] = {}
    respondents: dict[str, set[str]] = {}
    for audience, question_id, key, created, rating, yes, text, asked, appraisal_id in _answers(
        organisation.pk, list(Audience.values), first_day, last_day
    ):
        by_question.setdefault(question_id, []).append((key, created, rating, yes, text, asked))
        appraisals.setdefault(audience, set()).add(appraisal_id)
        respondents.setdefault(audience, set()).add(key)
    results = []
    for audience in Audience:
        mine = [q for q in questions if q.questionnaire.audience == audience]
        asked = [q for q in mine if q.retired_at is None]
        retired = [q for q in mine if q.retired_at is not None and q.pk in by_question]
        results.append(
            AudienceResult(
                audience=audience,
                appraisals=len(appraisals.get(audience, ())),
                respondents=len(respondents.get(audience, ())),
                questions=[_question_result(q, by_question.get(q.pk, [])) for q in asked + retired],
            )
        )
    return results


def appraisal_results(*, coordinator: User, organisation: Organisation) -> list[AudienceResult]:
    """`results_of` for one of the organisation's coordinators (PermissionDenied otherwise)."""
    require_coordinator_of(coordinator, organisation)
    return results_of(organisation)


def results_tables(results: list[AudienceResult]) -> list[Table]:
    """One table per audience for the CSV: per question (notes and yes / no), the number of
    answers, the mean, and each note's or each answer's count; a withheld cell is empty."""
    tables = []
    columns = (
        _("Réponses"),
        _("Moyenne (1 à 5)"),
        *(_("Note %(note)s") % {"note": note} for note in range(1, 6)),
        _("Oui"),
        _("Non"),
    )
    for result in results:
        rows = []
        for item in result.questions:
            if item.is_text:
                continue
            cells: list[Cell] = [Cell.number(item.answered)]
            if item.is_rating:
                mean = item.mean
                if mean is not None and mean.shown:
                    cells.append(Cell.number(mean.value, decimals=1))
                else:
                    cells.append(Cell.withheld() if item.answered else Cell.no_data())
            else:
                cells.append(Cell.no_data())
            counts = dict(item.distribution)
            for note in range(1, 6):
                cells.append(_count_cell(item, item.is_rating, counts.get(str(note))))
            for label in (_("Oui"), _("Non")):
                cells.append(_count_cell(item, item.is_yes_no, counts.get(label)))
            rows.append(Row(label=item.question.text, cells=tuple(cells)))
        tables.append(
            Table(
                key=f"appreciations-{result.audience.value}",
                title=_("Appréciations : %(audience)s") % {"audience": result.label},
                label_column=_("Question"),
                columns=tuple(str(column) for column in columns),
                rows=tuple(rows),
            )
        )
    return tables


def _count_cell(item: QuestionResult, applies: bool, count: int | None) -> Cell:
    if not applies or not item.answered:
        return Cell.no_data()
    if count is None:
        return Cell.withheld()
    return Cell.number(count)
