"""The safety net: where to turn when work becomes hard to live with (docs/adr/0020-safety-net.md).

The one place where its words are written. The result page of an isolation check, the
"ma situation" page and the stable help page all render `resources_for(…)` through the one
template `www/safety/_resources.html`.

Written to be read as a psychologue du travail would want: plain words, no diagnosis (the
person is not described as ill or fragile: only what they answered or chose to say), no
promise of what others will do, and the person stays free to do nothing. Every fact below
was read in the sources the ADR names: the accord national interprofessionnel of 26
November 2020 on telework (§ 5.2 "Prévenir l'isolement"), Code du travail R4624-34 (a visit
to the médecin du travail at the worker's request, which can motivate no sanction),
L1152-1 and L1152-4 (moral harassment and the employer's duty to prevent it), L1153-1 and
L1153-5 (sexual harassment; prevent, stop, sanction), the 3114 (numéro national de
prévention du suicide: free, confidential, 24 h/24 and 7 d/7, answered by care
professionals), the Défenseur des droits' 3928 and antidiscriminations.fr, and "Mon soutien
psy" (Assurance maladie: up to 12 sessions a year with a partner psychologist, booked
directly)."""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Context(StrEnum):
    """Why the resources are shown: an isolation check's result, the help page, or what the
    person said about their situation (`SafetyConcern.Situation` values)."""

    ISOLATION = "isolation"
    HELP = "help"
    HARASSMENT = "harassment"
    DISCRIMINATION = "discrimination"
    TOXIC = "toxic"
    UNSAID = "unsaid"


@dataclass(frozen=True)
class Link:
    label: Promise
    href: str


@dataclass(frozen=True)
class Resource:
    key: str
    title: Promise
    paragraphs: tuple[Promise, ...]
    links: tuple[Link, ...] = ()


OCCUPATIONAL_HEALTH = Resource(
    key="occupational-health",
    title=_("La santé au travail, si vous êtes salarié·e"),
    paragraphs=(
        _(
            "Le médecin du travail et l'équipe du service de prévention et de santé au travail "
            "de votre employeur peuvent vous recevoir pour parler de ce que votre travail vous "
            "fait vivre."
        ),
        _(
            "Vous pouvez demander une visite vous-même, à tout moment, sans attendre une visite "
            "périodique. C'est un droit, et cette demande ne peut motiver aucune sanction "
            "(article R4624-34 du Code du travail)."
        ),
        _(
            "Les coordonnées du service sont affichées dans l'entreprise ; le service des "
            "ressources humaines peut aussi vous les donner."
        ),
    ),
)

TELEWORK = Resource(
    key="telework",
    title=_("Votre responsable, si vous êtes en télétravail"),
    paragraphs=(
        _(
            "L'accord national interprofessionnel du 26 novembre 2020 sur le télétravail "
            "prévoit qu'un·e salarié·e en télétravail puisse signaler un sentiment "
            "d'isolement à son responsable, afin que des solutions soient cherchées ensemble. "
            "Vous pouvez vous appuyer sur ce texte si vous choisissez d'en parler."
        ),
    ),
)

PSYCHOLOGIST = Resource(
    key="psychologist",
    title=_("Un·e psychologue"),
    paragraphs=(
        _(
            "Parler à un·e psychologue aide à prendre du recul sur une situation qui pèse. "
            "Il n'est pas nécessaire d'aller « mal » pour consulter."
        ),
        _(
            "Avec « Mon soutien psy », l'Assurance maladie prend en charge une partie des "
            "séances chez un·e psychologue partenaire, jusqu'à douze par an. Vous pouvez "
            "prendre rendez-vous directement ; votre médecin traitant peut aussi vous orienter."
        ),
    ),
)

HARASSMENT = Resource(
    key="harassment",
    title=_("Harcèlement au travail"),
    paragraphs=(
        _(
            "Le Code du travail protège chaque salarié·e contre le harcèlement moral, des "
            "agissements répétés qui dégradent les conditions de travail (article L1152-1), "
            "et contre le harcèlement sexuel (article L1153-1). L'employeur doit prévenir ces "
            "faits et, pour le harcèlement sexuel, y mettre un terme et les sanctionner "
            "(articles L1152-4 et L1153-5)."
        ),
        _(
            "Vous pouvez en parler, à votre rythme, au médecin du travail, aux représentant·es "
            "du personnel (le CSE), qui peuvent alerter l'employeur, au référent harcèlement "
            "de l'entreprise s'il y en a un, ou à l'inspection du travail, qui peut enquêter. "
            "Garder une trace datée de ce qui se passe peut aider dans ces démarches."
        ),
    ),
)

DISCRIMINATION = Resource(
    key="discrimination",
    title=_("Discrimination : le Défenseur des droits"),
    paragraphs=(
        _(
            "Si vous pensez être traité·e moins bien que d'autres en raison de votre origine, "
            "de votre sexe, de votre âge, d'un handicap, de votre état de santé ou d'un autre "
            "critère interdit par la loi, les juristes du Défenseur des droits vous écoutent "
            "et vous orientent, gratuitement et de façon confidentielle. Le harcèlement "
            "sexuel relève aussi de leur compétence."
        ),
    ),
    links=(
        Link(_("Appeler le 39 28"), "tel:3928"),
        Link(
            _("antidiscriminations.fr (tchat, formulaire)"), "https://www.antidiscriminations.fr/"
        ),
    ),
)

CRISIS = Resource(
    key="crisis",
    title=_("Dans un moment de crise : le 3114"),
    paragraphs=(
        _(
            "Si un jour cela devient trop lourd, si des idées de mort vous viennent, vous "
            "pouvez appeler le 3114, le numéro national de prévention du suicide. Il répond à "
            "toute heure, tous les jours ; l'appel est gratuit et confidentiel, et ce sont des "
            "professionnels du soin qui répondent. Vous pouvez aussi l'appeler pour un proche."
        ),
        _("En cas de danger immédiat, appelez le 15."),
    ),
    links=(
        Link(_("Appeler le 3114"), "tel:3114"),
        Link(_("3114.fr"), "https://3114.fr/"),
    ),
)

# What comes first depends on why the resources are shown; the 3114 is always there, last,
# under its own heading, so that it can be found without opening with it.
_ORDERS: dict[Context, tuple[Resource, ...]] = {
    Context.ISOLATION: (OCCUPATIONAL_HEALTH, TELEWORK, PSYCHOLOGIST, HARASSMENT, DISCRIMINATION),
    Context.HELP: (OCCUPATIONAL_HEALTH, PSYCHOLOGIST, HARASSMENT, DISCRIMINATION, TELEWORK),
    Context.HARASSMENT: (HARASSMENT, OCCUPATIONAL_HEALTH, DISCRIMINATION, PSYCHOLOGIST),
    Context.DISCRIMINATION: (DISCRIMINATION, HARASSMENT, OCCUPATIONAL_HEALTH, PSYCHOLOGIST),
    Context.TOXIC: (OCCUPATIONAL_HEALTH, HARASSMENT, PSYCHOLOGIST, DISCRIMINATION),
    Context.UNSAID: (OCCUPATIONAL_HEALTH, HARASSMENT, PSYCHOLOGIST, DISCRIMINATION),
}


def resources_for(context: Context | str) -> tuple[Resource, ...]:
    """The resources to show, in order, for `context` (a `Context` or one of its values);
    the crisis line always closes the list."""
    return (*_ORDERS[Context(context)], CRISIS)


INTROS: dict[Context, Promise] = {
    Context.ISOLATION: _(
        "Vos réponses disent que vous vous sentez souvent seul·e face à votre travail. "
        "Beaucoup de personnes le vivent, et ce n'est pas à vous seul·e d'y faire face. "
        "En plus de votre conseiller·ère, voici vers qui vous pouvez vous tourner, si et "
        "quand vous le souhaitez."
    ),
    Context.HELP: _(
        "Votre travail vous pèse, ou quelque chose s'y passe mal ? Voici vers qui vous "
        "tourner. Vous choisissez ce que vous faites de ces informations, et à quel moment."
    ),
    Context.HARASSMENT: _(
        "Merci de l'avoir dit. Vous n'avez rien à prouver pour en parler. Voici vers qui "
        "vous tourner, en commençant par ce qui concerne le harcèlement."
    ),
    Context.DISCRIMINATION: _(
        "Merci de l'avoir dit. Vous n'avez rien à prouver pour en parler. Voici vers qui "
        "vous tourner, en commençant par ce qui concerne la discrimination."
    ),
    Context.TOXIC: _(
        "Merci de l'avoir dit. Une ambiance de travail qui se dégrade pèse sur chacun·e. "
        "Voici vers qui vous tourner."
    ),
    Context.UNSAID: _(
        "Merci de l'avoir dit. Vous n'avez pas à en dire plus ici. Voici vers qui vous tourner."
    ),
}

# Said next to the resources wherever they are shown.
NOT_AN_EMERGENCY_SERVICE = _(
    "Tisser n'est pas un service d'écoute ni d'urgence : personne ne lit ce que vous écrivez "
    "ici en temps réel."
)
