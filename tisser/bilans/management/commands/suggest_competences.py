"""Suggest ROME compétences and savoirs for réussites from the command line (ADR 0040).

``manage.py suggest_competences "J'ai organisé…"`` prints a table; ``manage.py
suggest_competences --jsonl`` reads one réussite per line on standard input and writes one
JSON object per line, ``{"text": ..., "results": [{"kind", "code_ogr", "label", "score",
"words", "fiche"}, ...]}``: the interface evaluation scripts rely on, so its shape must not
change (keys may be added, never removed).
"""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from tisser.bilans.suggestions import SUGGESTION_LIMIT, competences_suggest


class Command(BaseCommand):
    help = "Suggère les compétences et savoirs du ROME qu'une réussite montre."

    def add_arguments(self, parser):
        parser.add_argument("text", nargs="*", help="la réussite (mode tableau)")
        parser.add_argument(
            "--jsonl",
            action="store_true",
            help="une réussite par ligne sur l'entrée standard, une ligne JSON par réussite",
        )
        parser.add_argument("--limit", type=int, default=SUGGESTION_LIMIT)

    def handle(self, *args, **options):
        limit = options["limit"]
        if options["jsonl"]:
            for line in sys.stdin:
                text = line.rstrip("\r\n")
                results = [
                    {
                        "kind": found.kind,
                        "code_ogr": found.code_ogr,
                        "label": found.label,
                        "score": found.score,
                        "words": list(found.words),
                        "fiche": found.fiche,
                    }
                    for found in competences_suggest(text, limit=limit)
                ]
                self.stdout.write(
                    json.dumps({"text": text, "results": results}, ensure_ascii=False)
                )
                self.stdout.flush()
            return
        text = " ".join(options["text"])
        if not text.strip():
            raise CommandError("Donnez une réussite, ou --jsonl pour lire l'entrée standard.")
        results = competences_suggest(text, limit=limit)
        if not results:
            self.stdout.write("Aucune compétence suggérée.")
            return
        for rank, found in enumerate(results, start=1):
            why = ", ".join(found.words) or found.fiche
            self.stdout.write(
                f"{rank:>2}. {found.code_ogr}  {found.score:.3f}  {found.label}  ({why})"
            )
