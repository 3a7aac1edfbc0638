from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "tisser.meetings"
    label = "meetings"
    verbose_name = "Rencontres"

    def ready(self):
        # Plug into the lower layers' registries (ADR 0009): notice kinds, daily jobs, and
        # the reminder kinds with their planner.
        from tisser.meetings import daily_jobs, notice_kinds, reminders  # noqa: F401
