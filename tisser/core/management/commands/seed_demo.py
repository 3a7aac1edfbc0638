"""Fictional demo data: one organisme, its team and its beneficiaries. Safe to run twice.

Each app seeds its own part from its `demo` module (see `tisser.core.demo`); this command
only runs them, in one transaction, and prints what they report and the identifiers."""

from django.core.management.base import BaseCommand
from django.db import transaction

from tisser.core.demo import demo_seed


class Command(BaseCommand):
    help = "Crée les données de démonstration (fictives) et affiche les identifiants."

    @transaction.atomic
    def handle(self, *args, **options):
        demo = demo_seed()
        self.stdout.write(f"Démo : {demo.organisation.name} — {', '.join(demo.summary)}.")
        for line in (*demo.notes, *demo.credentials):
            self.stdout.write(line)
