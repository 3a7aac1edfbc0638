from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "tisser.network"
    label = "network"
    verbose_name = "Réseau et enquêtes-métiers"
