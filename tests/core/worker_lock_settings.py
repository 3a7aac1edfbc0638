"""Settings of the worker process that tests/core/test_worker_lock.py starts: the test settings,
a SQLite file shared with the test, tasks through the database, and a busy timeout short enough
for the test to hold the write lock longer than it (from the environment the test sets)."""

import os

from config.settings.test import *  # noqa: F403

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ["TISSER_WORKER_SQLITE"],
        # As in config/settings/base.py, with the test's timeout.
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": float(os.environ["TISSER_WORKER_BUSY_TIMEOUT"]),
        },
    }
}
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
TISSER_WORKER_HEARTBEAT_SECONDS = 0.5
