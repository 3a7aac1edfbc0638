from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "tisser.mentoring"
    label = "mentoring"
    verbose_name = "Mentorat"

    def ready(self):
        from tisser.mentoring import checks  # noqa: F401  (registers the system check)
