from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "tisser.network"
    label = "network"
    verbose_name = "Réseau et enquêtes-métiers"

    def ready(self):
        # Plug into the lower layers' registries (ADR 0009): notice kinds, daily jobs.
        from tisser.network import daily_jobs, notice_kinds  # noqa: F401
