from django.apps import AppConfig


class ReferentielConfig(AppConfig):
    name = "tisser.referentiel"
    label = "referentiel"
    verbose_name = "Référentiel ROME 4.0"
