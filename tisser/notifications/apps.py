from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "tisser.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        # Plug into the lower layers' registries (ADR 0009).
        from tisser.notifications import notice_kinds, personal_data  # noqa: F401
