from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "tisser.assessments"
    label = "assessments"
    verbose_name = "Questionnaires"

    def ready(self):
        # Registries of tisser.core (lowest layer) that this app plugs into.
        import tisser.assessments.daily_jobs
        import tisser.assessments.demo
        import tisser.assessments.notice_kinds
        import tisser.assessments.personal_data  # noqa: F401
