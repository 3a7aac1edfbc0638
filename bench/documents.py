"""Benchmark of the documents a person downloads (issue #16, ADR 0030): each PDF of the demo
beneficiary's bilan rendered anew and served from its kept rendering, and the contact exports
of the person with the most contacts, in CPU time (steadier than the clock on a busy
machine) and queries.

Usage::

    python bench/documents.py [--database-url URL] [--runs 3] [--i-know]

It runs on a database where `seed_demo` ran (the page bench's database, grown or not) and
refuses one holding a real person, as `bench/pages.py` does, unless --i-know. It writes only
the kept PDFs (`bilans.RenderedPdf`) and audit entries. The last line is one JSON object:
``{"documents": {name: {"anew_cpu_ms": ..., "kept_cpu_ms": ..., "queries": ..., "kb": ...}}}``
(exports: ``cpu_ms``, ``contacts``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def cpu_ms(action, runs: int) -> tuple[float, object]:
    result = None
    started = time.process_time()
    for _ in range(runs):
        result = action()
    return (time.process_time() - started) * 1000 / runs, result


def queries(action) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        action()
    return len(context.captured_queries)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--i-know", action="store_true")
    args = parser.parse_args(argv)
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from django.db.models import Count

    from bench.scale import real_users
    from tisser.accounts.demo import BENEFICIARIES, demo_email
    from tisser.accounts.models import User
    from tisser.bilans import services as bilans
    from tisser.bilans.models import Bilan, RenderedPdf
    from tisser.bilans.services.emargement import emargement_pdf
    from tisser.network.exchange import contacts_export

    if real_users().exists() and not args.i_know:
        print("refused: this database holds real users; use a bench database, or --i-know")
        return 2
    person = User.objects.get(email=demo_email(*BENEFICIARIES[0]))
    bilan = Bilan.objects.select_related("organisation").filter(beneficiary=person).first()
    documents = {
        "attestation": lambda: bilans.attestation_pdf(actor=person, bilan=bilan),
        "emargement": lambda: emargement_pdf(actor=person, bilan=bilan),
        "results": lambda: bilans.results_pdf(actor=person, bilan=bilan),
    }
    figures: dict[str, dict] = {}
    for name, action in documents.items():

        def anew(action=action, name=name):
            RenderedPdf.objects.filter(bilan=bilan, kind=name).delete()
            return action()

        anew_ms, content = cpu_ms(anew, args.runs)
        kept_ms, _content = cpu_ms(action, args.runs)
        figures[name] = {
            "anew_cpu_ms": round(anew_ms, 1),
            "kept_cpu_ms": round(kept_ms, 1),
            "queries": queries(action),
            "kb": round(len(content) / 1024, 1),
        }
        print(f"{name:<12} anew {anew_ms:7.1f} ms CPU   kept {kept_ms:6.1f} ms CPU")
    owner = (
        User.objects.annotate(contact_count=Count("contacts"))
        .filter(contact_count__gt=0)
        .order_by("-contact_count")
        .first()
    )
    for export_format in ("csv", "vcard"):

        def export(export_format=export_format):
            return contacts_export(owner=owner, format=export_format).content

        export_ms, content = cpu_ms(export, args.runs)
        figures[f"contacts_{export_format}"] = {
            "cpu_ms": round(export_ms, 1),
            "queries": queries(export),
            "contacts": owner.contact_count,
            "kb": round(len(content) / 1024, 1),
        }
        count = owner.contact_count
        print(f"contacts {export_format:<5} {count} contacts: {export_ms:7.1f} ms CPU")
    print(json.dumps({"documents": figures}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
