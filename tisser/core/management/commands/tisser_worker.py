"""``manage.py tisser_worker [--queue-name default] [--interval 1] [--batch] …``: the task
worker of Tisser. The options are those of django_tasks_db's ``db_worker``; the loop is
`tisser.core.worker.ResilientWorker`, which logs a database error, backs off and goes on instead
of stopping, and records a heartbeat that the coordinator's home reads (ADR 0010)."""

import logging
import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from tisser.core.worker import ResilientWorker


class Command(db_worker.Command):
    help = (
        "Exécute les tâches en file (e-mails, PDF, formations de groupes) : comme db_worker, "
        "mais une erreur de base de données est journalisée, suivie d'une pause, puis le "
        "travail reprend."
    )

    def configure_logging(self, verbosity: int) -> None:
        super().configure_logging(verbosity)
        # Our loop logs under its own name, at the same level and to the same place.
        ours = logging.getLogger("tisser.worker")
        ours.setLevel(db_worker.logger.level)
        if not ours.hasHandlers():
            ours.addHandler(logging.StreamHandler(self.stderr))

    def handle(self, *, verbosity, reload, batch, queue_name, **options) -> None:
        self.configure_logging(verbosity)
        if reload and batch:
            reload = False
        worker = ResilientWorker(
            queue_names=queue_name.split(","),
            interval=options["interval"],
            batch=batch,
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
