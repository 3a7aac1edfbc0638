from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "tisser.meetings"
    label = "meetings"
    verbose_name = "Rencontres"
