"""What the daily jobs' scale tests share (ADR 0030): a job's query count for one
organisation, compared between a small and a grown fixture."""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

# Rows in the grown fixture. SQLite splits a bulk INSERT beyond 999 parameters (about 60
# notifications), which would count as growth: it is kept under that there.
GROWN = 30 if connection.vendor == "postgresql" else 12


def queries(job, organisation) -> int:
    """How many queries `job` makes for `organisation` (the content types, cached once per
    process, are read before counting)."""
    ContentType.objects.get_for_models(*apps.get_models())
    with CaptureQueriesContext(connection) as context:
        job.call(organisation_id=organisation.pk)
    return len(context.captured_queries)
