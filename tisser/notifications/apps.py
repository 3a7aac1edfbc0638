from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "tisser.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        # Registries of tisser.core (lowest layer) that this app plugs into.
        import tisser.notifications.personal_data  # noqa: F401
