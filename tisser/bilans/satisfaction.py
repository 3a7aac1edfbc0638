"""The satisfaction questionnaire (Qualiopi indicator 30), written for Tisser: seven
statements on a 1–5 agreement scale, a recommendation score from 0 to 10 and a free
comment. Asked at the end of the bilan and six months later, with the same items so that
both moments compare.

The questionnaire is data. Changing an item's wording means a new VERSION: stored answers
keep theirs, and aggregates only mix answers of the same item id."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tisser.bilans.models import SatisfactionMoment

VERSION = "satisfaction-2026-1"
SCALE_MIN, SCALE_MAX = 1, 5
SCALE: tuple[tuple[int, Promise], ...] = (
    (1, _("Pas du tout d'accord")),
    (2, _("Plutôt pas d'accord")),
    (3, _("Ni d'accord ni pas d'accord")),
    (4, _("Plutôt d'accord")),
    (5, _("Tout à fait d'accord")),
)
RECOMMENDATION = "recommendation"
RECOMMENDATION_MIN, RECOMMENDATION_MAX = 0, 10
RECOMMENDATION_TEXT = _(
    "Sur une échelle de 0 à 10, recommanderiez-vous ce bilan à une personne de votre "
    "entourage qui se pose des questions sur son travail ?"
)
RECOMMENDATION_SHORT = _("Recommandation (0 à 10)")
COMMENT_TEXT = _("Un commentaire, une suggestion ? (facultatif)")
COMMENT_MAX_LENGTH = 3000


@dataclass(frozen=True)
class Item:
    id: str
    short: Promise
    text: Promise


ITEMS: tuple[Item, ...] = (
    Item(
        "welcome",
        _("Accueil"),
        _("J'ai été bien accueilli·e, dès le premier contact avec l'organisme."),
    ),
    Item(
        "objectives",
        _("Clarté des objectifs"),
        _("Les objectifs et le déroulement du bilan m'ont été expliqués clairement."),
    ),
    Item(
        "listening",
        _("Écoute du ou de la consultant·e"),
        _("Mon conseiller·ère m'a écouté·e avec attention et sans jugement."),
    ),
    Item(
        "tools",
        _("Outils"),
        _("Les outils proposés (questionnaires, parcours, fiches métier) m'ont été utiles."),
    ),
    Item(
        "project",
        _("Utilité pour le projet"),
        _("Le bilan m'a aidé·e à construire un projet professionnel qui me correspond."),
    ),
    Item(
        "confidence",
        _("Confiance retrouvée"),
        _("J'ai davantage confiance en mes compétences qu'avant le bilan."),
    ),
    Item(
        "connection",
        _("Lien avec les autres"),
        _(
            "Je me sens moins isolé·e dans ma vie professionnelle : je sais vers qui me "
            "tourner pour en parler."
        ),
    ),
)
ITEM_IDS: tuple[str, ...] = tuple(item.id for item in ITEMS)

# How each moment appears in an address: /bilans/<id>/satisfaction/fin/, …/6-mois/.
MOMENT_SLUGS: dict[SatisfactionMoment, str] = {
    SatisfactionMoment.END: "fin",
    SatisfactionMoment.PLUS_6_MONTHS: "6-mois",
}
SLUG_MOMENTS: dict[str, SatisfactionMoment] = {
    slug: moment for moment, slug in MOMENT_SLUGS.items()
}
