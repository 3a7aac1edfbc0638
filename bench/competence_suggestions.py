"""Benchmark of the compétence suggestions of a réussite over the full ROME.

Usage::

    python bench/competence_suggestions.py [--quick] [SOURCE]

SOURCE is the folder of the ROME open data CSVs (default: $ROME_SOURCE, else
../shared/data/rome-v460). The index is built straight from the CSVs with
``RomeItemIndex.from_rows`` (the same rows the application reads from its database): no
database and no Django settings are needed.

The texts are réussites written the way beneficiaries write them (situation, action,
result), each suggestion timed after one warm-up pass; the ROME item search of the portfolio
is timed on typed queries. Human-readable lines come first; the last line is one JSON object:
``{"p95_ms": ..., "search_p95_ms": ..., "index_mb": ..., "build_s": ..., "items": ...}``.
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tisser.bilans.suggestions import COMPETENCE, SAVOIR, ItemRow, RomeItemIndex  # noqa: E402

DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "rome-v460"

ACHIEVEMENTS = [
    "La fête de fin d'année de l'équipe. Nous étions 60, beaucoup en télétravail. J'ai organisé "
    "l'événement, réservé la salle, choisi le traiteur et géré le budget. La soirée a réuni "
    "toute l'équipe.",
    "Le service dépassait son budget chaque année. J'ai mis en place un suivi des dépenses et "
    "négocié avec les fournisseurs. Le budget a été tenu.",
    "Les clients attendaient longtemps au magasin. J'ai réorganisé l'accueil, accueilli et "
    "renseigné les clients et je les ai orientés vers le bon conseiller.",
    "Des personnes âgées isolées ne savaient pas utiliser internet. J'ai animé des ateliers "
    "d'initiation au numérique à la médiathèque. Une vingtaine de personnes font maintenant "
    "leurs démarches en ligne.",
    "Un nouveau logiciel de paie arrivait. J'ai formé les six gestionnaires, rédigé un guide "
    "et répondu à leurs questions. La paie est sortie à l'heure dès le premier mois.",
    "Le stock de l'entrepôt n'était jamais juste. J'ai organisé un inventaire tournant, "
    "étiqueté les emplacements et formé les caristes. Les écarts ont baissé de moitié.",
    "Un patient anxieux refusait les soins. Je l'ai écouté, rassuré et expliqué chaque geste. "
    "Il a accepté le pansement et remercié l'équipe.",
    "Notre association manquait de bénévoles. J'ai créé une page sur les réseaux sociaux, "
    "rédigé des annonces et accueilli les nouveaux. Nous sommes passés de 5 à 18 bénévoles.",
    "Un chantier prenait du retard. J'ai replanifié les interventions, coordonné les "
    "sous-traitants et suivi l'avancement chaque semaine. La livraison a eu lieu à la date "
    "prévue.",
    "Le site web de la boutique ne vendait rien. J'ai refait les fiches produits, les photos et "
    "lancé une lettre d'information. Les ventes en ligne ont doublé en six mois.",
]
QUERIES = [
    "budget",
    "accueil client",
    "anglais",
    "organisation evenem",
    "tableur",
    "soudure",
    "gestion de projet",
    "paie",
    "conduite engins",
    "ecoute",
]


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def rows(source: Path) -> list[ItemRow]:
    competences = read_csv(source / "unix_referentiel_competence_v460_utf8.csv")
    macro = {row["code_ogr"]: row["libelle_competence"] for row in competences}
    items = [
        ItemRow(
            COMPETENCE,
            int(row["code_ogr"]),
            row["libelle_competence"],
            f"{macro.get(row['code_ogr_macro_comp'], '')} {row['definition']}".strip(),
        )
        for row in competences
    ]
    items.extend(
        ItemRow(SAVOIR, int(row["code_ogr_savoir"]), row["libelle_savoir"])
        for row in read_csv(source / "unix_referentiel_savoir_v460_utf8.csv")
    )
    return items


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", nargs="?", type=Path)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (< 10 s)")
    args = parser.parse_args()
    source = args.source or Path(os.environ.get("ROME_SOURCE") or DEFAULT_SOURCE)
    if not (source / "unix_referentiel_competence_v460_utf8.csv").exists():
        print(f"ROME data not found in {source}", file=sys.stderr)
        return 2

    items = rows(source)
    started = time.perf_counter()
    index = RomeItemIndex.from_rows(items)
    build_s = time.perf_counter() - started
    # Memory of a second build, traced apart: tracing slows the build it measures.
    del index
    gc.collect()
    tracemalloc.start()
    index = RomeItemIndex.from_rows(items)
    gc.collect()
    index_mb = tracemalloc.get_traced_memory()[0] / 1e6
    tracemalloc.stop()

    repeats = 5 if args.quick else 30
    for text in ACHIEVEMENTS:
        index.suggest(text)
    timings = []
    for _ in range(repeats):
        for text in ACHIEVEMENTS:
            started = time.perf_counter()
            index.suggest(text)
            timings.append((time.perf_counter() - started) * 1000)
    search_timings = []
    for _ in range(repeats):
        for query in QUERIES:
            started = time.perf_counter()
            index.search(query)
            search_timings.append((time.perf_counter() - started) * 1000)

    for text in ACHIEVEMENTS[:3]:
        print(f"« {text[:70]}… »")
        for found in index.suggest(text)[:5]:
            print(f"    {found.score:.2f}  {found.label}")
    print(f"items indexed: {len(index)}, distinct stems: {len(index.vocabulary)}")
    print(f"build: {build_s:.2f} s, index: {index_mb:.1f} MB (tracemalloc)")
    print(
        f"suggest: median {statistics.median(timings):.1f} ms, p95 {p95(timings):.1f} ms "
        f"over {len(timings)} réussites"
    )
    print(
        f"search: median {statistics.median(search_timings):.1f} ms, "
        f"p95 {p95(search_timings):.1f} ms over {len(search_timings)} queries"
    )
    print(
        json.dumps(
            {
                "p95_ms": round(p95(timings), 2),
                "search_p95_ms": round(p95(search_timings), 2),
                "index_mb": round(index_mb, 1),
                "build_s": round(build_s, 2),
                "items": len(index),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
