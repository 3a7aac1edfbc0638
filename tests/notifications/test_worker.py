"""Exactly-once delivery with real `tisser_worker` processes killed mid-batch.

Scenario: 200 due e-mails, each send taking 20 ms in a backend that records the delivery in the
sending transaction (see `recording_backend`). Two workers share the work; both are killed with
SIGKILL while sending, one after the other. Then, as in production, the scheduler passes
(`notifications_run --once`: it marks the tasks the killed workers left RUNNING as abandoned and
queues a fresh dispatch) and a new worker finishes. Every notification must be SENT and recorded
exactly once; the attempt log (outside the transaction, like an SMTP server) may show the message
in flight at each kill attempted a second time, and nothing more.

The workers must reach the test's database: on PostgreSQL (TEST_DATABASE_URL) that is the test
database itself, on SQLite (in memory for the other tests) a file migrated for this test."""

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.notifications.recording_backend import sent_table_drop
from tisser.core.daily_jobs import daily_jobs

COUNT = 200
SEND_SECONDS = 0.02
TIMEOUT = 60
MANAGE = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
WORKER = [
    *MANAGE,
    "tisser_worker",
    "--no-reload",
    "--no-startup-delay",
    "--interval",
    "0.1",
    "--verbosity",
    "0",
]


@pytest.fixture
def shared_database(tmp_path):
    """How the worker processes reach a database this test shares with them: the test database
    on PostgreSQL (committed data: the test is transactional), a file on SQLite."""
    if connection.vendor == "sqlite":
        yield {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "worker.sqlite3")}
        return
    config = connection.settings_dict
    yield {key: config[key] for key in ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT")} | {
        "OPTIONS": config.get("OPTIONS", {})
    }
    sent_table_drop()


@pytest.fixture
def spawned():
    """The worker processes a test started; any still running at the end are killed."""
    processes: list[subprocess.Popen] = []
    yield processes
    for process in processes:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.fixture
def environment(shared_database, tmp_path):
    attempts = tmp_path / "attempts.log"
    attempts.touch()
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
        "TISSER_WORKER_DATABASE": json.dumps(shared_database),
        "TISSER_TEST_EMAIL_DELAY": str(SEND_SECONDS),
        "TISSER_TEST_EMAIL_LOG": str(attempts),
        "PYTHONUNBUFFERED": "1",
    }
    return env, attempts


def run(command, env, timeout=TIMEOUT) -> str:
    result = subprocess.run(
        command,
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def start_worker(env, tmp_path, spawned, *options) -> subprocess.Popen:
    with (tmp_path / "worker-output.log").open("a") as log:
        process = subprocess.Popen(
            [*WORKER, *options],
            env=env,
            cwd=settings.BASE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    spawned.append(process)
    return process


def attempts_by_pid(attempts: Path) -> Counter:
    lines = attempts.read_text().splitlines()
    return Counter(line.split()[0] for line in lines if line.strip())


def wait_for_exit(process: subprocess.Popen, tmp_path) -> None:
    try:
        returncode = process.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    assert returncode == 0, (tmp_path / "worker-output.log").read_text()


def kill_mid_batch(
    workers: list[subprocess.Popen], attempts: Path, *, after: int, tmp_path
) -> tuple[subprocess.Popen, int]:
    """SIGKILL the busiest of `workers` once `after` sends were attempted in total and at least
    5 by it (so that it is surely in the middle of its batch). On SQLite one worker may hold the
    write lock long enough to starve the other: whichever is sending is the one killed.
    Returns the killed worker and the total attempted at the kill."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        counts = attempts_by_pid(attempts)
        busiest = max(workers, key=lambda worker: counts[str(worker.pid)])
        if sum(counts.values()) >= after and counts[str(busiest.pid)] >= 5:
            break
        assert time.monotonic() < deadline, f"no progress: {counts}"
        for worker in workers:
            assert worker.poll() is None, (tmp_path / "worker-output.log").read_text()
        time.sleep(0.01)
    os.kill(busiest.pid, signal.SIGKILL)
    busiest.wait(timeout=TIMEOUT)
    return busiest, sum(attempts_by_pid(attempts).values())


@pytest.mark.django_db(transaction=True)
def test_every_notification_is_delivered_exactly_once_when_workers_are_killed(
    environment, tmp_path, spawned
):
    env, attempts = environment
    scenario = [sys.executable, "-m", "tests.notifications.worker_scenario"]
    if connection.vendor == "sqlite":
        # The whole schema: 18 s on an idle machine, more than a minute on a loaded one.
        run([*MANAGE, "migrate", "--noinput", "--verbosity", "0"], env, timeout=4 * TIMEOUT)
    # given 200 due e-mails and two dispatch tasks waiting for the workers
    run([*scenario, "seed", str(COUNT), "2"], env)

    # when two workers share the work, and both are killed in the middle of their batch
    workers = [start_worker(env, tmp_path, spawned), start_worker(env, tmp_path, spawned)]
    first, at_first_kill = kill_mid_batch(workers, attempts, after=40, tmp_path=tmp_path)
    workers.remove(first)
    second, at_second_kill = kill_mid_batch(
        workers, attempts, after=at_first_kill + 40, tmp_path=tmp_path
    )

    # and the scheduler passes, then a new worker runs
    scheduler = run([*MANAGE, "notifications_run", "--once", "--stale-minutes", "0"], env)
    # --batch: run what is queued, then exit. Not for the workers above, which must live until
    # they are killed: a --batch worker exits as soon as it finds no READY task (a database
    # error does not end it: tisser_worker backs off and tries again, ADR 0010).
    restarted = start_worker(env, tmp_path, spawned, "--batch")
    wait_for_exit(restarted, tmp_path)

    sends = attempts_by_pid(attempts)
    print(  # shown when the test fails
        f"attempted at the kills: {at_first_kill}, {at_second_kill}; per worker: "
        f"{[sends[str(p.pid)] for p in (first, second, restarted)]}"
    )
    # then the kills happened mid-batch, and the new worker had work left
    assert at_second_kill < COUNT
    assert sends[str(restarted.pid)] > 0
    assert "2 tâches de notification abandonnées par un worker arrêté" in scheduler
    # and every notification was delivered, exactly once
    report = json.loads(run([*scenario, "report"], env))
    assert report["statuses"] == {"sent": COUNT}
    assert report["recorded_twice"] == []
    assert report["never_recorded"] == []
    assert report["recorded_total"] == COUNT
    # while outside the transaction at most the message in flight at each kill was attempted
    # twice: the SMTP case, where the same Message-ID lets the receiver de-duplicate
    attempted = Counter(line.split()[1] for line in attempts.read_text().splitlines())
    assert set(attempted.values()) <= {1, 2}
    assert sum(n - 1 for n in attempted.values()) <= 2
    # and the tasks the killed workers left RUNNING were marked abandoned
    tasks = sorted((t["status"], t["exception_class_path"]) for t in report["tasks"])
    # (the restarted worker also ran the dispatch the scheduler queued and every daily job the
    # apps registered, once for the scenario's one organisation: inactivity check, meetings
    # planning, bilans retention, reminders after the bilans and of the enquêtes-métiers,
    # network snapshots, contact imports' clean-up, follow-up of mentorships, mentoring
    # requests, peer groups' preparation and nudges)
    succeeded = 1 + len(daily_jobs())
    assert tasks == [("FAILED", "WorkerLostError")] * 2 + [("SUCCESSFUL", "")] * succeeded
