from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    """The closed loop (issue #17): a person's story (isolation and network on one time axis)
    and the programme's outcomes. It reads every app below it and writes nothing of its own
    but what it registers: it sits under the web layer and above `peers` (ADR 0009)."""

    name = "tisser.outcomes"
    label = "outcomes"
    verbose_name = "Résultats du parcours"

    def ready(self) -> None:
        from tisser.outcomes import demo  # noqa: F401  (registers its demo seeder)
