"""The loop of `tisser_worker` (tisser.core.worker.ResilientWorker), in process: an error in a
pass is logged, followed by a growing pause, and the loop goes on (the real process facing
SQLite's lock: test_worker_lock.py)."""

import logging
from unittest import mock

import pytest
from django.db import OperationalError
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tisser.core import worker as worker_module
from tisser.core.worker import ResilientWorker


def a_worker(**overrides) -> ResilientWorker:
    options = {
        "queue_names": ["default"],
        "interval": 0.5,
        "batch": False,
        "backend_name": "default",
        "startup_delay": False,
        "max_tasks": None,
        "worker_id": "essai",
    }
    return ResilientWorker(**(options | overrides))


@pytest.mark.django_db
def test_errors_are_logged_and_followed_by_growing_pauses_then_work_resumes(caplog):
    worker = a_worker()
    outcomes = iter(
        [OperationalError("database is locked")] * 3 + [RuntimeError("bug")] + [True, False]
    )

    def turn():
        outcome = next(outcomes)
        if isinstance(outcome, Exception):
            raise outcome
        if outcome is False:
            worker.running = False
        return outcome

    with (
        mock.patch.object(worker, "turn", turn),
        mock.patch.object(worker, "connection_reset") as reset,
        mock.patch.object(worker_module.time, "sleep") as sleep,
        caplog.at_level(logging.INFO, logger="tisser.worker"),
    ):
        worker.run()

    assert [call.args[0] for call in sleep.call_args_list] == [0.5, 1.0, 2.0, 4.0]
    assert reset.call_count == 4
    assert "error 4 in a row, next attempt in 4.0 s" in caplog.text
    assert "database is locked" in caplog.text
    assert "working again" in caplog.text
    assert worker.errors_in_a_row == 0


def test_the_pause_stops_growing_at_thirty_seconds():
    worker = a_worker()
    worker.errors_in_a_row = 20

    assert worker.backoff() == 30.0


@pytest.mark.django_db
def test_an_outcome_not_written_is_written_at_the_next_pass_even_if_the_row_went():
    worker = a_worker()
    row = DBTaskResult.objects.create(
        task_path="tisser.core.tasks.worker_probe",
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        status=TaskResultStatus.RUNNING,
    )
    gone = DBTaskResult.objects.create(
        task_path="tisser.core.tasks.worker_probe",
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        status=TaskResultStatus.RUNNING,
    )
    row.status = gone.status = TaskResultStatus.SUCCESSFUL
    worker._unrecorded = [gone, row]
    gone.delete()

    worker.record_unrecorded()

    assert DBTaskResult.objects.get(pk=row.pk).status == TaskResultStatus.SUCCESSFUL
    assert worker._unrecorded == []
