"""Tests: SQLite in memory by default, PostgreSQL when TEST_DATABASE_URL is set."""

import os

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = "test-only-key-0123456789-abcdefghijklmnopqrstuvwxyz"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

if os.environ.get("TEST_DATABASE_URL"):
    DATABASES = {"default": env.db("TEST_DATABASE_URL")}
    # As in production (base.py, ADR 0030): the benches that run on these settings measure
    # what the application's connections do.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}

# Hashing speed is not under test; Argon2 is checked by its own test.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Peer-group formations: a few seconds of CP-SAT per cohort are enough for the tests.
TISSER_PEERS_EXACT_BUDGET = 8.0
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ACCOUNT_RATE_LIMITS = {"login_failed": "5/5m/ip,5/5m/key"}
# Unknown template variables fail loudly in tests.
TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = "INVALID_TEMPLATE_VARIABLE[%s]"  # noqa: F405
# The test client and live server serve static files through django.contrib.staticfiles.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405
# The reading engine's disk cache (ADR 0040): one folder per test process, removed at exit;
# the tests' référentiels are imported anew again and again and must not fill var/cache.
import atexit  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402

TISSER_CACHE_DIR = tempfile.mkdtemp(prefix="tisser-cache-")
atexit.register(shutil.rmtree, TISSER_CACHE_DIR, ignore_errors=True)
