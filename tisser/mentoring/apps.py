from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "tisser.mentoring"
    label = "mentoring"
    verbose_name = "Mentorat"

    def ready(self):
        # Plug into the lower layers' registries (ADR 0009): notice kinds, daily jobs, the
        # step after the bilan.
        from tisser.mentoring import (  # noqa: F401
            checks,
            daily_jobs,
            journey,
            notice_kinds,
        )
