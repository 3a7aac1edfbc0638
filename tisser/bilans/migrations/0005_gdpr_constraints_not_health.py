"""The "santé et contraintes personnelles" field becomes "contraintes à prendre en compte"
(issue #14, ADR 0019): renamed, so that what people wrote is kept."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("bilans", "0004_bilan_end_and_funding"),
    ]

    operations = [
        migrations.RenameField(model_name="aspirations", old_name="health", new_name="constraints"),
        migrations.AlterField(
            model_name="aspirations",
            name="constraints",
            field=models.TextField(blank=True, verbose_name="contraintes à prendre en compte"),
        ),
    ]
