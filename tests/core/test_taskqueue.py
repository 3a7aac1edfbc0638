"""What the coordinator's home says about the task worker, and the pruning of finished task
rows (tisser.core.taskqueue, ADR 0010)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tisser.core.models import WorkerHeartbeat
from tisser.core.taskqueue import queue_health, task_results_prune

pytestmark = pytest.mark.django_db


def task_row(*, waited=timedelta(0), status=TaskResultStatus.READY, finished_ago=None):
    row = DBTaskResult.objects.create(
        task_path="tisser.core.tasks.worker_probe",
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        status=status,
    )
    now = timezone.now()
    DBTaskResult.objects.filter(pk=row.pk).update(
        enqueued_at=now - waited,
        finished_at=None if finished_ago is None else now - finished_ago,
    )
    return row


def heartbeat(*, seen_ago, task_started_ago=None):
    now = timezone.now()
    return WorkerHeartbeat.objects.create(
        worker_id=f"w{WorkerHeartbeat.objects.count()}",
        pid=1,
        started_at=now - timedelta(days=1),
        seen_at=now - seen_ago,
        task_started_at=None if task_started_ago is None else now - task_started_ago,
    )


def test_all_is_well_says_nothing():
    heartbeat(seen_ago=timedelta(seconds=20))
    task_row(waited=timedelta(minutes=1))

    assert queue_health().alert() == ""


def test_a_fresh_installation_without_worker_nor_task_says_nothing():
    assert queue_health().alert() == ""


def test_tasks_waiting_with_no_worker_seen_ask_to_warn_the_administrator():
    task_row(waited=timedelta(minutes=12, seconds=30))
    task_row(waited=timedelta(minutes=2))

    assert queue_health().alert() == (
        "Des envois attendent depuis 12 minutes : le service des tâches ne répond plus. "
        "Prévenez l'administrateur."
    )


def test_tasks_waiting_while_the_worker_beats_say_it_is_late():
    heartbeat(seen_ago=timedelta(seconds=10))
    task_row(waited=timedelta(minutes=7))

    assert queue_health().alert() == (
        "Des envois attendent depuis 7 minutes : le service des tâches a du retard. "
        "Si cela dure, prévenez l'administrateur."
    )


def test_a_silent_worker_is_said_even_before_tasks_wait():
    heartbeat(seen_ago=timedelta(minutes=20))

    assert queue_health().alert() == (
        "Le service des tâches ne donne plus signe de vie depuis 20 minutes : les prochains "
        "envois risquent d'attendre. Prévenez l'administrateur."
    )


def test_a_worker_busy_with_a_long_task_is_not_silent():
    heartbeat(seen_ago=timedelta(minutes=20), task_started_ago=timedelta(minutes=20))

    assert queue_health().alert() == ""


def test_finished_tasks_wait_no_more_and_scheduled_ones_count_from_their_time():
    task_row(waited=timedelta(hours=2), status=TaskResultStatus.SUCCESSFUL)
    later = task_row(waited=timedelta(hours=1))
    DBTaskResult.objects.filter(pk=later.pk).update(run_after=timezone.now() - timedelta(minutes=3))

    health = queue_health()

    assert timedelta(minutes=3) <= health.oldest_wait < timedelta(minutes=4)


def test_the_coordinators_home_says_it_in_words(client, people):
    client.force_login(people["coordinator"])
    quiet = client.get(reverse("coordinator:home")).content.decode()
    task_row(waited=timedelta(minutes=12))

    html = client.get(reverse("coordinator:home")).content.decode()

    assert "le service des tâches" not in quiet
    assert (
        '<p class="notice" role="status">Des envois attendent depuis 12 minutes : le service '
        "des tâches ne répond plus. Prévenez l&#x27;administrateur.</p>"
    ) in html


def test_finished_rows_are_pruned_after_the_set_time(settings):
    settings.TISSER_TASK_RESULTS_KEEP_DAYS = 7
    old_success = task_row(status=TaskResultStatus.SUCCESSFUL, finished_ago=timedelta(days=8))
    old_failure = task_row(status=TaskResultStatus.FAILED, finished_ago=timedelta(days=8))
    recent = task_row(status=TaskResultStatus.SUCCESSFUL, finished_ago=timedelta(days=6))
    waiting = task_row(waited=timedelta(days=30))
    running = task_row(waited=timedelta(days=30), status=TaskResultStatus.RUNNING)
    heartbeat(seen_ago=timedelta(days=8))
    alive = heartbeat(seen_ago=timedelta(minutes=1))

    assert task_results_prune() == 2

    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {
        recent.pk,
        waiting.pk,
        running.pk,
    }
    assert old_success.pk != old_failure.pk
    assert list(WorkerHeartbeat.objects.all()) == [alive]


def test_the_daily_pass_of_the_scheduler_prunes(capsys):
    task_row(status=TaskResultStatus.SUCCESSFUL, finished_ago=timedelta(days=30))

    call_command("notifications_run", "--once")

    assert not DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).exists()
    assert "1 tâche terminée supprimée de la file." in capsys.readouterr().out
