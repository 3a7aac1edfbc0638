"""``manage.py notifications_run [--once] [--interval 60]``: the scheduler of the outbox.

At every tick it queues `notifications_dispatch` (run the apps' planners, deliver what is due),
run by `manage.py tisser_worker`; once a day, every job the apps registered in
`tisser.core.daily_jobs`, one task per organisation and per job (inactivity detection, meetings
planned ahead, reminders and retention of the bilans, enquêtes-métiers, network snapshots,
mentoring follow-ups, peer-group nudges…); and it marks FAILED the notification tasks a killed
worker left RUNNING (see `tisser.notifications.scheduler`). It holds no state that matters:
stopping it, running two of them, or restarting it is harmless. It imports none of the apps
above the outbox: they plug in. Once a day too, it prunes the finished task rows
(`task_results_prune`, run here directly: a quick delete)."""

import signal
import sys
import time
from datetime import date, timedelta

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections
from django.utils import timezone
from django.utils.translation import ngettext

from tisser.core.daily_jobs import daily_jobs
from tisser.core.taskqueue import task_results_prune
from tisser.notifications.scheduler import (
    abandoned_tasks_recover,
    daily_jobs_enqueue,
    dispatch_enqueue,
)


class Command(BaseCommand):
    # A plain str: argparse cannot format a lazy translation.
    help = (
        "Fait partir les notifications : met en file l'envoi (exécuté par manage.py tisser_worker) "
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
                ngettext(
                    "%(count)d tâche de notification abandonnée par un worker arrêté, "
                    "marquée en échec : le prochain envoi reprend son travail.",
                    "%(count)d tâches de notification abandonnées par un worker arrêté, "
                    "marquées en échec : le prochain envoi reprend leur travail.",
                    recovered,
                )
                % {"count": recovered}
            )
        if dispatch_enqueue():
            self.say("Envoi des notifications mis en file.")
        else:
            self.say("Un envoi des notifications attend déjà le worker.")
        today = timezone.localdate()
        if inactivity_day != today:
            for job in daily_jobs_enqueue(daily_jobs()):
                self.say(job.queued)
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
