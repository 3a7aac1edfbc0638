"""Write tisser/locale/fr from the English catalogue's plural entries and compile it (see
`tisser.core.po_files`). Run after `makemessages -l en`."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from tisser.core.po_files import french_plural_catalogue, po_entries


class Command(BaseCommand):
    help = "Écrit le catalogue français des pluriels (0 et 1 au singulier) et le compile."

    def handle(self, *args, **options):
        locale = Path(settings.LOCALE_PATHS[0])
        english = po_entries(locale / "en" / "LC_MESSAGES" / "django.po")
        target = locale / "fr" / "LC_MESSAGES" / "django.po"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(french_plural_catalogue(english), encoding="utf-8")
        call_command("compilemessages", locale=["fr"], verbosity=0)
        count = sum(1 for e in english if e["msgid"] and e["msgid_plural"])
        self.stdout.write(f"{target} : {count} entrées au pluriel.")
