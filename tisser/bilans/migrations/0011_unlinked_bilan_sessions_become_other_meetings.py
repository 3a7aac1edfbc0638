"""A "bilan entretien" series created from Rencontres was linked to no bilan: its hours
counted nowhere (neither the 24-hour cap nor the attestation). From ADR 0022 on, a bilan's
entretiens are planned from the bilan only; the series already created that way become what
they were in fact, "autres rencontres", with their dates, notes and attendance unchanged.

Not reversed: which "autres rencontres" were once mislabelled is not recorded, and labelling
them back would put unlinked bilan entretiens back. Going backwards leaves them as they are."""

from django.db import migrations


def relabel(apps, schema_editor):
    MeetingSeries = apps.get_model("meetings", "MeetingSeries")
    MeetingSeries.objects.filter(kind="bilan_session", bilan_session__isnull=True).update(
        kind="other"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("bilans", "0010_merge_ends"),
        ("meetings", "0001_initial"),
    ]

    operations = [migrations.RunPython(relabel, migrations.RunPython.noop)]
