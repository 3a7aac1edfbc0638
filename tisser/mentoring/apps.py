from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "tisser.mentoring"
    label = "mentoring"
    verbose_name = "Mentorat"
