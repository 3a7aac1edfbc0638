from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    """Login throttling counts attempts in the cache, which production keeps in the database
    so that every worker process shares it (ADR 0011): `migrate` creates its table, so a
    deployment needs no extra step. Does nothing when no database cache is configured, and
    leaves an existing table alone."""
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
