from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "tisser.network"
    label = "network"
    verbose_name = "Réseau et enquêtes-métiers"

    def ready(self):
        # Registries of tisser.core (lowest layer) that this app plugs into.
        import tisser.network.demo
        import tisser.network.services.personal_data  # noqa: F401
