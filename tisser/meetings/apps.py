from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "tisser.meetings"
    label = "meetings"
    verbose_name = "Rencontres"

    def ready(self):
        # Plug into the lower layers' registries (ADR 0009).
        from tisser.meetings import daily_jobs, demo, notice_kinds, personal_data, reminders  # noqa: F401
