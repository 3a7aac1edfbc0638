"""Benchmark of "Mon réseau en image" for a large network: the layout of 200 contacts (a
third of them introduced by another contact, chains up to four deep) and the rendering of the
drawing and of its table alternative, as the page does them.

Usage::

    python bench/network_graph.py [--quick] [--contacts 200]

No database: the contacts are built in memory (the page's queries are counted by the tests,
a constant number whatever the network's size). Each run lays out and renders from scratch,
after a few warm-up runs. Human-readable lines first; the last line is one JSON object:
``{"contacts": ..., "runs": ..., "p50_ms": ..., "p95_ms": ..., "html_kb": ...}``.
Target: p95 well under 100 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RUNS, RUNS_QUICK = 200, 30
SEED = 20261123
FIRST_NAMES = ["Anne", "Jean-Baptiste", "Li", "Maëlle", "Karim", "Sofia", "Marie-Hélène", "Tom"]
LAST_NAMES = ["Martin", "de la Fontaine-Beauregard", "N'Diaye", "Nguyen", "Lefèvre", "Rossi"]
SECTORS = ["Santé", "Banque", "Industrie", "Numérique", "Commerce", ""]


def percentile(timings: list[float], share: float) -> float:
    ordered = sorted(timings)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"{RUNS_QUICK} runs")
    parser.add_argument("--contacts", type=int, default=200)
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from django.template.loader import render_to_string
    from django.utils import translation

    from tisser.network.metrics import NetworkMetrics
    from tisser.network.models import STAGE_ORDER, Contact, HowKnown
    from tisser.www.network.graph import contact_rows, network_drawing

    rng = random.Random(SEED)
    contacts: list[Contact] = []
    depth: dict[int, int] = {}
    for pk in range(1, args.contacts + 1):
        candidates = [c for c in contacts if depth[c.pk] < 4]
        introducer = rng.choice(candidates) if candidates and rng.random() < 0.35 else None
        contact = Contact(
            pk=pk,
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            sector=rng.choice(SECTORS),
            how_known=HowKnown.INTRODUCED if introducer else HowKnown.LINKEDIN,
            introduced_by=introducer,
        )
        depth[pk] = depth[introducer.pk] + 1 if introducer else 1
        contacts.append(contact)
    contacts.sort(key=lambda c: (c.last_name, c.first_name, c.pk))
    stages = {c.pk: [rng.choice(STAGE_ORDER)] for c in contacts if rng.random() < 0.7}
    metrics = NetworkMetrics(len(contacts), 40, sum(1 for c in contacts if c.introduced_by), 5)

    def run() -> str:
        drawing = network_drawing(contacts, stages, metrics, "Moi")
        context = {"drawing": drawing, "rows": contact_rows(contacts, stages, link=True)}
        return render_to_string("www/network/graph/_network_svg.html", context) + render_to_string(
            "www/network/graph/_contacts_table.html", context
        )

    runs = RUNS_QUICK if args.quick else RUNS
    with translation.override("fr"):
        for _ in range(5):
            html = run()
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            run()
            timings.append((time.perf_counter() - started) * 1000)
    result = {
        "contacts": len(contacts),
        "runs": runs,
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(percentile(timings, 0.95), 2),
        "html_kb": round(len(html.encode()) / 1024, 1),
    }
    print(
        f"{len(contacts)} contacts, {runs} runs: layout + render p50 {result['p50_ms']} ms, "
        f"p95 {result['p95_ms']} ms ({result['html_kb']} kB of HTML)"
    )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
