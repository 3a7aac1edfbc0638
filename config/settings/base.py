"""Settings shared by every environment, driven by environment variables.

Production uses ``config.settings.prod``; development ``config.settings.dev`` (the
default of ``manage.py``); tests ``config.settings.test``.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
env_file = BASE_DIR / ".env"
if env_file.exists():
    environ.Env.read_env(env_file)

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    # Its system checks run with it: SILENCED_SYSTEM_CHECKS below says which are silenced.
    "django_ratelimit",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "tisser.core",
    "tisser.accounts",
    "tisser.referentiel",
    "tisser.meetings",
    "tisser.notifications",
    "tisser.assessments",
    "tisser.bilans",
    "tisser.documents",
    "tisser.network",
    "tisser.mentoring",
    "tisser.peers",
    "tisser.outcomes",
    "tisser.quality",
    "tisser.www",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "tisser.core.middleware.RejectControlCharactersMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tisser.core.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "tisser.accounts.middleware.MembershipMiddleware",
    "tisser.accounts.middleware.RequireMfaMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tisser" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "tisser.core.context_processors.navigation",
                "tisser.referentiel.context_processors.rome_attribution",
                "tisser.notifications.context_processors.unread_notifications",
            ],
            # French typography everywhere without a {% load %}: |de, |que, |date_fr (ADR 0027)
            "builtins": ["tisser.core.templatetags.french"],
        },
    }
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker and the web process read while the other writes.
    # IMMEDIATE: a writer takes the lock when its transaction begins, so two transactions that
    # read then write cannot deadlock on the upgrade. The busy timeout is how long a writer
    # waits for the lock before "database is locked": longer than any write transaction of
    # the project (short since ADR 0010), short enough for a web request (ADR 0010).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": env.float("SQLITE_BUSY_TIMEOUT", default=20),
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # PostgreSQL's JIT compiles the plan of any query its cost estimate calls large: on the
    # lists of a grown organisme (correlated subqueries over 5,000 bilans) compiling took
    # 6.2 s of an 8.4 s page, for queries that then run in milliseconds. Tisser's queries are
    # short OLTP reads; JIT pays off only for long analytics (issue #16, ADR 0030).
    if "postgresql" in DATABASES["default"]["ENGINE"]:
        DATABASES["default"].setdefault("OPTIONS", {})
        DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "public:home"

# django-allauth: email login, no open sign-up (accounts come from invitations),
# mandatory email verification, throttled logins.
ACCOUNT_ADAPTER = "tisser.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/ip,5/5m/key",
    "login": "30/m/ip",
    "reset_password": "5/m/ip,3/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
}
# Rate limits count per client address. Behind reverse proxies, the address is the proxies'
# own unless allauth is told how many of them append to X-Forwarded-For (or which header
# carries the client address): without it, 5 failures by anyone would lock everyone out.
# Left at 0, the header is ignored, since any client can write it (ADR 0011).
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env.str("ALLAUTH_TRUSTED_CLIENT_IP_HEADER", default=None)
# The public forms' rate limit (django-ratelimit, docs/adr/0034) counts in the same cache as
# the login throttling above, and by the same client address (allauth's, with its proxy
# settings). Its checks refuse the caches this project uses: E003 for locmem in dev and tests
# (one process: counting there is right) and for the database cache in production (shared by
# every worker, but its increment is a read then a write, so two posts at the same instant
# may both pass); W001 for any backend but memcached and django-redis (Django's own Redis
# backend included, whose increment is atomic). A limit off by one under a race is acceptable
# for a spam guard that also has a honeypot and a minimum fill time; prod.py still refuses a
# per-process cache, and a Redis cache (CACHE_URL=redis://…) removes the race.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Tisser] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# TOTP keys and recovery-code seeds encrypted in the database (ADR 0010).
MFA_ADAPTER = "tisser.accounts.mfa_adapter.MFAAdapter"
MFA_TOTP_ISSUER = "Tisser"
# Roles whose members must activate TOTP before using the app.
TISSER_MFA_REQUIRED_ROLES = env.list(
    "TISSER_MFA_REQUIRED_ROLES", default=["consultant", "coordinator"]
)
TISSER_INVITATION_DAYS = env.int("TISSER_INVITATION_DAYS", default=14)
# Rencontres: how far ahead occurrences are planned.
# The working documents of a bilan are destroyed the day after its end (R6313-7; exceptions
# one year at most, ADR 0014). Its management data (dates, hours, émargements, convention,
# contract, amounts, satisfaction answers) is kept this many years after the end, then
# deleted too: `manage.py bilans_retention`, daily.
TISSER_MANAGEMENT_RETENTION_YEARS = env.int("TISSER_MANAGEMENT_RETENTION_YEARS", default=5)
# Effective hours of entretiens an organisation aims at (shown, never blocking; the law caps at 24).
TISSER_BILAN_MIN_HOURS = env.int("TISSER_BILAN_MIN_HOURS", default=0)
TISSER_MEETINGS_HORIZON_DAYS = env.int("TISSER_MEETINGS_HORIZON_DAYS", default=400)
# Enquêtes-métiers: a contact who has not answered this many days after a message (or a
# follow-up) is worth following up (a to-do and a reminder).
TISSER_NETWORK_FOLLOW_UP_DAYS = env.int("TISSER_NETWORK_FOLLOW_UP_DAYS", default=7)
# Safety net (docs/adr/0020-safety-net.md): a request to talk to one's consultant about a hard
# situation at work is deleted this many days after it was written (withdrawable before).
TISSER_SAFETY_CONCERN_DAYS = env.int("TISSER_SAFETY_CONCERN_DAYS", default=90)
# The isolation check's short loneliness scale (three items from the UCLA Loneliness Scale,
# docs/adr/0031-a-loneliness-measure-comparable-with-research.md): asked only once written
# permission of its author for this use is on file; the direct question is always asked.
TISSER_LONELINESS_SCALE_PERMITTED = env.bool("TISSER_LONELINESS_SCALE_PERMITTED", default=False)
# Contacts imports (docs/adr/0012-bounded-imports.md): rows of one file, characters of one
# cell (or vCard property), the file size above which it is read in the background, and how
# many contacts one person may hold until a coordinator raises it.
TISSER_IMPORT_MAX_ROWS = env.int("TISSER_IMPORT_MAX_ROWS", default=5000)
TISSER_IMPORT_MAX_CELL_CHARS = env.int("TISSER_IMPORT_MAX_CELL_CHARS", default=10000)
TISSER_IMPORT_BACKGROUND_BYTES = env.int("TISSER_IMPORT_BACKGROUND_BYTES", default=200 * 1024)
TISSER_CONTACT_CEILING = env.int("TISSER_CONTACT_CEILING", default=2000)
# Weights of the mentor–mentee compatibility (matchcore.mentoring.model.Weights), as JSON:
# {"fiche": 0.3, "skills": 0.25, "help": 0.2, "availability": 0.1, "mode_place": 0.1,
# "language": 0.05}; a factor left out keeps its default.
TISSER_MENTORING_WEIGHTS = env.json("TISSER_MENTORING_WEIGHTS", default={})
# Peer groups: CP-SAT's budget (units of deterministic time, about seconds) to close the gap
# to the optimum for a cohort of at most 30 people, in the background formation task.
TISSER_PEERS_EXACT_BUDGET = env.float("TISSER_PEERS_EXACT_BUDGET", default=40.0)
# Retention after the end (docs/adr/0019-gdpr-notice-minimisation-retention.md, RGPD art.
# 5-1-e), applied by daily jobs: an isolation check taken outside any bilan is deleted this
# many months after it was taken (never while its person has an open bilan in the
# organisation); an ended mentorship and an ended peer group, with everything written in them
# and their meetings, this many months after their end.
TISSER_ISOLATION_CHECK_RETENTION_MONTHS = env.int(
    "TISSER_ISOLATION_CHECK_RETENTION_MONTHS", default=12
)
TISSER_MENTORING_RETENTION_MONTHS = env.int("TISSER_MENTORING_RETENTION_MONTHS", default=12)
TISSER_PEER_GROUP_RETENTION_MONTHS = env.int("TISSER_PEER_GROUP_RETENTION_MONTHS", default=12)
# Task worker (ADR 0010): the coordinator's home speaks up when a task has waited, or the worker
# has been silent, longer than this; finished task rows are deleted after this many days.
TISSER_TASKS_LATE_MINUTES = env.int("TISSER_TASKS_LATE_MINUTES", default=5)
TISSER_TASK_RESULTS_KEEP_DAYS = env.int("TISSER_TASK_RESULTS_KEEP_DAYS", default=7)
# The auditor's exports (issue #18, ADR 0039): ZIP archives written here, outside the media
# and static files the web server serves, read only by a view that checks who asks. Every web
# process and worker must see the same folder. Created on demand; each archive is removed
# TISSER_EXPORT_KEEP_DAYS after it was made by a daily job.
TISSER_EXPORTS_DIR = env.path("TISSER_EXPORTS_DIR", default=BASE_DIR / "var" / "exports")
TISSER_EXPORT_KEEP_DAYS = env.int("TISSER_EXPORT_KEEP_DAYS", default=7)
# The reading engine of the référentiel (ADR 0040) is built once per ROME version and kept
# here (sparse arrays and JSON, no pickle), so that a new process loads it instead of
# building it. Safe to delete: it is rebuilt on demand.
TISSER_CACHE_DIR = env.path("TISSER_CACHE_DIR", default=BASE_DIR / "var" / "cache")

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# Seconds per SMTP operation: the outbox sends inside the row's transaction (ADR 0002), so a
# stuck server must not hold the database's write lock for long (ADR 0010).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=5)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Tisser <ne-pas-repondre@tisser.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", default="django_tasks.backends.immediate.ImmediateBackend"),
    }
}

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "tisser" / "locale"]
# French typography (ADR 0027): the project's date formats, over Django's.
FORMAT_MODULE_PATH = ["tisser.core.formats"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "tisser" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (ADR 0011): scripts, styles, fonts and requests from the site only —
# no inline script, handler or style attribute anywhere, and htmx is told not to insert its
# indicator <style> (layouts/base.html). Images may also be data: URIs (the TOTP QR code).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Permissions-Policy: no page needs the camera, the microphone, the position or payments;
# the "Copier" buttons write to the clipboard from the site's own pages.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "browsing-topics": [],
    "camera": [],
    "clipboard-write": ["self"],
    "display-capture": [],
    "fullscreen": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "publickey-credentials-get": [],
    "screen-wake-lock": [],
    "serial": [],
    "usb": [],
    "xr-spatial-tracking": [],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# ROME 4.0: where `make run` and the integration tests find the open data.
ROME_SOURCE = env("ROME_SOURCE", default=str(BASE_DIR.parent / "shared" / "data" / "rome-v460"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
# The address in e-mails and calendar files: SITE_URL when set, else the server `make run`
# starts, from its HOST and PORT (TISSER_HOST, TISSER_PORT; ADR 0028).
SITE_URL = env("SITE_URL", default="") or "http://{}:{}".format(
    env("TISSER_HOST", default="127.0.0.1"), env("TISSER_PORT", default="8000")
)
