"""``manage.py bilans_retention [--dry-run] [--date AAAA-MM-JJ]``: destroy the working
documents of the bilans that ended before today (R6313-7), except what an exception keeps, and
delete the management data past its period (see `tisser.bilans.services.retention`). Meant to
run once a day (cron, systemd timer or the platform's scheduler); `notifications_run` also
queues it daily."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from tisser.bilans.services.retention import retention_apply
from tisser.bilans.working_documents import kind_label


class Command(BaseCommand):
    help = (
        "Détruit les documents de travail des bilans terminés (dès le lendemain de la fin, "
        "sauf exceptions datées d'un an au plus) et les données de gestion arrivées au terme "
        "de leur durée de conservation."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="lister sans rien supprimer")
        parser.add_argument(
            "--date", help="faire comme si l'on était ce jour-là (AAAA-MM-JJ), pour vérifier"
        )

    def handle(self, *, dry_run: bool, date: str | None = None, **options):
        today = self._day(date)
        run = retention_apply(today=today, dry_run=dry_run)
        if dry_run:
            self.stdout.write("Simulation : rien n'est supprimé.")
        if not (run.documents or run.management_deleted or run.failed):
            self.stdout.write("Aucun document ni aucune donnée de gestion à supprimer.")
            return
        verb = "à détruire" if dry_run else "détruits"
        for report in run.documents:
            self.stdout.write(f"Bilan {report.bilan_id} :")
            for kind, count in report.destroyed.items():
                self.stdout.write(f"  - {kind_label(kind)} ({kind}) : {count} {verb}")
            if not report.destroyed:
                self.stdout.write(f"  - rien {verb}")
            for kind, until in report.kept.items():
                day = f"{until:%d/%m/%Y}" if until else "un an après la fin"
                self.stdout.write(f"  - {kind_label(kind)} ({kind}) : conservé jusqu'au {day}")
        for bilan_id in run.management_deleted:
            verb_management = "à supprimer" if dry_run else "supprimées"
            self.stdout.write(f"Bilan {bilan_id} : données de gestion {verb_management}.")
        for bilan_id in run.failed:
            self.stderr.write(f"Bilan {bilan_id} : échec, rien n'a été supprimé pour ce bilan.")
        if run.failed:
            count = len(run.failed)
            raise CommandError(f"Échec pour {count} bilan{'s' if count > 1 else ''}.")

    @staticmethod
    def _day(value: str | None) -> date | None:
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError as error:
            raise CommandError("--date attend une date AAAA-MM-JJ.") from error
