"""Benchmark of the contacts import: a realistic French Excel CSV of 10,000 rows (`;`,
Windows-1252, accents, quoted line breaks in notes, a few bad rows and duplicates) imported
into one beneficiary's network through `contacts_import`, the service the page calls.

Usage::

    python bench/contacts_import.py [--quick]

`--quick` imports 2,000 rows. The database is a fresh, migrated temporary SQLite file. The time
covers everything the page does after the upload: decoding, sniffing, parsing, checking every
row (e-mail, phone through `phonenumbers`), duplicate detection and the writes.

Human-readable lines first; the last line is one JSON object:
``{"rows": 10000, "seconds": ..., "rows_per_s": ..., "imported": ..., "errors": ...,
"duplicates": ...}``. Target: 10,000 rows in under 5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROWS = 10_000
ROWS_QUICK = 2_000
TARGET_SECONDS = 5.0
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"{ROWS_QUICK} rows")
    args = parser.parse_args(argv)
    rows = ROWS_QUICK if args.quick else ROWS

    with tempfile.TemporaryDirectory(prefix="bench-contacts-") as tmp:
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)

        from tisser.accounts.models import Membership, Organisation, User
        from tisser.core.enums import Role
        from tisser.network.exchange import contacts_import

        organisation = Organisation.objects.create(name="Bench", slug="bench")
        owner = User.objects.create_user(email="bench@example.org", password=None)
        Membership.objects.create(user=owner, organisation=organisation, role=Role.BENEFICIARY)

        raw = french_csv(rows, random.Random(SEED))
        print(f"CSV: {rows} rows, {len(raw) / 1024:.0f} KiB, Windows-1252, ';'")
        started = time.perf_counter()
        report = contacts_import(owner=owner, raw=raw)
        seconds = time.perf_counter() - started

    print(f"encoding read: {report.encoding}, delimiter: {report.delimiter!r}")
    print(
        f"imported {report.imported}, bad rows {len(report.errors)}, "
        f"duplicates {len(report.duplicates)}"
    )
    print(
        f"{seconds:.2f} s, {rows / seconds:,.0f} rows/s "
        f"(target: {ROWS} rows in under {TARGET_SECONDS:.0f} s)"
    )
    print(
        json.dumps(
            {
                "rows": rows,
                "seconds": round(seconds, 3),
                "rows_per_s": round(rows / seconds),
                "imported": report.imported,
                "errors": len(report.errors),
                "duplicates": len(report.duplicates),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
