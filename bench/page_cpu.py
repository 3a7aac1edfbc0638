"""CPU time and queries of the pages `bench/throughput.py` measures, one request at a time.

    python bench/page_cpu.py --database-url URL [--i-know] [--who EMAIL] [--requests N]
                             [--pages P …] [--profile PAGE [--sort cumulative|tottime]]

Runs the test client in this process with the production settings
(``config.settings.prod``) on an existing database (a demo one: ``bench/throughput.py --keep``
leaves one). For the anonymous public home, then for each page of the signed-in person
(``--who``, the demo beneficiary by default), it prints the median CPU time of the process per
request (``time.process_time``: what the machine's other processes do barely moves it, unlike
wall time; the database server's own time is not in it) and the number of queries.
``--profile PAGE`` prints that page's cProfile, timed in CPU too. Refuses a database that
holds people outside the demo's and the bench's addresses, unless ``--i-know``. Human lines
first, then one JSON object as the last line.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENEFICIARY = "camille.roussel@demo.tisser.fr"
PAGES = ["/beneficiaire/", "/bilans/", "/reseau/", "/notifications/"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Temps CPU et requêtes SQL par page.")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--i-know", action="store_true")
    parser.add_argument("--who", default=BENEFICIARY)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--pages", nargs="+", default=PAGES)
    parser.add_argument("--profile")
    parser.add_argument("--sort", default="cumulative", choices=["cumulative", "tottime"])
    args = parser.parse_args(argv)

    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.prod"
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(60))
    os.environ["ALLOWED_HOSTS"] = "testserver"
    static_root = tempfile.mkdtemp(prefix="bench-static-")
    os.environ["STATIC_ROOT"] = static_root
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from bench.scale import real_users

    others = real_users().count()
    if others and not args.i_know:
        people = (
            "1 personne de cette base n'a pas"
            if others == 1
            else f"{others} personnes de cette base n'ont pas"
        )
        raise SystemExit(
            f"{people} une adresse de démonstration : "
            "base refusée (--i-know pour l'utiliser quand même)."
        )
    try:
        call_command("collectstatic", "--noinput", verbosity=0)
        person = get_user_model().objects.get(email=args.who)
        results = {"/": _measure(None, "/", args)}
        for page in args.pages:
            results[page] = _measure(person, page, args)
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
    print(json.dumps({"who": args.who, "requests": args.requests, "pages": results}))
    return 0


def _measure(person, page: str, args) -> dict:
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_X_FORWARDED_PROTO="https")
    if person is not None:
        client.force_login(person)
    for _ in range(3):  # the first requests of a process and a session do their own set-up
        response = client.get(page)
        if response.status_code != 200:
            raise SystemExit(f"{page} répond {response.status_code}")
    count = [0]

    def counted(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        client.get(page)
    profile = cProfile.Profile(time.process_time) if page == args.profile else None
    times = []
    for _ in range(args.requests):
        started = time.process_time()
        if profile:
            profile.enable()
        client.get(page)
        if profile:
            profile.disable()
        times.append((time.process_time() - started) * 1000)
    median = statistics.median(times)
    print(f"{page:<24} {median:7.1f} ms CPU  {count[0]:3d} requêtes SQL", flush=True)
    if profile:
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(60)
        print(out.getvalue())
    return {"cpu_ms": round(median, 1), "queries": count[0]}


if __name__ == "__main__":
    sys.exit(main())
