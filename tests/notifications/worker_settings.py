"""Settings of the processes that the real-worker test starts (`tisser_worker`, `notifications_run`
and `worker_scenario`): the test settings, plus the database shared with the test, tasks through
the database, and the recording e-mail backend. Everything comes from the environment the test
sets, so that nothing under `config/` needs to know about this test."""

import json
import os

from config.settings.test import *  # noqa: F403

DATABASES = {"default": json.loads(os.environ["TISSER_WORKER_DATABASE"])}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # As in config/settings/base.py: writers take the lock when their transaction begins.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
EMAIL_BACKEND = "tests.notifications.recording_backend.RecordingEmailBackend"
TISSER_TEST_EMAIL_DELAY = float(os.environ.get("TISSER_TEST_EMAIL_DELAY", "0"))
TISSER_TEST_EMAIL_LOG = os.environ.get("TISSER_TEST_EMAIL_LOG", "")
