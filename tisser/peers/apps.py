from django.apps import AppConfig


class PeersConfig(AppConfig):
    name = "tisser.peers"
    label = "peers"
    verbose_name = "Groupes de pairs"

    def ready(self):
        # Plug into the lower layers' registries (ADR 0009): notice kinds, daily jobs.
        from tisser.peers import daily_jobs, notice_kinds  # noqa: F401
