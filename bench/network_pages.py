"""Benchmark of the network pages for a heavy user (issue #16): a beneficiary with 2,000
contacts (a third introduced by another contact, chains up to four deep, a fiche métier on
half of them in 12 domaines) and 600 enquêtes at every step with their dated steps, questions
and notes, who shares their network with their consultant.

Usage::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tisser_bench python bench/network_pages.py \
        [--contacts 2000] [--runs 20]

The database named by DATABASE_URL is migrated, then a new organisation is added to it (run
the script on a database of its own: it never deletes anything). Without DATABASE_URL, a
temporary SQLite file. Each page is requested with the test client (signed in, French), a
few warm-up requests first; its queries are counted on the last run. On a busy machine,
compare the web process's CPU time (``cpu_p50_ms``), steadier than the clock. Human-readable lines
first; the last line is one JSON object: ``{"contacts": ..., "pages": {name: {"p50_ms": ...,
"p95_ms": ..., "queries": ..., "kb": ...}}}``. Target: p95 <= 300 ms on every page.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEED = 20261207
TARGET_P95_MS = 300.0
FIRST_NAMES = ["Anne", "Jean-Baptiste", "Li", "Maëlle", "Karim", "Sofia", "Marie-Hélène", "Tom"]
LAST_NAMES = ["Martin", "de la Fontaine", "N'Diaye", "Nguyen", "Lefèvre", "Rossi", "Petit"]
SECTORS = ["Santé", "Banque", "Industrie", "Numérique", "Commerce", ""]


def percentile(timings: list[float], share: float) -> float:
    ordered = sorted(timings)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def seed(contacts_wanted: int, rng: random.Random):
    from django.utils import timezone

    from tests.factories import OrganisationFactory, member
    from tisser.core.enums import Role
    from tisser.network.models import (
        STAGE_ORDER,
        Contact,
        GuideTheme,
        HowKnown,
        InformationalInterview,
        InterviewNote,
        InterviewQuestion,
        NetworkSharing,
        StageEvent,
    )
    from tisser.referentiel.models import DomaineProfessionnel, GrandDomaine, Metier

    suffix = uuid.uuid4().hex[:8]
    organisation = OrganisationFactory(slug=f"bench-network-{suffix}")
    consultant = member(Role.CONSULTANT, organisation, user__email=f"conseil-{suffix}@example.org")
    beneficiary = member(
        Role.BENEFICIARY,
        organisation,
        invited_by=consultant,
        user__email=f"beneficiaire-{suffix}@example.org",
    )
    NetworkSharing.objects.create(owner=beneficiary, with_consultant=True)

    grand, _ = GrandDomaine.objects.get_or_create(code="Z", defaults={"libelle": "Banc d'essai"})
    metiers = []
    for d in range(12):
        code = f"Z{d:02d}"
        domaine, _ = DomaineProfessionnel.objects.get_or_create(
            code=code, defaults={"libelle": f"Domaine {d}", "grand_domaine": grand}
        )
        for m in range(3):
            rome = f"{code}{m:02d}"
            metier = Metier.objects.filter(code_rome=rome).first() or Metier.objects.create(
                code_rome=rome,
                code_ogr=900000 + d * 10 + m,
                libelle=f"Métier {rome}",
                domaine=domaine,
            )
            metiers.append(metier)

    now = timezone.now()
    made: list[Contact] = []
    depth: dict[int, int] = {}
    for i in range(contacts_wanted):
        candidates = [c for c in made[-200:] if depth[id(c)] < 4]
        introducer = rng.choice(candidates) if candidates and rng.random() < 0.33 else None
        contact = Contact(
            owner=beneficiary,
            organisation=organisation,
            first_name=rng.choice(FIRST_NAMES),
            last_name=f"{rng.choice(LAST_NAMES)} {i}",
            company="Entreprise",
            metier=rng.choice(metiers) if rng.random() < 0.5 else None,
            sector=rng.choice(SECTORS),
            how_known=HowKnown.INTRODUCED if introducer else HowKnown.LINKEDIN,
            notes="Rencontré·e au salon.",
        )
        # bulk_create needs the introducer saved first: chains are linked afterwards.
        contact._introducer = introducer
        depth[id(contact)] = depth[id(introducer)] + 1 if introducer else 1
        made.append(contact)
    Contact.objects.bulk_create(made, batch_size=1000)
    for contact in made:
        contact.introduced_by = contact._introducer
    Contact.objects.bulk_update(
        [c for c in made if c.introduced_by], ["introduced_by"], batch_size=1000
    )
    Contact.objects.filter(owner=beneficiary).update(created_at=now - timedelta(weeks=30))

    interviews = []
    for contact in rng.sample(made, min(len(made), contacts_wanted * 3 // 10)):
        stage = rng.choice(STAGE_ORDER)
        interviews.append(
            InformationalInterview(
                owner=beneficiary,
                contact=contact,
                metier=contact.metier,
                stage=stage,
                stage_changed_at=now - timedelta(days=rng.randint(0, 200)),
            )
        )
    InformationalInterview.objects.bulk_create(interviews, batch_size=1000)
    events, questions, notes = [], [], []
    for interview in interviews:
        for step in STAGE_ORDER[: STAGE_ORDER.index(interview.stage) + 1]:
            events.append(
                StageEvent(interview=interview, stage=step, at=interview.stage_changed_at)
            )
        questions.append(InterviewQuestion(interview=interview, theme=GuideTheme.CAREER, text="?"))
        notes.append(InterviewNote(interview=interview, theme=GuideTheme.CAREER, text="Notes."))
    StageEvent.objects.bulk_create(events, batch_size=2000)
    InterviewQuestion.objects.bulk_create(questions, batch_size=2000)
    InterviewNote.objects.bulk_create(notes, batch_size=2000)
    return beneficiary, consultant


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--only", default="", help="comma-separated page names")
    args = parser.parse_args(argv)

    url = os.environ.get("DATABASE_URL")
    tmp = None
    if not url:
        tmp = tempfile.NamedTemporaryFile(suffix=".sqlite3", delete=False)  # noqa: SIM115
        url = f"sqlite:///{tmp.name}"
    os.environ["TEST_DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    setup_test_environment()
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    started = time.perf_counter()
    beneficiary, consultant = seed(args.contacts, random.Random(SEED))
    print(f"seeded {args.contacts} contacts in {time.perf_counter() - started:.1f} s")

    own, theirs = Client(), Client()
    own.force_login(beneficiary)
    theirs.force_login(consultant)
    pages = {
        "graph": (own, reverse("network:graph")),
        "graph_table_p2": (own, reverse("network:graph") + "?page=2"),
        "graph_for": (theirs, reverse("network:graph_for", args=[beneficiary.pk])),
        "for_beneficiary": (theirs, reverse("network:for_beneficiary", args=[beneficiary.pk])),
        "home": (own, reverse("network:home")),
        "contacts": (own, reverse("network:contacts")),
        "contacts_search": (own, reverse("network:contacts") + "?q=martin"),
        "interviews_board": (own, reverse("network:interviews")),
        "interviews_list": (own, reverse("network:interview_list")),
        "data_export": (own, reverse("account:data_export")),
    }
    only = {name for name in args.only.split(",") if name}
    results = {}
    for name, (client, path) in pages.items():
        if only and name not in only:
            continue

        def fetch(client=client, path=path, name=name):
            response = client.get(path, HTTP_ACCEPT_LANGUAGE="fr")
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert response.status_code == 200, (name, response.status_code)
            return body

        for _ in range(2):
            fetch()
        timings, cpu = [], []
        for _ in range(args.runs):
            begun, begun_cpu = time.perf_counter(), time.process_time()
            body = fetch()
            timings.append((time.perf_counter() - begun) * 1000)
            cpu.append((time.process_time() - begun_cpu) * 1000)
        with CaptureQueriesContext(connection) as queries:
            fetch()
        results[name] = {
            "p50_ms": round(statistics.median(timings), 1),
            "p95_ms": round(percentile(timings, 0.95), 1),
            # the web process's own CPU time: steadier than the clock on a busy machine
            "cpu_p50_ms": round(statistics.median(cpu), 1),
            "queries": len(queries),
            "kb": round(len(body) / 1024, 1),
        }
        mark = "ok" if results[name]["p95_ms"] <= TARGET_P95_MS else "MISSED"
        print(
            f"{name:18} p50 {results[name]['p50_ms']:7.1f} ms  p95 {results[name]['p95_ms']:7.1f}"
            f" ms  cpu p50 {results[name]['cpu_p50_ms']:7.1f} ms"
            f"  {results[name]['queries']:3d} queries  {results[name]['kb']:8.1f} kB  {mark}"
        )
    if tmp is not None:
        os.unlink(tmp.name)
    print(json.dumps({"contacts": args.contacts, "pages": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
