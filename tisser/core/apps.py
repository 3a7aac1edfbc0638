from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate


def cache_table_create(sender, using, **kwargs):
    """Login throttling counts attempts in the cache, which production keeps in the database
    so that every worker process shares it (ADR 0011): each `migrate` creates its table, so a
    deployment needs no extra step. Does nothing without a database cache, and leaves an
    existing table alone."""
    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "tisser.core"
    label = "core"
    verbose_name = "Tisser — socle"

    def ready(self):
        post_migrate.connect(cache_table_create, sender=self)
