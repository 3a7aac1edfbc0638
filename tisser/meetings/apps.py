from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "tisser.meetings"
    label = "meetings"
    verbose_name = "Rencontres"

    def ready(self):
        # Registries of tisser.core (lowest layer) that this app plugs into.
        import tisser.meetings.demo
        import tisser.meetings.personal_data  # noqa: F401
