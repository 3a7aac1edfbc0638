from django.apps import AppConfig


class PeersConfig(AppConfig):
    name = "tisser.peers"
    label = "peers"
    verbose_name = "Groupes de pairs"
