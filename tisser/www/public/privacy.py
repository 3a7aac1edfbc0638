"""What the privacy notice says that depends on the installation: who the controller is (the
visitor's organisation when they belong to exactly one) and the retention periods, read from
the settings so that the page never says something the daily jobs do not do
(RGPD art. 13: identity and DPO, purposes and legal bases, recipients, durations, rights,
the supervisory authority; ADR 0019)."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class Duration:
    what: str
    how_long: str


def _months(count: int) -> str:
    return ngettext("%(count)s mois", "%(count)s mois", count) % {"count": count}


def _years(count: int) -> str:
    return ngettext("%(count)s an", "%(count)s ans", count) % {"count": count}


def durations() -> list[Duration]:
    management = getattr(settings, "TISSER_MANAGEMENT_RETENTION_YEARS", 5)
    checks = getattr(settings, "TISSER_ISOLATION_CHECK_RETENTION_MONTHS", 12)
    mentoring = getattr(settings, "TISSER_MENTORING_RETENTION_MONTHS", 12)
    peers = getattr(settings, "TISSER_PEER_GROUP_RETENTION_MONTHS", 12)
    return [
        Duration(
            _(
                "Les documents de travail de votre bilan : parcours, réussites, portefeuille, "
                "besoins et contraintes, questionnaires et points sur l'isolement faits pendant "
                "le bilan, pistes, projets, notes de votre conseiller·ère, document de synthèse"
            ),
            _(
                "Détruits dès la fin du bilan (Code du travail, article R6313-7). Avant la fin, "
                "vous pouvez tout télécharger."
            ),
        ),
        Duration(
            _(
                "Le document de synthèse transmis, à votre demande, à votre conseil en évolution "
                "professionnelle"
            ),
            _("1 an au plus à compter de cette transmission, puis détruit."),
        ),
        Duration(
            _("Les documents que vous avez accepté par écrit de garder pour votre suivi"),
            _("1 an au plus après la fin du bilan, puis détruits."),
        ),
        Duration(
            _(
                "Les données de gestion du bilan : dates, heures, émargements, convention ou "
                "contrat, financement, réponses au questionnaire de satisfaction"
            ),
            _("%(duration)s après la fin du bilan, pour les contrôles de l'organisme.")
            % {"duration": _years(management)},
        ),
        Duration(
            _("Un point sur l'isolement fait en dehors d'un bilan"),
            _(
                "%(duration)s après la date où vous l'avez fait (jamais tant qu'un bilan est en "
                "cours). Vous pouvez le faire effacer avant."
            )
            % {"duration": _months(checks)},
        ),
        Duration(
            _("Un mentorat terminé : charte, objectifs, nouvelles, avis, rencontres"),
            _("%(duration)s après sa fin.") % {"duration": _months(mentoring)},
        ),
        Duration(
            _("Un groupe de pairs terminé : membres, charte, engagements, entraide, rencontres"),
            _("%(duration)s après sa fin.") % {"duration": _months(peers)},
        ),
        Duration(
            _("Votre réseau : contacts et enquêtes-métiers"),
            _(
                "Tant que vous les gardez : vous pouvez supprimer un contact ou tout votre "
                "réseau à tout moment."
            ),
        ),
        Duration(
            _("Votre compte : nom, adresse e-mail, rôle"),
            _(
                "Tant que vous faites partie de l'organisme. À votre départ, la coordination "
                "efface ou anonymise votre compte et ne garde que les données de gestion "
                "ci-dessus."
            ),
        ),
    ]


def controller(request):
    """The visitor's organisation when they belong to exactly one, else None (the page then
    says who the controller is in general words)."""
    memberships = getattr(request, "memberships", None) or []
    organisations = {m.organisation_id: m.organisation for m in memberships}
    if len(organisations) != 1:
        return None
    return next(iter(organisations.values()))


def privacy_context(request) -> dict:
    return {"organisation": controller(request), "durations": durations()}
