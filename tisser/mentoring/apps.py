from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "tisser.mentoring"
    label = "mentoring"
    verbose_name = "Mentorat"

    def ready(self):
        # The system check, and the registries of tisser.core (lowest layer) this app
        # plugs into.
        import tisser.mentoring.demo
        import tisser.mentoring.personal_data  # noqa: F401
        from tisser.mentoring import checks  # noqa: F401
