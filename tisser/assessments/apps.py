from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "tisser.assessments"
    label = "assessments"
    verbose_name = "Questionnaires"
