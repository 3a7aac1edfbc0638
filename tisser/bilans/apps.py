from django.apps import AppConfig


class BilansConfig(AppConfig):
    name = "tisser.bilans"
    label = "bilans"
    verbose_name = "Bilans de compétences"

    def ready(self):
        # Registries of tisser.core (lowest layer) that this app plugs into.
        import tisser.bilans.demo
        import tisser.bilans.personal_data  # noqa: F401
