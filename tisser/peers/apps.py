from django.apps import AppConfig


class PeersConfig(AppConfig):
    name = "tisser.peers"
    label = "peers"
    verbose_name = "Groupes de pairs"

    def ready(self):
        # Registries of tisser.core (lowest layer) that this app plugs into.
        import tisser.peers.demo
        import tisser.peers.personal_data  # noqa: F401
