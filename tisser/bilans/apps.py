from django.apps import AppConfig


class BilansConfig(AppConfig):
    name = "tisser.bilans"
    label = "bilans"
    verbose_name = "Bilans de compétences"
