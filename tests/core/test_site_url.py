"""`make run PORT=8101` writes its links with port 8101: the settings build SITE_URL from the
HOST and PORT `make run` serves, unless SITE_URL is set (ADR 0028)."""

import os
import shutil
import subprocess
import sys

import pytest
from django.conf import settings


def _site_url(**variables: str) -> str:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("SITE_URL", "TISSER_HOST", "TISSER_PORT")
    }
    env |= {"DJANGO_SETTINGS_MODULE": "config.settings.dev", **variables}
    code = (
        "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env | {"PYTHONPATH": str(settings.BASE_DIR)},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def test_the_site_address_follows_the_port_make_run_serves():
    assert _site_url(TISSER_PORT="8101") == "http://127.0.0.1:8101"
    assert _site_url(TISSER_HOST="localhost", TISSER_PORT="9000") == "http://localhost:9000"


def test_the_default_address_is_make_runs_default():
    assert _site_url() == "http://127.0.0.1:8000"


def test_a_site_url_that_is_set_wins():
    assert _site_url(SITE_URL="https://tisser.example.org", TISSER_PORT="8101") == (
        "https://tisser.example.org"
    )


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_passes_its_host_and_port_to_the_programs_it_starts():
    env = {k: v for k, v in os.environ.items() if k not in ("TISSER_HOST", "TISSER_PORT")}
    result = subprocess.run(
        [
            "make",
            "-s",
            "--eval",
            'show-address: ; @echo "$$TISSER_HOST:$$TISSER_PORT"',
            "show-address",
            "PORT=8101",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.strip() == "127.0.0.1:8101"
