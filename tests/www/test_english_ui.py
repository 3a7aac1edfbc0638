"""The English interface (ADR 0028): headings translated per request, not at import; dates
without a French « à »; the language chosen before signing in kept after; the French ROME
texts marked lang="fr". And the accessibility statement says what is true."""

import ast
from datetime import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import pgettext

from tests.factories import PASSWORD, member
from tests.fixtures.rome_fixture import FIXTURE
from tisser.core.dates import french_date
from tisser.core.enums import Role
from tisser.www.bilans.investigation_views import PREFERENCE_GROUPS

TISSER = Path(settings.BASE_DIR) / "tisser"
EAGER = {"gettext", "ngettext", "pgettext", "npgettext"}


def _import_time_translations(path: Path) -> list[int]:
    """Lines where a module calls an eager gettext outside any function: translated once,
    in the language active at import, for every later request."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {
        alias.asname or alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
        for alias in node.names
        if alias.name in EAGER
    }
    found = []

    def walk(node, in_function):
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(
                child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
            )
            if (
                not inside
                and isinstance(child, ast.Call)
                and isinstance(child.func, ast.Name)
                and child.func.id in names
            ):
                found.append(child.lineno)
            walk(child, inside)

    if names:
        walk(tree, False)
    return found


def test_nothing_is_translated_at_import_time():
    found = {
        str(path.relative_to(TISSER)): lines
        for path in TISSER.rglob("*.py")
        # not the `x.html.py` copies makemessages writes for a moment (tests/test_i18n.py)
        if path.name.count(".") == 1
        and "migrations" not in path.parts
        and (lines := _import_time_translations(path))
    }

    assert found == {}


def test_the_portfolio_headings_are_translated_for_each_request():
    assert all(isinstance(title, Promise) for _preference, _slug, title in PREFERENCE_GROUPS)
    with translation.override("en"):
        assert [str(title) for *_rest, title in PREFERENCE_GROUPS] == [
            "What I want to use",
            "What I do because I have to",
            "Neither",
        ]


def test_english_dates_say_at_not_a():
    moment = datetime(2026, 12, 7, 14, 30)
    with translation.override("en"):
        english = french_date(moment, pgettext("date format", "l j F Y à H:i"))
    with translation.override("fr"):
        french = french_date(moment, pgettext("date format", "l j F Y à H:i"))

    assert english == "Monday 7 December 2026 at 14:30"
    assert french == "lundi 7 décembre 2026 à 14:30"


def test_the_language_chosen_before_signing_in_is_kept_after(client, db):
    person = member(Role.BENEFICIARY)
    assert person.preferred_language == "fr"

    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    person.refresh_from_db()
    assert person.preferred_language == "en"
    assert '<html lang="en">' in client.get(reverse("account:profile")).content.decode()


def test_without_a_choice_the_account_language_applies_at_sign_in(client, db):
    person = member(Role.BENEFICIARY)
    person.preferred_language = "en"
    person.save(update_fields=["preferred_language"])

    response = client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_a_signed_in_persons_choice_is_kept_on_their_account(client, db):
    person = member(Role.BENEFICIARY)
    client.force_login(person)

    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    person.refresh_from_db()
    assert person.preferred_language == "en"


def test_an_unknown_language_changes_nothing(client, db):
    person = member(Role.BENEFICIARY)
    client.force_login(person)

    client.post(reverse("set_language"), {"language": "xx", "next": "/"})

    person.refresh_from_db()
    assert person.preferred_language == "fr"


@pytest.fixture
def rome(db):
    call_command("import_rome", str(FIXTURE), verbosity=0)


def test_the_french_rome_texts_are_marked_french_in_the_english_interface(client, rome):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    fiche = client.get(reverse("metiers:fiche", args=["d1901"])).content.decode()
    results = client.get(reverse("metiers:search"), {"q": "boulangere"}).content.decode()

    assert '<html lang="en">' in fiche
    assert '<h1><span lang="fr">Fournier / Fournière de quartier</span></h1>' in fiche
    assert '<span lang="fr">Fournier / Fournière de quartier</span>' in results


def test_the_accessibility_statement_says_non_conforme_with_its_date_and_contact(client, db):
    person = member(Role.BENEFICIARY)
    organisation = person.memberships.get().organisation
    organisation.disability_referent_name = "Inès Roux"
    organisation.disability_referent_email = "handicap@horizons.example"
    organisation.save()
    client.force_login(person)

    html = client.get(reverse("public:accessibility")).content.decode()

    assert "non conforme" in html and "partiellement conforme" not in html
    assert "Aucun audit de conformité au RGAA" in html
    assert "axe-core" in html
    assert '<time datetime="2026-12-07">7 décembre 2026</time>' in html
    assert "mailto:handicap@horizons.example" in html and "Inès Roux" in html
    assert "Accessibilité : non conforme" in html


def test_without_a_referent_the_statement_says_whom_to_write_to(client, db):
    html = client.get(reverse("public:accessibility")).content.decode()

    assert "écrivez à votre organisme" in html
    assert "Défenseur des droits" in html
