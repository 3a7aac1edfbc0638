"""System check: the matching weights set by the organisme must make sense before any page
computes a suggestion with them."""

from django.conf import settings
from django.core.checks import Error, register

from matchcore.mentoring.model import Weights


@register()
def mentoring_weights_check(app_configs, **kwargs):
    value = getattr(settings, "TISSER_MENTORING_WEIGHTS", {})
    if not isinstance(value, dict):
        return [
            Error(
                "TISSER_MENTORING_WEIGHTS doit être un objet JSON (critère → poids).",
                id="mentoring.E001",
            )
        ]
    try:
        Weights(**value)
    except (TypeError, ValueError) as error:
        return [
            Error(
                f"TISSER_MENTORING_WEIGHTS n'est pas valable : {error}.",
                hint="Critères possibles : fiche, skills, help, availability, mode_place, "
                "language ; des nombres positifs ou nuls, au moins un positif.",
                id="mentoring.E001",
            )
        ]
    return []
