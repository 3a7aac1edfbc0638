"""Login throttling in production: the count of failed attempts lives in a cache that every
worker process shares, and the client address comes from X-Forwarded-For only when the
deployment says how many proxies it trusts (ADR 0011)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]

# One worker process: counts one failed sign-in attempt for the same address, prints
# whether allauth let it through.
ATTEMPT = """
import django
django.setup()
from allauth.core.internal import ratelimit
from django.core.management import call_command
from django.test import RequestFactory

call_command("createcachetable", verbosity=0)
request = RequestFactory().post("/comptes/connexion/", REMOTE_ADDR="198.51.100.7")
usage = ratelimit.consume(
    request, app="allauth.account", action="login_failed", key="tisser:someone@example.fr"
)
print("allowed" if usage else "refused")
"""


def prod_env(tmp_path, **extra) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "SECRET_KEY": "k" * 20 + "QzT8vL2pX9wR4mN7bJ5cF1hG6dS3aY0eU",
        "ALLOWED_HOSTS": "tisser.example.fr",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **extra,
    }
    for name in ("TEST_DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "CACHE_URL"):
        if name not in extra:
            env.pop(name, None)
    return env


def attempt(env) -> str:
    result = subprocess.run(
        [sys.executable, "-c", ATTEMPT], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_worker_processes_share_the_count_of_failed_attempts(tmp_path):
    """Six attempts, each in its own process as gunicorn workers would be: the sixth is
    refused. With a cache per process, every one of them was let through."""
    env = prod_env(tmp_path)

    answers = [attempt(env) for _ in range(6)]

    assert answers == ["allowed"] * 5 + ["refused"]


def test_production_refuses_a_cache_private_to_each_process(tmp_path):
    env = prod_env(tmp_path, CACHE_URL="locmemcache://")

    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )

    assert result.returncode != 0
    assert "CACHE_URL" in result.stderr


def test_the_trusted_proxy_count_comes_from_the_environment(tmp_path):
    env = prod_env(tmp_path, ALLAUTH_TRUSTED_PROXY_COUNT="1")

    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from allauth import app_settings as s;"
            " print(s.TRUSTED_PROXY_COUNT)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )

    assert result.stdout.strip() == "1", result.stderr


def fail_five_times(client, people, forwarded_for: str) -> None:
    """Five wrong passwords, each for a different address book entry, so that only the
    limit per client address can stop the next one."""
    for index in range(5):
        client.post(
            reverse("account_login"),
            {"login": f"intrus{index}@example.fr", "password": "faux"},
            HTTP_X_FORWARDED_FOR=forwarded_for,
            REMOTE_ADDR="10.0.0.2",  # the reverse proxy
        )


def sign_in(client, user, forwarded_for: str) -> bool:
    client.post(
        reverse("account_login"),
        {"login": user.email, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR=forwarded_for,
        REMOTE_ADDR="10.0.0.2",
    )
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("proxies", [0, 1])
def test_behind_a_trusted_proxy_one_client_failing_does_not_lock_out_the_others(
    client, people, proxies
):
    with override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=proxies):
        fail_five_times(client, people, forwarded_for="203.0.113.66")
        someone_else_gets_in = sign_in(client, people["beneficiary"], "203.0.113.10")

    # Without the setting, every client is the proxy: the header, which anyone can write,
    # is ignored, and the failures of one lock out everybody.
    assert someone_else_gets_in is bool(proxies)


def test_a_forged_forwarded_for_does_not_escape_the_limit(client, people):
    """The trusted proxy appends the real address last: what the client wrote before it
    does not count, so changing it at each attempt does not reset the limit."""
    with override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1):
        for index in range(5):
            client.post(
                reverse("account_login"),
                {"login": f"intrus{index}@example.fr", "password": "faux"},
                HTTP_X_FORWARDED_FOR=f"192.0.2.{index}, 203.0.113.66",
                REMOTE_ADDR="10.0.0.2",
            )
        gets_in = sign_in(client, people["beneficiary"], "192.0.2.99, 203.0.113.66")

    assert not gets_in
