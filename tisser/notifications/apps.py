from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "tisser.notifications"
    label = "notifications"
    verbose_name = "Notifications"
