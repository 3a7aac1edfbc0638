from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "tisser.mentoring"
    label = "mentoring"
    verbose_name = "Mentorat"

    def ready(self):
        # Plug into the lower layers' registries (ADR 0009).
        from tisser.mentoring import (  # noqa: F401
            bilan_outcomes,
            checks,
            daily_jobs,
            demo,
            journey,
            notice_kinds,
            personal_data,
        )
