"""Search the métiers of the current ROME version from the command line.

``manage.py search_metiers "boulangère"`` prints a table; ``manage.py search_metiers --jsonl``
reads one query per line on standard input and writes one JSON object per line,
``{"q": ..., "results": [{"code_rome": ..., "libelle": ..., "score": ...}, ...]}``: the
interface evaluation scripts rely on, so its shape must not change.
"""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from tisser.referentiel.search import search_metiers
from tisser.referentiel.search.index import DEFAULT_LIMIT


class Command(BaseCommand):
    help = "Cherche des fiches métier du ROME pour une requête : un titre ou ce que l'on fait."

    def add_arguments(self, parser):
        parser.add_argument("query", nargs="*", help="requête (mode tableau)")
        parser.add_argument(
            "--jsonl",
            action="store_true",
            help="une requête par ligne sur l'entrée standard, une ligne JSON par requête",
        )
        parser.add_argument("--limit", type=int, default=DEFAULT_LIMIT)

    def handle(self, *args, **options):
        limit = options["limit"]
        if options["jsonl"]:
            self._answer_lines(sys.stdin, limit)
            return
        query = " ".join(options["query"])
        if not query.strip():
            raise CommandError("Donnez une requête, ou --jsonl pour lire l'entrée standard.")
        results = search_metiers(query, limit=limit)
        if not results:
            self.stdout.write("Aucune fiche trouvée.")
            return
        for rank, result in enumerate(results, start=1):
            via = (
                f"via « {result.matched_label} »"
                if result.matched_label
                else "d'après « " + " », « ".join(result.words) + " »"
            )
            self.stdout.write(
                f"{rank:>2}. {result.code_rome}  {result.score:.3f}  {result.libelle}  ({via})"
            )

    def _answer_lines(self, lines, limit: int) -> None:
        for line in lines:
            query = line.rstrip("\r\n")
            results = [
                {"code_rome": result.code_rome, "libelle": result.libelle, "score": result.score}
                for result in search_metiers(query, limit=limit)
            ]
            self.stdout.write(json.dumps({"q": query, "results": results}, ensure_ascii=False))
            self.stdout.flush()
