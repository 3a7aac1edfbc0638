"""A bilan's last activity kept on the row (`tisser.bilans.activity`), filled for the
bilans already there from the same sources the lists read until now."""

import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.db.models import CharField, DateTimeField, F, OuterRef, Subquery
from django.db.models.functions import Cast, Coalesce, Greatest


def fill(apps, schema_editor):
    Bilan = apps.get_model("bilans", "Bilan")
    AuditEvent = apps.get_model("core", "AuditEvent")
    IsolationCheck = apps.get_model("assessments", "IsolationCheck")
    Attendance = apps.get_model("meetings", "Attendance")
    audit = AuditEvent.objects.filter(organisation=OuterRef("organisation")).order_by("-created_at")
    sources = [
        IsolationCheck.objects.filter(
            user=OuterRef("beneficiary"), organisation=OuterRef("organisation")
        )
        .order_by("-created_at")
        .values("created_at")[:1],
        audit.filter(
            target_type="bilans.bilan", target_id=Cast(OuterRef("pk"), output_field=CharField())
        ).values("created_at")[:1],
        audit.filter(actor=OuterRef("beneficiary")).values("created_at")[:1],
        Attendance.objects.filter(occurrence__series__bilan_session__bilan=OuterRef("pk"))
        .order_by("-recorded_at")
        .values("recorded_at")[:1],
    ]
    Bilan.objects.update(
        last_activity_at=Greatest(
            *(
                Coalesce(Subquery(source), F("opened_at"), output_field=DateTimeField())
                for source in sources
            ),
            F("opened_at"),
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_membership_consultant_of_record"),
        ("assessments", "0003_safety_concern"),
        ("bilans", "0012_merge_notices_sessions"),
        ("core", "0004_audit_organisation_indexes"),
        ("meetings", "0002_job_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="bilan",
            name="last_activity_at",
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="bilan",
            index=models.Index(
                fields=["organisation", "-last_activity_at"], name="bilans_org_activity_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="bilan",
            index=models.Index(
                fields=["consultant", "-last_activity_at"], name="bilans_consultant_activity_idx"
            ),
        ),
    ]
