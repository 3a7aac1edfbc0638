"""The action notices written before ADR 0024 say what they are about, and those whose action
was already done are marked done: a synthèse to read that was validated or returned since, a
synthèse to revise that was presented again, a follow-up proposal answered or replaced, a
convention signed. Their idempotency keys name the object (see `services.synthesis`,
`services.followup`, `services.convention`)."""

import re

from django.db import migrations
from django.utils import timezone

SYNTHESIS_KEY = re.compile(r"^synthesis:(?P<pk>\d+):v\d+:(submitted|returned):")
FOLLOWUP_KEY = re.compile(r"^followup-proposed:(?P<pk>\d+):(?P<version>\d+):")
CONVENTION_KEY = re.compile(r"^convention-deadline:(?P<pk>\d+):")


def _backfill(apps, *, kind, key, model_name, still_waiting):
    Notification = apps.get_model("notifications", "Notification")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Model = apps.get_model("bilans", model_name)
    content_type, _created = ContentType.objects.get_or_create(
        app_label="bilans", model=model_name.lower()
    )
    now = timezone.now()
    for notification in Notification.objects.filter(kind=kind, about_id__isnull=True).iterator():
        match = key.match(notification.idempotency_key)
        if match is None:
            continue
        subject = Model.objects.filter(pk=int(match["pk"])).first()
        if subject is None:
            continue
        notification.about_type_id = content_type.pk
        notification.about_id = subject.pk
        fields = ["about_type", "about_id"]
        if not still_waiting(subject, match):
            notification.done_at = now
            fields.append("done_at")
            if notification.status == "pending":
                notification.status = "cancelled"
                notification.last_error = "done"
                fields += ["status", "last_error"]
        notification.save(update_fields=fields)


def forwards(apps, schema_editor):
    _backfill(
        apps,
        kind="synthesis_submitted",
        key=SYNTHESIS_KEY,
        model_name="SynthesisDocument",
        still_waiting=lambda document, match: document.status == "submitted",
    )
    _backfill(
        apps,
        kind="synthesis_returned",
        key=SYNTHESIS_KEY,
        model_name="SynthesisDocument",
        still_waiting=lambda document, match: document.status == "draft",
    )
    _backfill(
        apps,
        kind="followup_proposed",
        key=FOLLOWUP_KEY,
        model_name="FollowUp",
        still_waiting=lambda followup, match: (
            followup.status == "proposed" and followup.version == int(match["version"])
        ),
    )
    _backfill(
        apps,
        kind="convention_deadline",
        key=CONVENTION_KEY,
        model_name="Convention",
        still_waiting=lambda convention, match: convention.beneficiary_signed_on is None,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("bilans", "0010_merge_ends"),
        ("notifications", "0006_notices_about_and_done"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
