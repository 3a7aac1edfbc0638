"""The real worker process (`manage.py tisser_worker`) on a SQLite file, while another process
holds the write lock longer than the busy timeout, three times: it meets "database is locked",
logs it, backs off and goes on, so that the tasks enqueued afterwards all run and the worker is
still alive (ADR 0010). `manage.py db_worker` fails this test: after the first lock its loop is
gone (bench/worker_lock.py shows it alive and idle under `make run`'s autoreload)."""

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

BUSY_TIMEOUT = 0.5
HOLD_SECONDS = 1.5
HOLDS = 3
TASKS = 20
PATIENCE = 60  # generous: the machine may be loaded; the test ends as soon as all is done
MANAGE = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
WORKER_COMMAND = "tisser_worker"


@pytest.fixture
def environment(tmp_path):
    database = tmp_path / "worker.sqlite3"
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "tests.core.worker_lock_settings",
        "TISSER_WORKER_SQLITE": str(database),
        "TISSER_WORKER_BUSY_TIMEOUT": str(BUSY_TIMEOUT),
        "PYTHONUNBUFFERED": "1",
    }
    return env, database


@pytest.fixture
def helper(environment, worker):
    """A second process, started with the worker: it creates the tables the worker touches
    (a full migrate would take most of the time budget; meanwhile the worker finds no table,
    logs it and tries again, as after any database error), says "ready", then enqueues the
    tasks when told."""
    env, _database = environment
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, django; django.setup(); "
            "from django.core.management import call_command; "
            "from tisser.core.tasks import worker_probe; "
            "call_command('migrate', 'core', verbosity=0); "
            "call_command('migrate', 'django_tasks_database', verbosity=0); "
            "print('ready', flush=True); sys.stdin.readline(); "
            f"[worker_probe.enqueue(n) for n in range({TASKS})]",
        ],
        env=env,
        cwd=settings.BASE_DIR,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline().strip() == "ready"
    yield process
    if process.poll() is None:
        process.kill()
        process.wait()


@pytest.fixture
def worker(environment, tmp_path):
    env, _database = environment
    log_path = tmp_path / "worker.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                *MANAGE,
                WORKER_COMMAND,
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0.1",
            ],
            env=env,
            cwd=settings.BASE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    yield process, log_path
    if process.poll() is None:
        process.kill()
        process.wait()


def query(database: Path, sql: str) -> int:
    with sqlite3.connect(database, timeout=30) as reader:
        return reader.execute(sql).fetchone()[0]


def wait_until(condition, what: str, log_path: Path) -> None:
    deadline = time.monotonic() + PATIENCE
    while not condition():
        assert time.monotonic() < deadline, f"{what}; worker log:\n{log_path.read_text()}"
        time.sleep(0.1)


def test_worker_survives_a_write_lock_longer_than_the_busy_timeout(environment, worker, helper):
    _env, database = environment
    process, log_path = worker
    # given a worker that has started, and its tables
    wait_until(lambda: "Starting worker" in log_path.read_text(), "no worker", log_path)

    # when another process holds the write lock longer than the busy timeout, three times
    for _ in range(HOLDS):
        holder = sqlite3.connect(database, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        time.sleep(HOLD_SECONDS)
        holder.execute("COMMIT")
        holder.close()
        time.sleep(0.3)
    # and tasks are enqueued afterwards
    helper.communicate("go\n", timeout=PATIENCE)
    assert helper.returncode == 0

    # then every task is done
    wait_until(
        lambda: (
            query(
                database,
                "SELECT count(*) FROM django_tasks_database_dbtaskresult "
                "WHERE status = 'SUCCESSFUL'",
            )
            == TASKS
        ),
        "not every task ran",
        log_path,
    )
    # and the worker is alive, after it met the lock, said so and went on
    assert process.poll() is None, log_path.read_text()
    log = log_path.read_text()
    assert "database is locked" in log
    assert "error 1 in a row, next attempt in" in log
    assert "working again" in log
    # and its heartbeat says so
    wait_until(
        lambda: query(database, "SELECT tasks_run FROM core_workerheartbeat") == TASKS,
        "the heartbeat does not count the tasks",
        log_path,
    )
