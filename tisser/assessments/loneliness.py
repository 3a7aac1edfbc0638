"""The loneliness measures asked with the isolation check, comparable with research
(docs/adr/0031-a-loneliness-measure-comparable-with-research.md):

- the direct question used by national statistics (the ONS harmonised standard's "How often
  do you feel lonely?"), five answers, stored 1 (jamais) to 5 (souvent ou toujours);
- the three-item loneliness scale (Hughes et al. 2004, from the UCLA Loneliness Scale), three
  answers each 1 (presque jamais ou jamais) to 3 (souvent), stored as their total, 3 to 9.

Every stored value reads "higher = lonelier". The short scale's items are asked only when
`settings.TISSER_LONELINESS_SCALE_PERMITTED` says that written permission for this use is on
file (the ADR says why); the direct question is always asked. The French wordings are our
translation, not a validated one.

Data and pure functions, like `tisser.assessments.isolation`: a change of wording or scoring
means a new questionnaire version (`version_of`)."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from tisser.assessments.isolation import LONELINESS_SCALE, LONELY_FREQUENCY, VERSION
from tisser.core.french import quotes_bound

# The questionnaire versions a check can carry: the 16 items alone (checks taken before these
# measures), with the direct question (what the check asks), with the short scale too.
ITEMS_ONLY_VERSION = "isolement-2026-1"
FREQUENCY_VERSION = VERSION  # "isolement-2026-2"
SCALE_VERSION = "isolement-2026-3"

# Answer keys (in a check's answers) and score keys (in its scores).
FREQUENCY_ID = LONELY_FREQUENCY
SCALE_IDS = ("loneliness_1", "loneliness_2", "loneliness_3")

FREQUENCY_MIN, FREQUENCY_MAX = 1, 5
SCALE_ITEM_MIN, SCALE_ITEM_MAX = 1, 3
SCALE_MIN_TOTAL = SCALE_ITEM_MIN * len(SCALE_IDS)  # 3
SCALE_MAX_TOTAL = SCALE_ITEM_MAX * len(SCALE_IDS)  # 9

# What counts as a meaningful change between two checks (the ADR): one answer category on the
# direct question, one point on the short scale's total (one answer moved by one category).
# Conventions, not published thresholds.
MEANINGFUL_FREQUENCY_CHANGE = 1
MEANINGFUL_SCALE_CHANGE = 1

FREQUENCY_QUESTION = _("À quelle fréquence vous sentez-vous seul·e ?")
# From the least to the most lonely, as stored (the ONS order is the reverse: "Often/always"
# first; every scale of the check reads from low to high).
FREQUENCY_CHOICES: tuple[tuple[int, Promise], ...] = (
    (1, pgettext_lazy("solitude", "Jamais")),
    (2, pgettext_lazy("solitude", "Presque jamais")),
    (3, pgettext_lazy("solitude", "De temps en temps")),
    (4, pgettext_lazy("solitude", "Une partie du temps")),
    (5, pgettext_lazy("solitude", "Souvent ou toujours")),
)

# The answer national statistics report: the share feeling lonely "often or always".
FREQUENCY_OFTEN_OR_ALWAYS = 5

# Each answer's place among the five, as the form lists them: « De temps en temps » and
# « Une partie du temps » do not say by themselves which is the lonelier.
FREQUENCY_PLACES: dict[int, Promise] = {
    1: _("1re réponse sur 5"),
    2: _("2e réponse sur 5"),
    3: _("3e réponse sur 5"),
    4: _("4e réponse sur 5"),
    5: _("5e réponse sur 5"),
}

SCALE_CHOICES: tuple[tuple[int, Promise], ...] = (
    (1, pgettext_lazy("solitude", "Presque jamais ou jamais")),
    (2, pgettext_lazy("solitude", "Parfois")),
    (3, pgettext_lazy("solitude", "Souvent")),
)


@dataclass(frozen=True)
class Question:
    id: str
    text: Promise
    choices: tuple[tuple[int, Promise], ...]


SCALE_ITEMS: tuple[Question, ...] = (
    Question(
        "loneliness_1",
        _("À quelle fréquence avez-vous le sentiment de manquer de compagnie ?"),
        SCALE_CHOICES,
    ),
    Question(
        "loneliness_2", _("À quelle fréquence vous sentez-vous laissé·e de côté ?"), SCALE_CHOICES
    ),
    Question(
        "loneliness_3", _("À quelle fréquence vous sentez-vous isolé·e des autres ?"), SCALE_CHOICES
    ),
)
FREQUENCY = Question(FREQUENCY_ID, FREQUENCY_QUESTION, FREQUENCY_CHOICES)
# In the order they are asked (the ONS order: the scale first, then the direct question).
QUESTIONS: tuple[Question, ...] = (*SCALE_ITEMS, FREQUENCY)
ANSWER_IDS: tuple[str, ...] = tuple(question.id for question in QUESTIONS)

SCALE_TITLE = _("Échelle courte de solitude")
SCALE_EXPLANATION = _(
    "Trois questions, chacune de 1 (presque jamais) à 3 (souvent) : le total va de 3 à 9. "
    "Un total de 3 veut dire « presque jamais » aux trois questions, 9 « souvent » aux trois."
)


def introduction() -> str:
    """What the check says before its questions on loneliness: of one question, or of the
    four when the short scale is asked."""
    count = len(questions_asked())
    return ngettext(
        "La question suivante porte sur vos relations avec les autres, dans toute votre vie "
        "et pas seulement au travail.",
        "Les questions suivantes portent sur vos relations avec les autres, dans toute votre "
        "vie et pas seulement au travail. Pour chacune, dites à quelle fréquence vous "
        "ressentez cela.",
        count,
    )


def scale_permitted() -> bool:
    """Whether the check asks the short scale's three items (the ADR: only once written
    permission for this use is on file)."""
    return bool(getattr(settings, "TISSER_LONELINESS_SCALE_PERMITTED", False))


def questions_asked() -> tuple[Question, ...]:
    """The questions the check asks now, in order."""
    return QUESTIONS if scale_permitted() else (FREQUENCY,)


def question_by_id(question_id: str) -> Question:
    return next(question for question in QUESTIONS if question.id == question_id)


def _checked(question_id: str, answer: int, low: int, high: int) -> int:
    if isinstance(answer, bool) or not isinstance(answer, int):
        raise TypeError(f"{question_id}: {answer!r} is not an integer")
    if not low <= answer <= high:
        raise ValueError(f"{question_id}: {answer} is outside {low}–{high}")
    return answer


def score(answers: dict[str, int]) -> dict[str, int]:
    """The research scores of `answers`: LONELY_FREQUENCY, the direct question's answer
    (1 never … 5 often or always), when it was answered; LONELINESS_SCALE, the total of the
    three items (3 … 9), when they were. Other keys of `answers` (the 16 items) are ignored.

    Precondition: a group is answered whole, with integers in range (the service checks);
    otherwise KeyError (an item of the scale missing), TypeError or ValueError."""
    scores: dict[str, int] = {}
    if FREQUENCY_ID in answers:
        scores[LONELY_FREQUENCY] = _checked(
            FREQUENCY_ID, answers[FREQUENCY_ID], FREQUENCY_MIN, FREQUENCY_MAX
        )
    if any(item_id in answers for item_id in SCALE_IDS):
        scores[LONELINESS_SCALE] = sum(
            _checked(item_id, answers[item_id], SCALE_ITEM_MIN, SCALE_ITEM_MAX)
            for item_id in SCALE_IDS
        )
    return scores


def version_of(answers: dict[str, int]) -> str:
    """The questionnaire version of a check answered with `answers`."""
    if any(item_id in answers for item_id in SCALE_IDS):
        return SCALE_VERSION
    if FREQUENCY_ID in answers:
        return FREQUENCY_VERSION
    return ITEMS_ONLY_VERSION


def frequency_label(value: int | None) -> str:
    """The answer to the direct question as the person chose it ("une partie du temps"), in
    lower case to sit in a sentence; "" for no answer or an unknown value."""
    for code, label in FREQUENCY_CHOICES:
        if code == value:
            return str(label).lower()
    return ""


def frequency_place(value: int | None, *, span: bool = False) -> str:
    """Where the answer `value` to the direct question stands among the five ("3e réponse
    sur 5"), with, when `span`, the first and the last answers ("3e réponse sur 5, de
    « Jamais » à « Souvent ou toujours »"); "" for no answer or an unknown value. It says
    the order, never a judgement."""
    place = FREQUENCY_PLACES.get(value) if value is not None else None
    if place is None:
        return ""
    if not span:
        return str(place)
    return quotes_bound(
        gettext("%(place)s, de « %(lowest)s » à « %(highest)s »")
        % {"place": place, "lowest": FREQUENCY_CHOICES[0][1], "highest": FREQUENCY_CHOICES[-1][1]}
    )


def answer_label(question_id: str, value: int | None) -> str:
    """The label of the answer `value` to the question `question_id` ("Parfois"); "" when
    unknown."""
    for question in QUESTIONS:
        if question.id == question_id:
            return next((str(label) for code, label in question.choices if code == value), "")
    return ""


@dataclass(frozen=True)
class ScaleReading:
    low: int
    high: int
    text: Promise


# Plain words for a total, never a diagnosis: how often these feelings come back.
SCALE_READINGS: tuple[ScaleReading, ...] = (
    ScaleReading(3, 4, _("Ces sentiments sont rares pour vous en ce moment.")),
    ScaleReading(5, 7, _("Ces sentiments reviennent par moments.")),
    ScaleReading(8, 9, _("Ces sentiments reviennent souvent en ce moment.")),
)


def scale_reading(total: int | None) -> str:
    """What the short scale's `total` means in words; "" when there is none."""
    for reading in SCALE_READINGS:
        if total is not None and reading.low <= total <= reading.high:
            return str(reading.text)
    return ""


def readings(scores: dict[str, int]) -> dict[str, object]:
    """What a result page shows of a check's research scores (each None when absent, as on
    a check taken before these measures)."""
    frequency = scores.get(LONELY_FREQUENCY)
    total = scores.get(LONELINESS_SCALE)
    return {
        "question": FREQUENCY_QUESTION,
        "frequency": frequency,
        "frequency_label": frequency_label(frequency) or None,
        "frequency_place": frequency_place(frequency) or None,
        "frequency_span": frequency_place(frequency, span=True) or None,
        "scale_title": SCALE_TITLE,
        "scale_total": total,
        "scale_max": SCALE_MAX_TOTAL,
        "scale_reading": scale_reading(total) or None,
        "scale_explanation": SCALE_EXPLANATION,
    }


def answered(answers: dict[str, int]) -> list[dict[str, object]]:
    """The research questions a check's `answers` hold, in order, each with its question and
    the label of the answer: what the consultant's view and the person's archive show."""
    return [
        {
            "id": question.id,
            "question": str(question.text),
            "value": answers[question.id],
            "answer": answer_label(question.id, answers[question.id]),
        }
        for question in QUESTIONS
        if question.id in answers
    ]
