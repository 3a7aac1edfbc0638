from django.apps import AppConfig


class PeersConfig(AppConfig):
    name = "tisser.peers"
    label = "peers"
    verbose_name = "Groupes de pairs"

    def ready(self):
        # Plug into the lower layers' registries (ADR 0009).
        from tisser.peers import bilan_outcomes, daily_jobs, demo, notice_kinds, personal_data  # noqa: F401
