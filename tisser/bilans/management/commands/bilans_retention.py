"""``manage.py bilans_retention [--dry-run]``: delete the working documents of the bilans whose
retention period is over (see `tisser.bilans.services.retention`). Meant to run once a day
(cron, systemd timer or the platform's scheduler); `notifications_run` also runs it daily."""

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from tisser.bilans.services.retention import bilan_working_documents_purge, bilans_due_for_purge


class Command(BaseCommand):
    help = (
        "Supprime les documents de travail des bilans dont la durée de conservation est "
        "écoulée (par défaut 3 ans après la fin du bilan)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="lister sans rien supprimer")

    def handle(self, *, dry_run: bool, **options):
        due = bilans_due_for_purge()
        if not due:
            self.stdout.write("Aucun bilan dont la durée de conservation est écoulée.")
            return
        for bilan in due:
            if dry_run:
                self.stdout.write(
                    f"Bilan {bilan.pk} : conservé jusqu'au {bilan.retention_until:%d/%m/%Y}, "
                    "à supprimer (simulation : rien n'est supprimé)."
                )
                continue
            report = bilan_working_documents_purge(bilan=bilan)
            total = sum(report.deleted.values())
            self.stdout.write(
                ngettext(
                    "Bilan %(bilan)s : %(count)d document de travail supprimé "
                    "(conservation jusqu'au %(date)s).",
                    "Bilan %(bilan)s : %(count)d documents de travail supprimés "
                    "(conservation jusqu'au %(date)s).",
                    total,
                )
                % {
                    "bilan": bilan.pk,
                    "count": total,
                    "date": f"{report.retention_until:%d/%m/%Y}",
                }
            )
