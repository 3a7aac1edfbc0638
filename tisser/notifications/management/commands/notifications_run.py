"""``manage.py notifications_run [--once] [--interval 60]``: the scheduler of the outbox.

At every tick it queues `notifications_dispatch` (plan the reminders, deliver what is due), run
by `manage.py db_worker`; once a day, the inactivity detection, the planning of meetings ahead,
the reminders after the bilans (satisfaction, isolation check), the reminders of the
enquêtes-métiers (follow up, thank, ask for another contact), the weekly snapshots of the
networks (`network_snapshots_take`), the follow-up of mentorships (`mentoring_followups_plan`:
feedback after 30 days, inactivity alerts), the reminders and expiry of mentoring requests
(`mentoring_requests_remind`), the reminders to prepare the peer groups' meetings
(`peers_meetings_prepare_remind`), the nudges of peer groups (`peers_nudges_plan`: check-ins
before a period ends, reciprocity, fading groups) and the retention of bilan documents
(`bilans_retention`), and the pruning of finished task rows (`task_results_prune`, run here
directly: a quick delete); and it marks FAILED the notification tasks a killed worker left RUNNING
(see `tisser.notifications.scheduler`). It holds no state that matters: stopping it, running
two of them, or restarting it is harmless."""

import signal
import sys
import time
from datetime import date, timedelta

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections
from django.utils import timezone

from tisser.bilans.tasks import bilans_followup_remind, bilans_retention_apply
from tisser.core.taskqueue import task_results_prune
from tisser.meetings.tasks import meetings_plan_ahead
from tisser.mentoring.tasks import mentoring_followups_plan, mentoring_requests_remind
from tisser.network.snapshot_tasks import network_snapshots_take
from tisser.network.tasks import network_reminders_plan
from tisser.notifications.scheduler import (
    abandoned_tasks_recover,
    dispatch_enqueue,
    inactivity_enqueue,
    task_enqueue_unless_waiting,
)
from tisser.peers.tasks import peers_meetings_prepare_remind, peers_nudges_plan


class Command(BaseCommand):
    # A plain str: argparse cannot format a lazy translation.
    help = (
        "Fait partir les notifications : met en file l'envoi (exécuté par manage.py db_worker) "
        "à intervalle régulier et la détection d'inactivité une fois par jour."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="un seul passage, puis s'arrêter")
        parser.add_argument(
            "--interval",
            type=float,
            default=60,
            help="secondes entre deux passages (défaut : 60)",
        )
        parser.add_argument(
            "--stale-minutes",
            type=float,
            default=None,
            help=(
                "au-delà, une tâche de notification encore « en cours » est considérée comme "
                "abandonnée par un worker arrêté (défaut : TISSER_TASK_STALE_MINUTES, 30)"
            ),
        )

    def handle(self, *, once: bool, interval: float, stale_minutes: float | None, **options):
        # Every tick would be one line a minute: said for a single pass, or when asked (-v 2).
        self.chatty = once or options["verbosity"] >= 2
        older_than = None if stale_minutes is None else timedelta(minutes=stale_minutes)
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        if not once:
            self.stdout.write(
                f"Planificateur des notifications démarré : un passage toutes les {interval:g} s "
                "(Ctrl+C pour arrêter)."
            )
        inactivity_day: date | None = None
        try:
            while True:
                try:
                    inactivity_day = self.tick(older_than=older_than, inactivity_day=inactivity_day)
                except DatabaseError as error:
                    if once:
                        raise
                    self.stderr.write(f"Base de données indisponible ({error}) : nouvel essai.")
                if once:
                    return
                # A long-running process: let a dropped or expired connection be reopened.
                close_old_connections()
                time.sleep(interval)
        except KeyboardInterrupt:
            self.stdout.write("Planificateur des notifications arrêté.")

    def tick(self, *, older_than: timedelta | None, inactivity_day: date | None) -> date | None:
        recovered = abandoned_tasks_recover(older_than=older_than)
        if recovered:
            self.stdout.write(
                f"{recovered} tâche(s) de notification abandonnée(s) par un worker arrêté, "
                "marquée(s) en échec : le prochain envoi reprend leur travail."
            )
        if dispatch_enqueue():
            self.say("Envoi des notifications mis en file.")
        else:
            self.say("Un envoi des notifications attend déjà le worker.")
        today = timezone.localdate()
        if inactivity_day != today:
            if inactivity_enqueue():
                self.say("Détection d'inactivité mise en file.")
            if task_enqueue_unless_waiting(meetings_plan_ahead):
                self.say("Planification des prochaines rencontres mise en file.")
            if task_enqueue_unless_waiting(bilans_retention_apply):
                self.say("Suppression des documents de bilans arrivés à échéance mise en file.")
            if task_enqueue_unless_waiting(bilans_followup_remind):
                self.say("Rappels de suivi des bilans mis en file.")
            if task_enqueue_unless_waiting(network_reminders_plan):
                self.say("Rappels des enquêtes-métiers mis en file.")
            if task_enqueue_unless_waiting(network_snapshots_take):
                self.say("Relevé hebdomadaire des réseaux mis en file.")
            if task_enqueue_unless_waiting(mentoring_followups_plan):
                self.say("Suivi des mentorats (avis à 30 jours, inactivité) mis en file.")
            if task_enqueue_unless_waiting(mentoring_requests_remind):
                self.say("Relances et expirations des demandes de mentorat mises en file.")
            if task_enqueue_unless_waiting(peers_meetings_prepare_remind):
                self.say("Rappels de préparation des rencontres des groupes de pairs mis en file.")
            if task_enqueue_unless_waiting(peers_nudges_plan):
                self.say("Relances des groupes de pairs mises en file.")
            pruned = task_results_prune()
            if pruned:
                self.say(
                    "1 tâche terminée supprimée de la file."
                    if pruned == 1
                    else f"{pruned} tâches terminées supprimées de la file."
                )
            inactivity_day = today
        return inactivity_day

    def say(self, line: str) -> None:
        if self.chatty:
            self.stdout.write(line)
