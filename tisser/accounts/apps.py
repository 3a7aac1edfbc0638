from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tisser.accounts"
    label = "accounts"
    verbose_name = "Comptes"

    def ready(self):
        # Registries of tisser.core (lowest layer) that this app plugs into.
        import tisser.accounts.demo
        import tisser.accounts.personal_data  # noqa: F401
