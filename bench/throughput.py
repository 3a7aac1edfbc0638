"""Requests per second of the lightest page and of a beneficiary's ordinary pages.

    python bench/throughput.py [--database-url URL [--i-know]] [--duration S] [--keep]

Starts gunicorn with the production settings (``config.settings.prod``, two workers) on a
PostgreSQL database, then runs ``wrk`` (``-t2 -c8``) on the lightest page (the public home,
anonymous) and on the ordinary pages of a demo beneficiary, signed in (home, bilan, network,
notifications). Every page pays the same per-request costs (middleware, session, context
processors, base template): the ratio of the two figures is how much of them a signed-in page
adds.

Without ``--database-url``, a new database is created on ``--server`` (migrate, import_rome,
seed_demo) and dropped at the end (``--keep`` keeps it). With ``--database-url``, that database
is used as it is (migrated and seeded when empty); it is refused if it holds people whose
e-mail is not ``@demo.tisser.fr``, unless ``--i-know``. Human lines first, then one JSON
object as the last line.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEMO_DOMAIN = "@demo.tisser.fr"
BENEFICIARY = "camille.roussel@demo.tisser.fr"
TRIVIAL = "/"
BENEFICIARY_PAGES = ["/beneficiaire/", "/bilans/", "/reseau/", "/notifications/"]
# Behind the reverse proxy production runs behind (SECURE_PROXY_SSL_HEADER): no redirect to https.
PROXY_HEADER = "X-Forwarded-Proto: https"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Débit (requêtes/s) des pages, sous gunicorn.")
    parser.add_argument("--database-url", help="base PostgreSQL à utiliser telle quelle")
    parser.add_argument(
        "--server",
        default="postgres://postgres@127.0.0.1:5432",
        help="serveur PostgreSQL où créer la base jetable",
    )
    parser.add_argument(
        "--i-know", action="store_true", help="accepter une base qui a de vraies personnes"
    )
    parser.add_argument("--duration", type=int, default=10, help="secondes de wrk par page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="garder la base créée")
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        print("wrk est introuvable (apt-get install wrk).", file=sys.stderr)
        return 2

    created = None
    database_url = args.database_url
    if not database_url:
        created = f"tisser_throughput_{secrets.token_hex(4)}"
        database_url = _database_create(args.server, created)
        print(f"Base créée : {created}")
    static_root = tempfile.mkdtemp(prefix="bench-static-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATIC_ROOT": static_root,
        "PYTHONPATH": str(ROOT),
    }
    server = None
    try:
        _prepare(env, database_url, i_know=args.i_know)
        cookie = _session_cookie(env)
        port = _free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "-w",
                str(args.workers),
                "-b",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        base = f"http://127.0.0.1:{port}"
        _wait_ready(base + TRIVIAL)
        results = {}
        trivial = _wrk(base + TRIVIAL, None, args)
        results[TRIVIAL] = trivial
        print(f"{TRIVIAL:<16} (anonyme)    {trivial:8.1f} req/s")
        for page in BENEFICIARY_PAGES:
            rate = _wrk(base + page, cookie, args)
            results[page] = rate
            print(f"{page:<16} (bénéficiaire) {rate:6.1f} req/s  {rate / trivial:6.1%}")
        mean = statistics.mean(results[page] for page in BENEFICIARY_PAGES)
        ratio = mean / trivial
        print(f"Pages de la bénéficiaire : {mean:.1f} req/s en moyenne, {ratio:.1%} de {TRIVIAL}")
        print(
            json.dumps(
                {
                    "workers": args.workers,
                    "connections": args.connections,
                    "duration_s": args.duration,
                    "trivial_page": TRIVIAL,
                    "trivial_rps": round(trivial, 1),
                    "beneficiary_rps": {p: round(results[p], 1) for p in BENEFICIARY_PAGES},
                    "beneficiary_mean_rps": round(mean, 1),
                    "ratio": round(ratio, 3),
                }
            )
        )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(static_root, ignore_errors=True)
        if created and not args.keep:
            _database_drop(args.server, created)
            print(f"Base supprimée : {created}", file=sys.stderr)
    return 0


def _database_create(server: str, name: str) -> str:
    import psycopg

    with psycopg.connect(_with_db(server, "postgres"), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return _with_db(server, name)


def _database_drop(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(_with_db(server, "postgres"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def _manage(env: dict, *command: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(command)} a échoué :\n{done.stderr}")
    return done.stdout


def _django(env: dict, code: str) -> str:
    """Run ``code`` in a Django process with ``env``; what it prints."""
    script = "import django\ndjango.setup()\n" + code
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"Échec dans Django :\n{done.stderr}")
    return done.stdout.strip()


def _prepare(env: dict, database_url: str, *, i_know: bool) -> None:
    """Refuse a database with real people (before writing anything), then migrate it, import
    the ROME and seed the demo (each a no-op when already done)."""
    # The one rule of the benches (bench/scale.py): the demo's and the bench's people only.
    others = int(
        _django(
            env,
            "from django.contrib.auth import get_user_model\n"
            "from django.db import connection\n"
            "from bench.scale import real_users\n"
            "tables = connection.introspection.table_names()\n"
            "print(real_users().count() if get_user_model()._meta.db_table in tables else 0)",
        )
    )
    if others and not i_know:
        people = (
            "1 personne de cette base n'a pas"
            if others == 1
            else f"{others} personnes de cette base n'ont pas"
        )
        raise SystemExit(
            f"{people} une adresse {DEMO_DOMAIN} : "
            "base refusée (--i-know pour l'utiliser quand même)."
        )
    started = time.perf_counter()
    _manage(env, "migrate", "--noinput")
    has_rome = _django(
        env,
        "from tisser.referentiel.models import RomeVersion\n"
        "print(int(RomeVersion.objects.filter(is_current=True).exists()))",
    )
    if has_rome != "1":
        print(_manage(env, "import_rome", str(_rome_source())).strip().splitlines()[-1])
    has_demo = _django(
        env,
        "from django.contrib.auth import get_user_model\n"
        f"print(int(get_user_model().objects.filter(email={BENEFICIARY!r}).exists()))",
    )
    if has_demo != "1":
        _manage(env, "seed_demo")
    _manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    print(f"Base prête en {time.perf_counter() - started:.0f} s")


def _rome_source() -> Path:
    """ROME_SOURCE, else the synthetic fixture of the tests (the pages do not depend on it)."""
    source = Path(os.environ.get("ROME_SOURCE", ROOT.parent / "shared" / "data" / "rome-v460"))
    if source.exists():
        return source
    sys.path.insert(0, str(ROOT))
    from tests.fixtures.rome_fixture import FIXTURE

    print(f"Données ROME absentes ({source}) : jeu d'essai synthétique utilisé.")
    return FIXTURE


def _session_cookie(env: dict) -> str:
    """A session of the demo beneficiary, created in the database gunicorn reads."""
    session = _django(
        env,
        "from django.conf import settings\n"
        "from django.contrib.auth import get_user_model\n"
        "from django.test import Client\n"
        "client = Client()\n"
        f"client.force_login(get_user_model().objects.get(email={BENEFICIARY!r}))\n"
        "print(client.cookies[settings.SESSION_COOKIE_NAME].value)",
    )
    return f"sessionid={session}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_ready(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(url, headers=dict([PROXY_HEADER.split(": ")]))
            with urllib.request.urlopen(request, timeout=60):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise SystemExit(f"gunicorn ne répond pas sur {url}")


def _wrk(url: str, cookie: str | None, args) -> float:
    headers = [PROXY_HEADER] + ([f"Cookie: {cookie}"] if cookie else [])
    # Every page must answer 200 to the person it is measured for, or the figure means nothing.
    request = urllib.request.Request(url, headers=dict(h.split(": ", 1) for h in headers))
    opener = urllib.request.build_opener(_NoRedirect)
    with opener.open(request, timeout=30) as response:
        if response.status != 200:
            raise SystemExit(f"{url} répond {response.status}")
    command = ["wrk", "-t2", f"-c{args.connections}", f"-d{args.duration}s"]
    for header in headers:
        command += ["-H", header]
    output = subprocess.run([*command, url], check=True, capture_output=True, text=True).stdout
    if "Non-2xx" in output:
        raise SystemExit(f"{url} : des réponses autres que 2xx\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise SystemExit(f"{req.full_url} redirige vers {newurl} ({code})")


if __name__ == "__main__":
    sys.exit(main())
