"""The interests inventory ("Mes centres d'intérêt"), written for Tisser on Holland's six
types of interests (a public theory; every item and text here is our own wording).

48 activities, 8 per type, each answered from "Cela ne m'attire pas du tout" (1) to
"Cela m'attire beaucoup" (5). A type's score is the mean of its activities as 0–100; the
two-letter code names the two highest types. The result is a set of leads to explore with
one's consultant, never a verdict on what a person can or should do.
Changing an item's wording or the scoring means a new VERSION: stored answers keep theirs."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tisser.assessments.likert import Item, dimension_scores, interleave, ranked

VERSION = "interets-2026-1"

LETTERS: tuple[str, ...] = ("R", "I", "A", "S", "E", "C")

SCALE: tuple[tuple[int, Promise], ...] = (
    (1, _("Cela ne m'attire pas du tout")),
    (2, _("Cela m'attire peu")),
    (3, _("Cela m'attire moyennement")),
    (4, _("Cela m'attire assez")),
    (5, _("Cela m'attire beaucoup")),
)

NOT_A_VERDICT = _(
    "Ce n'est pas un test d'aptitude ni un verdict : il ne dit pas ce que vous savez faire, "
    "ni le métier que vous devriez choisir. Il donne des pistes à explorer avec votre "
    "conseiller·ère. Vos réponses ne sont visibles que par vous et par la personne qui vous "
    "accompagne."
)


@dataclass(frozen=True)
class InterestType:
    letter: str
    title: Promise
    description: Promise
    leads: Promise


TYPES: tuple[InterestType, ...] = (
    InterestType(
        "R",
        _("Réaliste"),
        _(
            "Vous aimez les activités concrètes : agir avec vos mains, des outils ou des "
            "machines, être dehors, voir et toucher le résultat de votre travail."
        ),
        _("Artisanat, bâtiment, maintenance, agriculture et nature, transport et logistique."),
    ),
    InterestType(
        "I",
        _("Investigateur"),
        _(
            "Vous aimez comprendre : observer, analyser, chercher des explications et résoudre "
            "des problèmes qui demandent de la réflexion."
        ),
        _("Recherche, santé, informatique, études et analyse, contrôle et qualité."),
    ),
    InterestType(
        "A",
        _("Artistique"),
        _(
            "Vous aimez créer et vous exprimer : imaginer, inventer, donner forme à des idées, "
            "avec une part de liberté et d'originalité."
        ),
        _("Arts, design, écriture, communication, spectacle, métiers d'art."),
    ),
    InterestType(
        "S",
        _("Social"),
        _(
            "Vous aimez être en relation : écouter, aider, accompagner, soigner, transmettre. "
            "Ce que vivent les autres compte pour vous."
        ),
        _("Santé, action sociale, éducation et formation, accueil, insertion."),
    ),
    InterestType(
        "E",
        _("Entreprenant"),
        _(
            "Vous aimez faire avancer les choses : convaincre, décider, négocier, prendre des "
            "responsabilités et porter des projets."
        ),
        _("Commerce, management, création d'entreprise, négociation, vie associative."),
    ),
    InterestType(
        "C",
        _("Conventionnel"),
        _(
            "Vous aimez l'organisation et la précision : classer, vérifier, suivre une "
            "méthode, faire en sorte que tout soit juste et à jour."
        ),
        _("Gestion, comptabilité, administration, secrétariat, banque et assurance."),
    ),
)

ITEMS: tuple[Item, ...] = (
    # Réaliste
    Item("r1", "R", _("Réparer un appareil ou un meuble abîmé.")),
    Item("r2", "R", _("Travailler en plein air, sur un chantier, dans un jardin ou en forêt.")),
    Item("r3", "R", _("Monter, régler ou entretenir une machine.")),
    Item("r4", "R", _("Fabriquer un objet de mes mains à partir d'un plan.")),
    Item("r5", "R", _("Conduire un véhicule ou un engin pour déplacer du matériel.")),
    Item("r6", "R", _("Installer un équipement électrique ou de plomberie.")),
    Item("r7", "R", _("Soigner des animaux ou cultiver des plantes au fil des saisons.")),
    Item("r8", "R", _("Ajuster une pièce au millimètre avec des outils précis.")),
    # Investigateur
    Item("i1", "I", _("Analyser des données pour comprendre d'où vient un problème.")),
    Item("i2", "I", _("Mener une expérience et noter avec soin ce que j'observe.")),
    Item("i3", "I", _("Lire des études pour approfondir un sujet qui m'intrigue.")),
    Item("i4", "I", _("Chercher, étape par étape, la cause d'une panne ou d'une erreur.")),
    Item("i5", "I", _("Résoudre un problème de logique ou de calcul.")),
    Item("i6", "I", _("Comparer plusieurs hypothèses avant de trancher.")),
    Item("i7", "I", _("Comprendre comment marche le corps humain, la nature ou une technique.")),
    Item("i8", "I", _("Enquêter pour vérifier si une information est exacte.")),
    # Artistique
    Item("a1", "A", _("Imaginer l'aménagement ou la décoration d'un lieu.")),
    Item("a2", "A", _("Écrire des textes, des récits ou des poèmes.")),
    Item("a3", "A", _("Composer, jouer ou interpréter de la musique.")),
    Item("a4", "A", _("Dessiner, peindre ou photographier.")),
    Item("a5", "A", _("Inventer une façon originale de présenter une idée.")),
    Item("a6", "A", _("Créer des vêtements, des bijoux ou des objets décoratifs.")),
    Item("a7", "A", _("Tourner ou monter une courte vidéo.")),
    Item("a8", "A", _("Jouer un rôle ou improviser devant un public.")),
    # Social
    Item("s1", "S", _("Accompagner une personne qui traverse une période difficile.")),
    Item("s2", "S", _("Expliquer quelque chose à quelqu'un jusqu'à ce qu'il le comprenne.")),
    Item("s3", "S", _("Écouter une personne et l'aider à trouver sa propre solution.")),
    Item("s4", "S", _("Prendre soin de personnes malades, âgées ou en situation de handicap.")),
    Item("s5", "S", _("Animer un atelier où chacun apprend des autres.")),
    Item("s6", "S", _("Accueillir et orienter des personnes qui ne savent pas à qui s'adresser.")),
    Item("s7", "S", _("Former des collègues ou des bénévoles.")),
    Item("s8", "S", _("Aider deux personnes à apaiser un désaccord.")),
    # Entreprenant
    Item("e1", "E", _("Convaincre des personnes de rejoindre un projet.")),
    Item("e2", "E", _("Négocier un prix, un contrat ou un accord.")),
    Item("e3", "E", _("Lancer une nouvelle activité et la faire grandir.")),
    Item("e4", "E", _("Mener une équipe vers un objectif ambitieux.")),
    Item("e5", "E", _("Prendre la parole en réunion pour défendre une idée.")),
    Item("e6", "E", _("Vendre un produit ou un service auquel je crois.")),
    Item("e7", "E", _("Prendre des décisions rapides quand la situation l'exige.")),
    Item("e8", "E", _("Organiser un événement et trouver des partenaires pour le financer.")),
    # Conventionnel
    Item("c1", "C", _("Classer des documents pour que chacun les retrouve facilement.")),
    Item("c2", "C", _("Tenir un budget ou des comptes à jour.")),
    Item("c3", "C", _("Vérifier qu'un dossier est complet et sans erreur.")),
    Item("c4", "C", _("Suivre une procédure précise, étape après étape.")),
    Item("c5", "C", _("Saisir et mettre en forme des informations dans un tableau.")),
    Item("c6", "C", _("Planifier des rendez-vous et tenir un agenda.")),
    Item("c7", "C", _("Contrôler des stocks ou des livraisons.")),
    Item("c8", "C", _("Faire appliquer une réglementation et veiller à son respect.")),
)

# The order the items are shown in: eight blocks, each with one activity of every type in a
# different order, and no block starting with the type that ended the previous one, so that
# two activities of the same type never follow each other and the person is not led.
BLOCK_ORDERS: tuple[str, ...] = (
    "S R C A E I",
    "A E I S C R",
    "C I R E S A",
    "E A S R I C",
    "I C E S A R",
    "S R A C I E",
    "A I S E R C",
    "E C R I A S",
)
BLOCKS: tuple[tuple[Item, ...], ...] = interleave(ITEMS, BLOCK_ORDERS)

# Below this score, no type stands out as an attraction; past this gap between the highest and
# the lowest score, the profile is called "flat"; within this gap the third type is "close".
LOW_BELOW, FLAT_WITHIN, CLOSE_WITHIN = 50, 15, 5


def type_by_letter(letter: str) -> InterestType:
    return next(interest_type for interest_type in TYPES if interest_type.letter == letter)


def score(answers: dict[str, int]) -> dict[str, int]:
    """0–100 per letter, in R, I, A, S, E, C order: the mean of the type's eight answers,
    1 → 0 and 5 → 100. Precondition: every item answered from 1 to 5 (see likert)."""
    return dimension_scores(ITEMS, LETTERS, answers)


def ranking(scores: dict[str, int]) -> list[tuple[str, int]]:
    """The letters from the highest score to the lowest. Equal scores keep the R, I, A, S, E, C
    order: the tie-break is arbitrary but documented and the same every time."""
    return ranked(scores, LETTERS)


def code(scores: dict[str, int]) -> str:
    """The two-letter code: the two highest types, the highest first, ties broken in
    R, I, A, S, E, C order (with S = A = 80 and the rest lower, the code is "AS")."""
    return "".join(letter for letter, _score in ranking(scores)[:2])


@dataclass(frozen=True)
class CodeReading:
    code: str
    first: InterestType
    second: InterestType
    summary: str
    notes: tuple[str, ...]


def code_reading(scores: dict[str, int]) -> CodeReading:
    """What the code means, in plain French, with the nuances a consultant would add: a third
    type close behind, a flat profile, or no type that attracts much today."""
    ranks = ranking(scores)
    first, second = type_by_letter(ranks[0][0]), type_by_letter(ranks[1][0])
    summary = _(
        "Votre code est « %(code)s » : les activités de type %(first)s vous attirent le plus, "
        "puis celles de type %(second)s. Il résume ce qui vous attire aujourd'hui, pas ce que "
        "vous savez faire : c'est une piste à explorer, par exemple en rencontrant des "
        "personnes dont le métier combine ces deux familles d'activités."
    ) % {"code": first.letter + second.letter, "first": first.title, "second": second.title}
    notes = []
    highest, lowest = ranks[0][1], ranks[-1][1]
    if highest < LOW_BELOW:
        notes.append(
            str(
                _(
                    "Aucune famille d'activités ne vous attire nettement aujourd'hui. C'est "
                    "fréquent dans une période de fatigue ou de doute : parlez-en avec votre "
                    "conseiller·ère, et refaites l'inventaire plus tard si vous le souhaitez."
                )
            )
        )
    elif highest - lowest <= FLAT_WITHIN:
        notes.append(
            str(
                _(
                    "Vos six scores sont proches : beaucoup d'activités vous attirent autant. "
                    "Le code compte moins que les activités précises que vous avez aimées."
                )
            )
        )
    if ranks[1][1] - ranks[2][1] <= CLOSE_WITHIN:
        third = type_by_letter(ranks[2][0])
        notes.append(
            str(
                _(
                    "Le type %(third)s est très proche du deuxième : gardez-le aussi en tête "
                    "(code voisin : « %(other)s »)."
                )
                % {"third": third.title, "other": first.letter + third.letter}
            )
        )
    return CodeReading(
        code=first.letter + second.letter,
        first=first,
        second=second,
        summary=str(summary),
        notes=tuple(notes),
    )
