"""The English catalogue is complete, compiled, and actually used by the pages."""

import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from tisser.core.po_files import french_plural_catalogue
from tisser.core.po_files import po_entries as read_po_entries

PROJECT_ROOT = Path(__file__).resolve().parents[1]
LOCALE_DIR = PROJECT_ROOT / "tisser" / "locale"
LC_MESSAGES = LOCALE_DIR / "en" / "LC_MESSAGES"
PO_PATH = LC_MESSAGES / "django.po"
MO_PATH = LC_MESSAGES / "django.mo"


def po_entries(path=PO_PATH):
    return read_po_entries(path)


def messages():
    """The entries of the catalogue proper (without the header)."""
    return [entry for entry in po_entries() if entry["msgid"]]


def test_the_english_catalogue_is_complete():
    entries = po_entries()
    header = [entry for entry in entries if entry["msgid"] == ""]
    assert len(header) == 1
    assert "Language: en\n" in header[0]["msgstr"][0]
    assert len(messages()) > 300

    fuzzy = [entry["msgid"] for entry in entries if "fuzzy" in entry["flags"]]
    empty = [entry["msgid"] for entry in messages() if not all(s.strip() for s in entry["msgstr"])]
    assert fuzzy == []
    assert empty == []
    for entry in messages():
        assert len(entry["msgstr"]) == (2 if entry["msgid_plural"] else 1), entry["msgid"]


def test_the_english_catalogue_writes_real_plurals():
    """No "project(s)": English reads "project or projects", or takes ngettext."""
    pseudo = re.compile(r"\w\((s|es)\)")
    found = [text for entry in messages() for text in entry["msgstr"] if pseudo.search(text)]
    assert found == []


def test_the_compiled_catalogue_matches_the_po_file():
    with MO_PATH.open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)

    for entry in messages():
        context = entry["msgctxt"]
        if entry["msgid_plural"]:
            singular, plural = entry["msgstr"]
            args = (entry["msgid"], entry["msgid_plural"])
            if context is None:
                assert compiled.ngettext(*args, 1) == singular
                assert compiled.ngettext(*args, 2) == plural
            else:
                assert compiled.npgettext(context, *args, 1) == singular
                assert compiled.npgettext(context, *args, 2) == plural
        elif context is None:
            assert compiled.gettext(entry["msgid"]) == entry["msgstr"][0], entry["msgid"]
        else:
            assert compiled.pgettext(context, entry["msgid"]) == entry["msgstr"][0], entry["msgid"]
    assert len(compiled._catalog) == len(messages()) + 1 + sum(  # + header
        1 for entry in messages() if entry["msgid_plural"]
    )


def test_the_po_file_compiles_cleanly(tmp_path):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("GNU gettext's msgfmt is not installed: cannot check the .po syntax")

    result = subprocess.run(
        [msgfmt, "--check", "-o", str(tmp_path / "django.mo"), str(PO_PATH)],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    with (tmp_path / "django.mo").open("rb") as fresh, MO_PATH.open("rb") as committed:
        assert gettext.GNUTranslations(fresh)._catalog == (
            gettext.GNUTranslations(committed)._catalog
        ), "django.mo is stale: run `manage.py compilemessages -l en`"


# The directories `manage.py makemessages -l en --no-obsolete -i …` leaves out when it
# refreshes the catalogue (the failure message below spells out the whole command).
MAKEMESSAGES_IGNORED = [".venv", "node_modules", "tests", "bench", "staticfiles"]
GETTEXT_TOOLS = ("xgettext", "msguniq", "msgmerge", "msgattrib")


def catalogue_keys(path):
    return {(e["msgctxt"], e["msgid"], e["msgid_plural"]) for e in po_entries(path) if e["msgid"]}


def test_the_catalogue_is_up_to_date_with_the_code(tmp_path, settings, monkeypatch):
    """Every string marked for translation in the code and templates has an entry in the
    committed catalogue, and the catalogue has no entry the code no longer uses.

    makemessages runs in process on a copy of tisser/locale. It writes its .pot and .po into
    the first LOCALE_PATHS entry, unless it meets a directory named "locale" while walking the
    project: it then sends the files below that directory's parent there, that is into the
    repository's own tisser/locale. So "locale" directories are ignored, and the repository's
    catalogue is checked to be untouched afterwards."""
    missing_tools = [tool for tool in GETTEXT_TOOLS if shutil.which(tool) is None]
    if missing_tools:
        pytest.skip(f"GNU gettext is not installed ({', '.join(missing_tools)} missing)")

    fresh_locale = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, fresh_locale)
    settings.LOCALE_PATHS = [str(fresh_locale)]
    monkeypatch.chdir(PROJECT_ROOT)  # makemessages walks the current directory
    committed = {path: path.read_bytes() for path in LOCALE_DIR.rglob("*") if path.is_file()}
    try:
        call_command(
            "makemessages",
            locale=["en"],
            no_obsolete=True,
            ignore_patterns=[*MAKEMESSAGES_IGNORED, "locale"],
            verbosity=0,
        )
    finally:
        after = {path: path.read_bytes() for path in LOCALE_DIR.rglob("*") if path.is_file()}
        for path in after.keys() - committed.keys():
            path.unlink()
        for path, content in committed.items():
            if after.get(path) != content:
                path.write_bytes(content)
    assert after == committed, "makemessages wrote into the repository's tisser/locale"

    fresh = catalogue_keys(fresh_locale / "en" / "LC_MESSAGES" / "django.po")
    current = catalogue_keys(PO_PATH)

    def listed(keys):
        return "".join(f"\n  {key[1]!r}" for key in sorted(keys, key=lambda key: key[1]))

    ignored = " ".join(f"-i {pattern}" for pattern in MAKEMESSAGES_IGNORED)
    assert fresh == current, (
        f"the English catalogue is out of date: run `manage.py makemessages -l en --no-obsolete"
        f" {ignored}`, translate, then `manage.py compilemessages -l en`."
        f"\nMissing from the catalogue:{listed(fresh - current) or ' none'}"
        f"\nNo longer in the code:{listed(current - fresh) or ' none'}"
    )


FRENCH_PO = LOCALE_DIR / "fr" / "LC_MESSAGES" / "django.po"


def test_the_french_plural_catalogue_holds_every_plural_of_the_code():
    """0 and 1 take the singular in French only if every plural msgid is in a French
    catalogue (tisser/core/po_files.py): `manage.py french_plurals` writes it."""
    assert FRENCH_PO.read_text(encoding="utf-8") == french_plural_catalogue(po_entries()), (
        "tisser/locale/fr is out of date: run `manage.py french_plurals`"
    )
    with (FRENCH_PO.parent / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    plural = [entry for entry in messages() if entry["msgid_plural"]]
    assert len(plural) > 100
    for entry in plural:
        assert compiled.ngettext(entry["msgid"], entry["msgid_plural"], 0) == entry["msgid"]
        assert (
            compiled.ngettext(entry["msgid"], entry["msgid_plural"], 2) == (entry["msgid_plural"])
        )


def test_the_home_page_speaks_english_when_asked(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.get(reverse("public:home")).content.decode()

    assert '<html lang="en">' in html
    assert "Reconnect with yourself, then with others" in html
    assert "Se reconnecter à soi, puis aux autres" not in html
    assert "Skip to content" in html


def test_the_home_page_stays_french_by_default(client, db):
    html = client.get(reverse("public:home")).content.decode()

    assert '<html lang="fr">' in html
    assert "Se reconnecter à soi, puis aux autres" in html


def test_the_metier_search_speaks_english_when_asked(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.get("/metiers/").content.decode()

    assert "Search for an occupation" in html
    assert "Rechercher un métier" not in html


def test_set_language_stores_the_choice_and_redirects(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/metiers/"})

    assert response.status_code == 302
    assert response["Location"] == "/metiers/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = client.get(response["Location"]).content.decode()
    assert "Search for an occupation" in html
