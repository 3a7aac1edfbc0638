"""Benchmark of the contacts import: a realistic French Excel CSV of 5,000 rows — the most one
file may hold (`;`, Windows-1252, accents, quoted line breaks in notes, a few bad rows and
duplicates) — imported into one beneficiary's network through `contacts_import`, the service
the page and the background task call; then the two files that used to take the server down
(docs/adr/0012-bounded-imports.md): a CSV of 1,000,000 lines under 5 MB, and a vCard whose
one folded note weighs 4.8 MB. Each is read through the same service and must be refused
cheaply.

Usage::

    python bench/contacts_import.py [--quick]
    /usr/bin/time -v python bench/contacts_import.py   # the process's peak (resident) too

`--quick` imports 2,000 rows. The database is a fresh, migrated temporary SQLite file; the
person's ceiling is raised for the bench (TISSER_CONTACT_CEILING=10000). Each scenario is
timed once without tracing, then run again on a fresh person under `tracemalloc` for its peak
of Python memory. The time covers everything after the upload: decoding, sniffing, parsing,
checking every row (e-mail, phone through `phonenumbers`), duplicate detection and the writes.

Human-readable lines first; the last line is one JSON object:
``{"rows": 5000, "seconds": ..., "rows_per_s": ..., "peak_mb": ..., "imported": ...,
"errors": ..., "duplicates": ..., "million_lines": {"seconds": ..., "peak_mb": ...,
"refused": true}, "folded_vcard": {...}}``. Target: 5,000 rows in under 5 s; each hostile
file refused in under 2 s and 20 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
import tracemalloc
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROWS = 5_000
ROWS_QUICK = 2_000
TARGET_SECONDS = 5.0
MB = 1024 * 1024
SEED = 20251123

FIRST_NAMES = [
    "Anne",
    "Éloïse",
    "Zoé",
    "Hélène",
    "Chloé",
    "Inès",
    "Léa",
    "Maëlle",
    "Agnès",
    "Bérénice",
    "Céline",
    "Françoise",
    "Noémie",
    "Jérôme",
    "Benoît",
    "François",
    "Loïc",
    "Noël",
    "Gaël",
    "Hervé",
    "Théo",
    "Stéphane",
    "Raphaël",
    "Joël",
    "Cédric",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Lefebvre",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Bœuf",
    "Lœuvre",
    "Chéreau",
    "Béranger",
]
COMPANIES = (
    "Hôpital Édouard-Herriot",
    "Mairie de Lyon",
    "L’Atelier du Bois",
    "Cœur de Ville",
    "Société Générale",
    "Crédit Agricole",
    "Association Œuvre Commune",
    "Boulangerie Pâtissière",
    "Bureau d’études Rhône",
    "",
)
JOBS = (
    "Infirmière puéricultrice",
    "Chargé de mission",
    "Ébéniste",
    "Responsable des ressources humaines",
    "Développeur",
    "Directrice d’école",
    "Comptable",
    "",
)


# French mobile blocks in metropolitan France (06 39 and 06 9x are overseas numbers).
MOBILE_BLOCKS = [f"{block:02d}" for block in range(50, 90)]


def ascii_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if char.isascii() and char.isalnum())


def french_csv(rows: int, rng: random.Random) -> bytes:
    """What French Excel saves as "CSV (séparateur : point-virgule)"."""
    lines = ["Prénom;Nom;Société;Fonction;Adresse e-mail;Tél. mobile;Notes"]
    previous_email = ""
    for number in range(rows):
        first = rng.choice(FIRST_NAMES)
        last = rng.choice(LAST_NAMES)
        company = rng.choice(COMPANIES)
        email = f"{ascii_fold(first)}.{ascii_fold(last)}{number}@exemple.fr"
        phone = f"0{rng.choice('67')} {rng.choice(MOBILE_BLOCKS)} " + " ".join(
            f"{rng.randint(0, 99):02d}" for _ in range(3)
        )
        notes = ""
        if number % 7 == 0:
            notes = '"Rencontré·e au forum ; à relancer\nDeuxième ligne « citée »"'
        if number % 997 == 5:
            email = "pas-un-email"  # a bad row
        if number % 1499 == 7:
            phone = "06 12"  # a bad row
        if number % 1999 == 11:
            email = previous_email  # a duplicate of the line above
        previous_email = email
        lines.append(f"{first};{last}{number};{company};{rng.choice(JOBS)};{email};{phone};{notes}")
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def million_lines() -> bytes:
    """The file that ran 453 s and created 900,000 contacts at 1.56 GB peak."""
    return b"Nom;Notes\n" + b"M;x\n" * 1_000_000


def folded_vcard() -> bytes:
    """One card whose note, folded over 65,000 lines, weighs 4.8 MB (it cost 538 MB)."""
    fold = b"\r\n " + b"x" * 73
    return (
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Martin;Anne\r\nNOTE:"
        + fold * (int(4.8 * MB) // len(fold))
        + b"\r\nEND:VCARD\r\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"{ROWS_QUICK} rows")
    args = parser.parse_args(argv)
    rows = ROWS_QUICK if args.quick else ROWS

    with tempfile.TemporaryDirectory(prefix="bench-contacts-") as tmp:
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        os.environ["TISSER_CONTACT_CEILING"] = "10000"
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)

        from tisser.accounts.models import Membership, Organisation, User
        from tisser.core.enums import Role
        from tisser.network.exchange import UnreadableFile, contacts_import

        organisation = Organisation.objects.create(name="Bench", slug="bench")
        people = iter(range(100))

        def person() -> User:
            owner = User.objects.create_user(email=f"bench{next(people)}@example.org")
            Membership.objects.create(user=owner, organisation=organisation, role=Role.BENEFICIARY)
            return owner

        def run(raw: bytes, *, traced: bool):
            """(report or refusal, seconds, peak MB of Python memory or None)."""
            owner = person()
            if traced:
                tracemalloc.start()
            started = time.perf_counter()
            try:
                outcome = contacts_import(owner=owner, raw=raw)
            except UnreadableFile as error:
                outcome = error
            seconds = time.perf_counter() - started
            peak = None
            if traced:
                peak = tracemalloc.get_traced_memory()[1] / MB
                tracemalloc.stop()
            return outcome, seconds, peak

        def measure(raw: bytes):
            outcome, seconds, _ = run(raw, traced=False)
            _, _, peak = run(raw, traced=True)
            return outcome, seconds, peak

        raw = french_csv(rows, random.Random(SEED))
        print(f"CSV: {rows} rows, {len(raw) / 1024:.0f} KiB, Windows-1252, ';'")
        report, seconds, peak = measure(raw)

        hostile = {}
        for name, make in (("million_lines", million_lines), ("folded_vcard", folded_vcard)):
            hostile_raw = make()
            outcome, hostile_seconds, hostile_peak = measure(hostile_raw)
            refused = isinstance(outcome, UnreadableFile) or bool(outcome.errors)
            message = outcome.message if isinstance(outcome, UnreadableFile) else ""
            if not message and outcome.errors:
                message = outcome.errors[0].reasons[0]
            print(
                f"{name}: {len(hostile_raw) / MB:.1f} MB, {hostile_seconds:.2f} s, "
                f"peak {hostile_peak:.1f} MB, refused: {message}"
            )
            hostile[name] = {
                "bytes": len(hostile_raw),
                "seconds": round(hostile_seconds, 3),
                "peak_mb": round(hostile_peak, 1),
                "refused": refused,
                "imported": 0 if isinstance(outcome, UnreadableFile) else outcome.imported,
            }

    print(f"encoding read: {report.encoding}, delimiter: {report.delimiter!r}")
    print(
        f"imported {report.imported}, bad rows {len(report.errors)}, "
        f"duplicates {len(report.duplicates)}"
    )
    print(
        f"{seconds:.2f} s, {rows / seconds:,.0f} rows/s, peak {peak:.1f} MB "
        f"(target: {ROWS} rows in under {TARGET_SECONDS:.0f} s)"
    )
    print(
        json.dumps(
            {
                "rows": rows,
                "seconds": round(seconds, 3),
                "rows_per_s": round(rows / seconds),
                "peak_mb": round(peak, 1),
                "imported": report.imported,
                "errors": len(report.errors),
                "duplicates": len(report.duplicates),
                **hostile,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
