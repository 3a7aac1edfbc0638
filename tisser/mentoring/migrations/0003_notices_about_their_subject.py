"""The action notices written before ADR 0024 say what they are about, and those whose action
was already done are marked done: a "Profil de mentor à valider" for a profile validated since,
a "Demande de mentorat reçue" for a request answered, withdrawn or expired. Their idempotency
keys name the object (see `services.profiles` and `request_notices`)."""

import re

from django.db import migrations
from django.utils import timezone

PROFILE_KEY = re.compile(r"^mentor-profile-submitted:(?P<pk>\d+):")
REQUEST_KEY = re.compile(r"^mentoring:request(?P<pk>\d+):(sent|reminder):")


def _backfill(apps, *, kinds, key, model_name, still_waiting):
    Notification = apps.get_model("notifications", "Notification")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Model = apps.get_model("mentoring", model_name)
    content_type, _created = ContentType.objects.get_or_create(
        app_label="mentoring", model=model_name.lower()
    )
    now = timezone.now()
    rows = Notification.objects.filter(kind__in=kinds, about_id__isnull=True)
    for notification in rows.iterator():
        match = key.match(notification.idempotency_key)
        if match is None:
            continue
        subject = Model.objects.filter(pk=int(match["pk"])).first()
        if subject is None:
            continue
        notification.about_type_id = content_type.pk
        notification.about_id = subject.pk
        fields = ["about_type", "about_id"]
        if not still_waiting(subject):
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
        kinds=["mentor_profile_submitted"],
        key=PROFILE_KEY,
        model_name="MentorProfile",
        still_waiting=lambda profile: profile.status == "submitted",
    )
    _backfill(
        apps,
        kinds=["mentoring_request", "mentoring_request_reminder"],
        key=REQUEST_KEY,
        model_name="MentorshipRequest",
        still_waiting=lambda request: request.status == "pending",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("mentoring", "0002_space"),
        ("notifications", "0006_notices_about_and_done"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
