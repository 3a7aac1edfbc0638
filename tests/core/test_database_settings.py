"""The embedded SQLite of `make run` (config/settings/dev.py over base.py): a busy timeout that
fits the work, transactions that take the write lock when they begin, and an SMTP timeout
shorter than the busy timeout (ADR 0010)."""

import json
import os
import subprocess
import sys

from django.conf import settings


def test_sqlite_waits_for_the_lock_longer_than_any_write_transaction(tmp_path):
    code = (
        "import json; from django.conf import settings; "
        "print(json.dumps({'options': settings.DATABASES['default']['OPTIONS'], "
        "'email_timeout': settings.EMAIL_TIMEOUT}))"
    )
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    env.pop("SQLITE_BUSY_TIMEOUT", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )

    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["options"]["timeout"] == 20
    assert found["options"]["transaction_mode"] == "IMMEDIATE"
    assert found["email_timeout"] * 2 <= found["options"]["timeout"]
