from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "tisser.network"
    label = "network"
    verbose_name = "Réseau et enquêtes-métiers"

    def ready(self):
        # Plug into the lower layers' registries (ADR 0009).
        from tisser.network import bilan_outcomes, daily_jobs, demo, notice_kinds  # noqa: F401
        from tisser.network.services import personal_data  # noqa: F401
