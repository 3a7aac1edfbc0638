"""French typography everywhere, by one mechanism (ADR 0027): elision through |de, |que and
tisser.core.french, dates through french_date / |date_fr, real plurals (no « (s) »).

The scans read the sources; the page tests render what a person reads: pages of the demo
organisme for each role, a PDF and an e-mail."""

import ast
import re
from collections import deque
from datetime import date
from functools import cache
from html.parser import HTMLParser
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from tests.bilans.helpers import open_bilan
from tests.factories import member, totp_activate
from tisser.accounts.models import Membership, User
from tisser.bilans.notices import convention_deadline_content
from tisser.core.enums import Role
from tisser.core.french import elides
from tisser.notifications.models import Channel

ROOT = Path(settings.BASE_DIR) / "tisser"
TEMPLATES = ROOT / "templates"

# « entretien(s) », « réalisé(e)s », « un(e) »: the pseudo-plurals and pseudo-feminines.
PSEUDO_FORM = re.compile(r"[a-zàâçéèêëîïôûùüÿœ]\((s|e|es|x|ne|le|nes|les)\)", re.IGNORECASE)
COMMENTS = re.compile(r"\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.DOTALL)
# A variable holding a name or a word, written after « de » or « que » without |de / |que.
NAME_VARIABLE = (
    r"(\w*name|email|organi[sz]ation|organisme|mentee|mentor|person|beneficiary|consultant"
    r"|job|metier|user|other|company|inviter)"
)
UNELIDED = re.compile(
    r"\b(de|que)\s+(\{\{\s*" + NAME_VARIABLE + r"\b[^}]*\}\}|%\(" + NAME_VARIABLE + r"\)s)",
    re.IGNORECASE,
)
# Only machine formats may skip french_date: ISO dates and times, for datetime="" attributes.
MACHINE_DATE = re.compile(r"""\|date:["'](c|Y-m-d|U|Y-m-d\\TH:i|Y-m-d H:i)["']""")


def python_sources(root):
    """The project's Python files, without the `x.html.py` copies that `makemessages` (run
    by tests/test_i18n.py, maybe at the same time on another worker) writes for a moment."""
    return sorted(path for path in root.rglob("*.py") if path.name.count(".") == 1)


def template_sources():
    for path in sorted(TEMPLATES.rglob("*")):
        if path.suffix in (".html", ".txt"):
            yield path, COMMENTS.sub("", path.read_text(encoding="utf-8"))


@cache
def python_strings() -> tuple[tuple[str, str], ...]:
    """Every string constant of the app's code that is not a docstring, with its place."""
    return tuple(_python_strings())


def _python_strings():
    for path in python_sources(ROOT):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
            ):
                yield f"{path.relative_to(ROOT)}:{node.lineno}", node.value


# -- the sources ------------------------------------------------------------------------------


def test_no_template_writes_a_pseudo_plural():
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path, text in template_sources()
        for match in PSEUDO_FORM.finditer(text)
    ]
    assert found == [], "use {% blocktranslate count %} or ngettext"


def test_no_python_string_writes_a_pseudo_plural():
    found = [
        f"{where}: {text[:60]}" for where, text in python_strings() if PSEUDO_FORM.search(text)
    ]
    assert found == [], "use ngettext"


def test_every_name_after_de_or_que_goes_through_the_elision():
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path, text in template_sources()
        for match in UNELIDED.finditer(text)
    ]
    found += [
        f"{where}: {match.group(0)}"
        for where, text in python_strings()
        for match in UNELIDED.finditer(text)
    ]
    assert found == [], "pass de_name = de(name) (|de in a template): « d'Amandine »"


def test_dates_for_people_go_through_french_date():
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path, text in template_sources()
        for match in re.finditer(r"""\|date:["'][^"']*["']""", text)
        if not MACHINE_DATE.fullmatch(match.group(0))
    ]
    for path in python_sources(ROOT):
        text = path.read_text(encoding="utf-8")
        if path.name == "dates.py" and path.parent.name == "core":
            continue
        found += [
            f"{path.relative_to(ROOT)}: {match.group(0)}"
            for match in re.finditer(r"import date_format|strftime\([^)]*(%d/|%[bBaA])", text)
        ]
    # The CPF export keeps the dd/mm/yyyy that EDOF's spreadsheet expects.
    assert found == ['bilans/services/cpf.py: strftime("%d/'], "use french_date / |date_fr"


# -- what people read -------------------------------------------------------------------------


class _Text(HTMLParser):
    """The text of a page as read and heard: its text nodes and its labelling attributes."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("script", "style"):
            self._hidden += 1
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        self.parts += [
            attributes[a] or "" for a in ("title", "aria-label", "alt") if a in attributes
        ]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def page_text(html: str) -> tuple[str, list[str]]:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split()), parser.links


def typography_faults(text: str, names: list[str]) -> list[str]:
    faults = [match.group(0) for match in PSEUDO_FORM.finditer(text)]
    faults += re.findall(r"\b(?:de|que) (?:" + "|".join(map(re.escape, names)) + r")\b", text)
    faults += re.findall(
        r"\b1 (?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre"
        r"|décembre)\b|\b\d{1,2} (?:jan|fév|Jan|Fév|Mar|Avr|Jui|Jul|Aoû|Sep|Déc)\b\.?",
        text,
    )
    return faults


SKIPPED = re.compile(r"logout|deconnexion|/i18n/|/static/|\.csv|\.ics|/export|/telecharger|pdf")


@pytest.mark.django_db
def test_the_demo_pages_read_as_french(client):
    """A walk through the demo organisme, as each role: no « (s) », no « de Amandine », no
    « 1 mars », no « 7 Déc »."""
    call_command("seed_demo", stdout=StringIO())
    people = User.objects.filter(email__endswith="@demo.tisser.fr")
    names = sorted({u.first_name for u in people if elides(u.first_name)} | {"Horizons"})
    assert "Amandine" in names and "Élodie" in names
    walkers = [
        Membership.objects.filter(role=role).order_by("user__email").first().user
        for role in (Role.CONSULTANT, Role.COORDINATOR, Role.BENEFICIARY, Role.MENTOR)
    ]
    faults = {}
    read = 0
    for user in walkers:
        if Membership.objects.filter(user=user, role__in=(Role.CONSULTANT, Role.COORDINATOR)):
            totp_activate(user)
        client.force_login(user)
        queue, seen = deque(["/"]), set()
        while queue and len(seen) < 10:
            url = queue.popleft()
            if url in seen:
                continue
            seen.add(url)
            response = client.get(url)
            if response.status_code in (301, 302) and response["Location"].startswith("/"):
                queue.appendleft(response["Location"])
                continue
            if response.status_code != 200 or "html" not in response["Content-Type"]:
                continue
            read += 1
            text, links = page_text(response.content.decode())
            if found := typography_faults(text, names):
                faults[f"{user.first_name} {url}"] = found
            queue += [
                link.split("#")[0]
                for link in links
                if link.startswith("/") and not SKIPPED.search(link) and "/metiers/" not in link
            ]
        client.logout()
    assert read > 25
    assert faults == {}


@pytest.fixture
def amandine(organisation):
    consultant = member(Role.CONSULTANT, organisation)
    beneficiary = member(Role.BENEFICIARY, organisation, invited_by=consultant)
    User.objects.filter(pk=beneficiary.pk).update(first_name="Amandine", last_name="Colin")
    beneficiary.refresh_from_db()
    return open_bilan(consultant, beneficiary)


def test_a_bilan_page_says_d_amandine(client, amandine):
    client.force_login(amandine.consultant)

    html = client.get(reverse("bilans:detail", args=[amandine.pk])).content.decode()

    assert "<h1>Bilan d&#x27;Amandine Colin</h1>" in html
    assert "de Amandine" not in html


def test_the_attestation_pdf_says_qu_amandine(amandine):
    from tisser.bilans.services.attestation import attestation_pdf

    content = attestation_pdf(actor=amandine.consultant, bilan=amandine)

    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages).split()
    )
    assert "atteste qu'Amandine Colin a participé" in text


def test_the_convention_e_mail_says_d_amandine_in_french_and_reads_right_in_english(amandine):
    def content():
        return convention_deadline_content(
            bilan_id=amandine.pk,
            deadline=date(2027, 3, 1),
            for_beneficiary=False,
            beneficiary_name="Amandine Colin",
            recipient=amandine.consultant,
            channel=Channel.EMAIL,
        )

    french = content()
    assert french.subject == (
        "Convention d'Amandine Colin : signature attendue au plus tard le lundi 1er mars 2027"
    )
    assert "La convention du bilan d'Amandine Colin n'est pas encore signée" in french.body

    User.objects.filter(pk=amandine.consultant.pk).update(preferred_language="en")
    amandine.consultant.refresh_from_db()
    english = content()
    assert "Amandine Colin" in english.subject
    assert "d'Amandine" not in english.subject + english.body
    with translation.override("en"):
        assert "1er" not in english.subject


def test_the_password_page_names_the_open_session_without_gender(client, amandine):
    client.force_login(amandine.beneficiary)

    text, _ = page_text(client.get(reverse("account_reset_password")).content.decode())

    assert "Remarque : une session est déjà ouverte au nom d'Amandine Colin." in text
    assert "connecté" not in text


@pytest.mark.parametrize(
    ("text", "bound"),
    [
        ("le groupe « Les Tisserands » ", "le groupe «\u00a0Les Tisserands\u00a0» "),
        ("«Tisser»", "«\u00a0Tisser\u00a0»"),
        ("«\u202fTisser\u202f»", "«\u00a0Tisser\u00a0»"),
        ("sans guillemets", "sans guillemets"),
    ],
)
def test_french_quotes_hold_what_they_quote(text, bound):
    from tisser.core.french import quotes_bound

    assert quotes_bound(text) == bound


def test_a_notification_never_wraps_a_french_quote_alone(client, people):
    # given a peer group's notice written with ordinary spaces, and a row stored before
    from django.utils import timezone

    from tisser.notifications.content import Content
    from tisser.notifications.models import Notification

    content = Content(
        subject="Préparez la rencontre du groupe « Les Tisserands »",
        body="Votre groupe « Les Tisserands » se retrouve jeudi.\n",
    )
    assert content.subject.endswith("«\u00a0Les Tisserands\u00a0»")
    assert "«\u00a0Les Tisserands\u00a0» se" in content.body
    beneficiary = people["beneficiary"]
    Notification.objects.create(
        recipient=beneficiary,
        channel=Channel.IN_APP,
        kind="peer_checkin_reminder",
        idempotency_key="typography",
        subject="Préparez la rencontre du groupe « Les Tisserands »",
        body="Votre groupe « Les Tisserands » se retrouve jeudi.",
        status=Notification.Status.SENT,
        scheduled_for=timezone.now(),
    )

    # when she reads her notifications, then each quote holds its words
    client.force_login(beneficiary)
    html = client.get(reverse("notifications:list")).content.decode()
    assert "«\u00a0Les Tisserands\u00a0»" in html
    assert "« Les Tisserands »" not in html
