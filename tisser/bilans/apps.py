from django.apps import AppConfig


class BilansConfig(AppConfig):
    name = "tisser.bilans"
    label = "bilans"
    verbose_name = "Bilans de compétences"

    def ready(self):
        # Plug into the lower layers' registries (ADR 0009): notice kinds, daily jobs.
        from tisser.bilans import daily_jobs, notice_kinds  # noqa: F401
