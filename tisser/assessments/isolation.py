"""The isolation check ("Faire le point sur mon isolement"): a short self-questionnaire,
written for Tisser, on the working conditions that tend to isolate people and on the
isolation they feel.

The questionnaire is data: dimensions, items and interpretation bands are frozen dataclasses,
and `score` is a pure function. Every score reads the same way: 0 means the factor is absent,
100 that it weighs fully. It is a conversation starter with one's consultant, never a diagnosis.
Changing an item's wording or scoring means a new VERSION: stored answers keep theirs."""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The version of the questionnaire the check asks: the 16 items and the direct question on
# loneliness (ADR 0031). `tisser.assessments.loneliness.version_of` names the version of each
# recorded check ("isolement-2026-1": the 16 items alone; "-3": with the short scale too).
VERSION = "isolement-2026-2"
SCALE_MIN, SCALE_MAX = 1, 5

SCALE: tuple[tuple[int, Promise], ...] = (
    (1, _("Pas du tout d'accord")),
    (2, _("Plutôt pas d'accord")),
    (3, _("Ni d'accord ni pas d'accord")),
    (4, _("Plutôt d'accord")),
    (5, _("Tout à fait d'accord")),
)

NOT_A_DIAGNOSIS = _(
    "Ce n'est pas un diagnostic : ce questionnaire ne mesure ni votre valeur ni votre santé. "
    "Il vous aide à mettre des mots sur votre situation de travail et à en parler avec votre "
    "conseiller·ère. "
    "Vos réponses ne sont visibles que par vous et par la personne qui vous accompagne."
)


class Band(StrEnum):
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"


# Scores below LOW_BELOW are "low", from HIGH_FROM on "high", "moderate" in between.
LOW_BELOW, HIGH_FROM = 34, 67


def band_of(score: int) -> Band:
    if score < LOW_BELOW:
        return Band.LOW
    if score >= HIGH_FROM:
        return Band.HIGH
    return Band.MODERATE


# The safety net (docs/adr/0020-safety-net.md): a check whose "felt" dimension (the isolation
# the person feels, not its working conditions) reaches the instrument's own HIGH band shows,
# on its result page, where to turn. The band, not a new cut-off: "Très présent" is the
# reading the person already sees for that score.
SAFETY_NET_DIMENSION = "felt"


def shows_strong_felt_isolation(scores: dict[str, int]) -> bool:
    """Whether scores (as stored on a check) show strong felt isolation: the felt dimension's
    score is in the HIGH band (from HIGH_FROM = 67 out of 100)."""
    value = scores.get(SAFETY_NET_DIMENSION)
    return value is not None and band_of(int(value)) == Band.HIGH


BAND_LABELS: dict[Band, Promise] = {
    Band.LOW: _("Peu présent"),
    Band.MODERATE: _("Présent par moments"),
    Band.HIGH: _("Très présent"),
}


@dataclass(frozen=True)
class Item:
    """One statement to agree or disagree with. A reverse item describes the favourable
    situation: agreeing with it lowers the score."""

    id: str
    text: Promise
    reverse: bool = False


@dataclass(frozen=True)
class Reading:
    """What a band means in plain words, and what Tisser offers next."""

    explanation: Promise
    next_step: Promise


@dataclass(frozen=True)
class Dimension:
    id: str
    title: Promise
    items: tuple[Item, ...]
    readings: dict[Band, Reading]


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension(
        id="remote",
        title=_("Travail à distance"),
        items=(
            Item(
                "remote_1", _("Je travaille seul·e, chez moi ou à distance, presque tout le temps.")
            ),
            Item(
                "remote_2",
                _("Plusieurs jours passent souvent sans que je voie une personne de mon travail."),
            ),
            Item(
                "remote_3",
                _("Je retrouve des collègues dans un même lieu au moins une fois par semaine."),
                reverse=True,
            ),
        ),
        readings={
            Band.LOW: Reading(
                _("Vous croisez régulièrement d'autres personnes de votre travail."),
                _(
                    "Appuyez-vous sur ces rencontres : elles sont un "
                    "point de départ pour votre réseau."
                ),
            ),
            Band.MODERATE: Reading(
                _("La distance limite une partie de vos rencontres de travail."),
                _("Une enquête-métier en face à face peut recréer des occasions de se voir."),
            ),
            Band.HIGH: Reading(
                _("Vous travaillez surtout seul·e, à distance des autres."),
                _(
                    "Un groupe de pairs qui se réunit régulièrement offre un rendez-vous fixe "
                    "avec d'autres personnes."
                ),
            ),
        },
    ),
    Dimension(
        id="culture",
        title=_("Culture d'entraide et lieux d'échange"),
        items=(
            Item("culture_1", _("Autour de moi, chacun avance surtout de son côté.")),
            Item(
                "culture_2",
                _(
                    "Il n'y a pas vraiment d'endroit, sur place ou en "
                    "ligne, pour échanger entre collègues."
                ),
            ),
            Item(
                "culture_3",
                _("Demander un coup de main ou partager une idée est naturel dans mon travail."),
                reverse=True,
            ),
        ),
        readings={
            Band.LOW: Reading(
                _("L'entraide fait partie de votre quotidien de travail."),
                _("Vous pourrez partager cette expérience dans un groupe de pairs."),
            ),
            Band.MODERATE: Reading(
                _("L'entraide existe, mais elle n'est pas toujours facile à trouver."),
                _(
                    "Un groupe de pairs offre un lieu d'échange "
                    "régulier, en dehors de votre travail."
                ),
            ),
            Band.HIGH: Reading(
                _("Chacun travaille plutôt pour soi et les lieux d'échange manquent."),
                _(
                    "Un groupe de pairs et des enquêtes-métiers vous font rencontrer des "
                    "personnes prêtes à échanger."
                ),
            ),
        },
    ),
    Dimension(
        id="workload",
        title=_("Charge de travail et temps pour échanger"),
        items=(
            Item(
                "workload_1",
                _(
                    "Ma charge de travail ne me laisse presque pas de "
                    "temps pour parler avec d'autres."
                ),
            ),
            Item(
                "workload_2",
                _("Je renonce souvent aux pauses ou aux moments informels pour tenir mes délais."),
            ),
            Item(
                "workload_3",
                _("Je trouve du temps pour parler de mon métier avec d'autres personnes."),
                reverse=True,
            ),
        ),
        readings={
            Band.LOW: Reading(
                _("Vous gardez du temps pour échanger avec d'autres."),
                _("Ce temps peut accueillir une enquête-métier ou une rencontre de mentorat."),
            ),
            Band.MODERATE: Reading(
                _("Le temps pour échanger se réduit quand le travail presse."),
                _(
                    "Avec votre conseiller·ère, réservez un créneau "
                    "régulier, même court, pour échanger."
                ),
            ),
            Band.HIGH: Reading(
                _("Votre charge de travail laisse peu de place aux échanges."),
                _(
                    "Commencez petit : une enquête-métier de trente minutes, préparée avec "
                    "votre conseiller·ère."
                ),
            ),
        },
    ),
    Dimension(
        id="management",
        title=_("Encadrement et retours sur le travail"),
        items=(
            Item("management_1", _("Je reçois rarement un retour sur ce que je fais.")),
            Item(
                "management_2",
                _("La personne qui m'encadre est difficile à joindre quand j'en ai besoin."),
            ),
            Item(
                "management_3",
                _("Je fais régulièrement le point avec quelqu'un qui suit mon travail."),
                reverse=True,
            ),
        ),
        readings={
            Band.LOW: Reading(
                _("Vous avez des retours réguliers sur votre travail."),
                _("Un mentor peut compléter ces retours avec le regard d'un autre métier."),
            ),
            Band.MODERATE: Reading(
                _("Les retours sur votre travail sont irréguliers."),
                _(
                    "Un mentor peut vous offrir un regard extérieur et "
                    "bienveillant, à un rythme fixé ensemble."
                ),
            ),
            Band.HIGH: Reading(
                _("Vous manquez d'encadrement et de retours sur votre travail."),
                _(
                    "Demandez un mentor : une personne expérimentée qui prend le temps de "
                    "vous répondre."
                ),
            ),
        },
    ),
    Dimension(
        id="felt",
        title=_("Isolement ressenti"),
        items=(
            Item("felt_1", _("Mes échanges au travail restent le plus souvent superficiels.")),
            Item("felt_2", _("J'ai l'impression d'être tenu·e à l'écart de ce qui se passe.")),
            Item(
                "felt_3",
                _(
                    "Quand je rencontre une difficulté "
                    "professionnelle, je sais vers qui me tourner."
                ),
                reverse=True,
            ),
            Item("felt_4", _("Il m'arrive de me sentir seul·e face à mon travail.")),
        ),
        readings={
            Band.LOW: Reading(
                _("Vous vous sentez plutôt entouré·e dans votre travail."),
                _("Votre réseau est une force : les enquêtes-métiers vous aideront à l'élargir."),
            ),
            Band.MODERATE: Reading(
                _("Vous vous sentez parfois seul·e ou à l'écart."),
                _(
                    "Parlez-en avec votre conseiller·ère : un groupe "
                    "de pairs ou un mentor peut aider."
                ),
            ),
            Band.HIGH: Reading(
                _("Vous vous sentez souvent seul·e ou sans personne vers qui vous tourner."),
                _(
                    "Vous n'êtes pas seul·e dans ce cas. Votre conseiller·ère peut vous "
                    "proposer un mentor et un groupe de pairs dès maintenant."
                ),
            ),
        },
    ),
)

OVERALL_TITLE = _("Vue d'ensemble")
OVERALL_READINGS: dict[Band, Reading] = {
    Band.LOW: Reading(
        _("Peu de facteurs d'isolement pèsent aujourd'hui sur votre travail."),
        _("Profitez du bilan pour entretenir et élargir votre réseau."),
    ),
    Band.MODERATE: Reading(
        _("Certains facteurs d'isolement pèsent sur votre travail, d'autres moins."),
        _(
            "Regardez les thèmes les plus élevés ci-dessous et choisissez-en un à travailler "
            "avec votre conseiller·ère."
        ),
    ),
    Band.HIGH: Reading(
        _("Plusieurs facteurs d'isolement pèsent fortement sur votre travail."),
        _(
            "Tisser est fait pour cela : enquêtes-métiers, mentor et groupe de pairs. "
            "Parlez-en lors de votre prochain entretien."
        ),
    ),
}

ITEMS: tuple[Item, ...] = tuple(item for dimension in DIMENSIONS for item in dimension.items)
DIMENSION_IDS: tuple[str, ...] = tuple(dimension.id for dimension in DIMENSIONS)
OVERALL = "overall"
# Keys, in a check's scores, of the research measures asked with the check (ADR 0031): the
# direct question on how often one feels lonely (1 never … 5 often or always) and the total of
# the short loneliness scale. Absent from checks taken without them.
LONELY_FREQUENCY = "lonely_frequency"
LONELINESS_SCALE = "loneliness_scale"


def dimension_by_id(dimension_id: str) -> Dimension:
    return next(dimension for dimension in DIMENSIONS if dimension.id == dimension_id)


def _item_score(item: Item, answer: int) -> float:
    """0 (factor absent) to 1 (factor fully present)."""
    value = SCALE_MAX + SCALE_MIN - answer if item.reverse else answer
    return (value - SCALE_MIN) / (SCALE_MAX - SCALE_MIN)


def score(answers: dict[str, int]) -> dict[str, int]:
    """Scores 0–100 per dimension (the mean of its items, reverse items flipped) and overall
    (the mean of the dimensions, so that each weighs the same whatever its number of items).

    Precondition: `answers` holds every item id with a value from 1 to 5 (the service checks);
    a missing or out-of-range answer raises KeyError or ValueError."""
    scores: dict[str, int] = {}
    for dimension in DIMENSIONS:
        values = []
        for item in dimension.items:
            answer = answers[item.id]
            if not SCALE_MIN <= answer <= SCALE_MAX:
                raise ValueError(f"{item.id}: {answer} is outside {SCALE_MIN}–{SCALE_MAX}")
            values.append(_item_score(item, answer))
        scores[dimension.id] = round(100 * sum(values) / len(values))
    scores[OVERALL] = round(sum(scores[d] for d in DIMENSION_IDS) / len(DIMENSION_IDS))
    return scores
