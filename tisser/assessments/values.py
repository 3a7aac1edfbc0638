"""The values and motivations inventory ("Mes valeurs"), written for Tisser: what a person
wants their working life to give them, on eight values (autonomy, security, expertise,
management, service, challenge, life balance, entrepreneurship).

24 statements, 3 per value, each answered from "Cela ne compte pas pour moi" (1) to
"C'est essentiel pour moi" (5). A value's score is the mean of its statements as 0–100; the
profile ranks the values from the one that counts most. No ranking is better than another:
it helps choose a project that the person will want to keep.
Changing an item's wording or the scoring means a new VERSION: stored answers keep theirs."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tisser.assessments.likert import Item, dimension_scores, interleave, ranked

VERSION = "valeurs-2026-1"

SCALE: tuple[tuple[int, Promise], ...] = (
    (1, _("Cela ne compte pas pour moi")),
    (2, _("Cela compte un peu")),
    (3, _("Cela compte moyennement")),
    (4, _("Cela compte beaucoup")),
    (5, _("C'est essentiel pour moi")),
)

NOT_A_VERDICT = _(
    "Il n'y a pas de bonnes ou de mauvaises valeurs : ce classement dit ce qui compte pour "
    "vous aujourd'hui, et il peut changer. Il vous aide à choisir, avec votre conseiller·ère, "
    "un projet qui vous ressemble. Vos réponses ne sont visibles que par vous et par la "
    "personne qui vous accompagne."
)


@dataclass(frozen=True)
class Value:
    id: str
    title: Promise
    description: Promise


# The order of the issue; it is also the tie-break of the ranking (see `ranking`).
VALUES: tuple[Value, ...] = (
    Value(
        "autonomy",
        _("Autonomie"),
        _("Organiser votre travail à votre façon : vos méthodes, votre rythme, vos priorités."),
    ),
    Value(
        "security",
        _("Sécurité"),
        _("Un emploi stable, un revenu régulier, un avenir que l'on peut prévoir."),
    ),
    Value(
        "expertise",
        _("Expertise"),
        _("Devenir très compétent·e dans un domaine et être reconnu·e pour ce savoir-faire."),
    ),
    Value(
        "management",
        _("Encadrement"),
        _("Encadrer et faire grandir une équipe, coordonner, décider pour un collectif."),
    ),
    Value(
        "service",
        _("Être utile aux autres"),
        _(
            "Un travail qui rend service, qui a du sens pour des personnes ou pour la société, "
            "fait avec d'autres."
        ),
    ),
    Value(
        "challenge",
        _("Défi"),
        _("Relever des problèmes difficiles, vous dépasser, sortir de votre zone de confort."),
    ),
    Value(
        "balance",
        _("Équilibre de vie"),
        _(
            "Un travail qui laisse de la place à votre vie personnelle, à votre santé et à vos "
            "proches."
        ),
    ),
    Value(
        "entrepreneurship",
        _("Entrepreneuriat"),
        _("Créer ou reprendre une activité, porter un projet à votre nom, en assumer les risques."),
    ),
)
VALUE_IDS: tuple[str, ...] = tuple(value.id for value in VALUES)

ITEMS: tuple[Item, ...] = (
    Item("autonomy_1", "autonomy", _("Décider moi-même de la façon de faire mon travail.")),
    Item(
        "autonomy_2",
        "autonomy",
        _("Organiser mon temps et mes priorités sans tout faire valider."),
    ),
    Item(
        "autonomy_3",
        "autonomy",
        _("Travailler sans que quelqu'un vérifie chacun de mes gestes."),
    ),
    Item("security_1", "security", _("Avoir un emploi stable sur lequel je peux compter.")),
    Item("security_2", "security", _("Percevoir un revenu régulier et prévisible.")),
    Item(
        "security_3",
        "security",
        _("Savoir à quoi ressemblera mon travail dans quelques années."),
    ),
    Item("expertise_1", "expertise", _("Devenir vraiment compétent·e dans un domaine précis.")),
    Item("expertise_2", "expertise", _("Être reconnu·e pour la qualité de mon savoir-faire.")),
    Item("expertise_3", "expertise", _("Continuer à apprendre pour approfondir mon métier.")),
    Item("management_1", "management", _("Encadrer une équipe et la faire progresser.")),
    Item("management_2", "management", _("Coordonner le travail de plusieurs personnes.")),
    Item("management_3", "management", _("Prendre des décisions qui engagent un collectif.")),
    Item("service_1", "service", _("Sentir que mon travail rend service à des personnes.")),
    Item("service_2", "service", _("Contribuer à une cause qui me tient à cœur.")),
    Item(
        "service_3",
        "service",
        _("Travailler avec d'autres personnes, dans l'entraide plutôt que chacun pour soi."),
    ),
    Item("challenge_1", "challenge", _("Relever des défis difficiles.")),
    Item("challenge_2", "challenge", _("Me mesurer à des objectifs exigeants.")),
    Item("challenge_3", "challenge", _("Sortir régulièrement de ma zone de confort.")),
    Item("balance_1", "balance", _("Garder du temps pour ma vie personnelle et familiale.")),
    Item(
        "balance_2",
        "balance",
        _("Avoir des horaires compatibles avec mes autres engagements."),
    ),
    Item(
        "balance_3",
        "balance",
        _("Garder l'énergie de voir mes proches et mes amis en dehors du travail."),
    ),
    Item("entrepreneurship_1", "entrepreneurship", _("Créer ma propre activité.")),
    Item(
        "entrepreneurship_2",
        "entrepreneurship",
        _("Porter un projet de bout en bout et en assumer les risques."),
    ),
    Item(
        "entrepreneurship_3",
        "entrepreneurship",
        _("Être à mon compte, même avec moins de garanties."),
    ),
)

# Three blocks of eight statements, one per value in a different order each time, so that
# two statements on the same value never follow each other.
BLOCK_ORDERS: tuple[str, ...] = (
    "service autonomy challenge security balance expertise entrepreneurship management",
    "security management autonomy entrepreneurship expertise service balance challenge",
    "expertise balance entrepreneurship service challenge management security autonomy",
)
BLOCKS: tuple[tuple[Item, ...], ...] = interleave(ITEMS, BLOCK_ORDERS)

# Two values that both score this high can pull a project in opposite directions: worth a
# conversation with one's consultant, not a contradiction.
TENSION_FROM = 75
TENSIONS: tuple[tuple[str, str, Promise], ...] = (
    (
        "security",
        "entrepreneurship",
        _(
            "La sécurité et l'entrepreneuriat comptent tous deux beaucoup pour vous : une "
            "création progressive, ou une reprise d'activité, peut concilier les deux. "
            "Parlez-en avec votre conseiller·ère."
        ),
    ),
    (
        "challenge",
        "balance",
        _(
            "Le défi et l'équilibre de vie comptent tous deux beaucoup pour vous : un projet "
            "exigeant qui respecte vos limites est possible, à condition de les poser dès le "
            "départ."
        ),
    ),
    (
        "autonomy",
        "security",
        _(
            "L'autonomie et la sécurité comptent tous deux beaucoup pour vous : certains "
            "cadres salariés laissent une grande liberté d'organisation ; les enquêtes-métiers "
            "aident à les repérer."
        ),
    ),
)


def value_by_id(value_id: str) -> Value:
    return next(value for value in VALUES if value.id == value_id)


def score(answers: dict[str, int]) -> dict[str, int]:
    """0–100 per value, in VALUES order: the mean of the value's three answers, 1 → 0 and
    5 → 100. Precondition: every item answered from 1 to 5 (see likert)."""
    return dimension_scores(ITEMS, VALUE_IDS, answers)


def ranking(scores: dict[str, int]) -> list[tuple[str, int]]:
    """(value id, score) from the value that counts most to the one that counts least. Equal
    scores keep the VALUES order (autonomy, security, expertise, management, service,
    challenge, balance, entrepreneurship): arbitrary but documented and stable."""
    return ranked(scores, VALUE_IDS)


def tensions(scores: dict[str, int]) -> list[str]:
    """The notes on pairs of values that both count a lot (TENSION_FROM or more)."""
    return [
        str(text)
        for first, second, text in TENSIONS
        if scores.get(first, 0) >= TENSION_FROM and scores.get(second, 0) >= TENSION_FROM
    ]
