from django.apps import AppConfig


class BilansConfig(AppConfig):
    name = "tisser.bilans"
    label = "bilans"
    verbose_name = "Bilans de compétences"

    def ready(self):
        # Plug into the lower layers' registries (ADR 0009).
        from tisser.bilans import (  # noqa: F401
            activity,
            daily_jobs,
            demo,
            notice_kinds,
            personal_data,
            working_documents,
        )
