"""Does the task worker survive SQLite's write lock? (ADR 0010)

    .venv/bin/python bench/worker_lock.py [--command tisser_worker|db_worker] [--hold 7]
        [--times 3] [--tasks 20] [--busy-timeout 5] [--wait 30]

On a fresh SQLite file, start the worker as `make run` does (development settings, so with
autoreload), hold the write lock `--times` times for `--hold` seconds from another process
(longer than the busy timeout: the worker meets "database is locked"), then enqueue `--tasks`
tasks and wait up to `--wait` seconds. Prints how many ran and whether the worker is alive.
`--command db_worker --busy-timeout 5` is the situation before ADR 0010 (Python's default
timeout): the worker is alive and runs nothing."""

import argparse
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--command", default="tisser_worker")
    parser.add_argument("--hold", type=float, default=7)
    parser.add_argument("--times", type=int, default=3)
    parser.add_argument("--tasks", type=int, default=20)
    parser.add_argument("--busy-timeout", type=float, default=5)
    parser.add_argument("--wait", type=float, default=30)
    args = parser.parse_args()

    directory = Path(tempfile.mkdtemp(prefix="worker-lock-"))
    database = directory / "db.sqlite3"
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": f"sqlite:///{database}",
        "SQLITE_BUSY_TIMEOUT": str(args.busy_timeout),
        "PYTHONUNBUFFERED": "1",
        "PYTHONPATH": str(ROOT),
    }
    prepare = (
        "import django; django.setup(); from django.core.management import call_command; "
        "call_command('migrate', 'core', verbosity=0); "
        "call_command('migrate', 'django_tasks_database', verbosity=0)"
    )
    subprocess.run([sys.executable, "-c", prepare], env=env, cwd=ROOT, check=True)
    log = (directory / "worker.log").open("w")
    worker = subprocess.Popen(
        [sys.executable, "manage.py", args.command, "--queue-name", "default", "--interval", "0.2"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # autoreload runs a child process: stop the whole group
    )
    try:
        time.sleep(3)  # the worker starts and polls
        for _ in range(args.times):
            holder = sqlite3.connect(database, isolation_level=None)
            holder.execute("BEGIN IMMEDIATE")
            time.sleep(args.hold)
            holder.execute("COMMIT")
            holder.close()
            time.sleep(0.5)
        enqueue = (
            "import django; django.setup(); from tisser.core.tasks import worker_probe; "
            f"[worker_probe.enqueue(n) for n in range({args.tasks})]"
        )
        subprocess.run([sys.executable, "-c", enqueue], env=env, cwd=ROOT, check=True)
        started = time.monotonic()
        done = 0
        while time.monotonic() - started < args.wait:
            with sqlite3.connect(database) as reader:
                done = reader.execute(
                    "SELECT count(*) FROM django_tasks_database_dbtaskresult "
                    "WHERE status = 'SUCCESSFUL'"
                ).fetchone()[0]
            if done == args.tasks:
                break
            time.sleep(0.5)
        elapsed = time.monotonic() - started
        alive = worker.poll() is None
        print(
            f"{args.command}, lock held {args.times} × {args.hold:g} s, busy timeout "
            f"{args.busy_timeout:g} s: {done}/{args.tasks} tasks done in {elapsed:.1f} s; "
            f"worker {'alive' if alive else f'exited ({worker.returncode})'}; log: {log.name}"
        )
        return 0 if done == args.tasks and alive else 1
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
