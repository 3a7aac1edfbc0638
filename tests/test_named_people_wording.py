"""A named person is never given an inclusive-dot role noun or participle (ADR 0027,
« Gender »): « Claire Morel, conseiller·ère bilan » or « Hugo Lambert est prévenu·e » reads as
if the app did not know who Claire or Hugo is. Sentences about a named person are worded
without a gendered word (« Un message prévient Hugo Lambert. », « Claire Morel —
accompagnement du bilan de compétences »); generic mentions without a name keep the
inclusive forms."""

import re
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.bilans.helpers import open_bilan
from tests.factories import member
from tests.test_french_typography import (
    NAME_VARIABLE,
    TEMPLATES,
    python_strings,
    template_sources,
)
from tisser.accounts.models import User
from tisser.core.enums import Role

LETTER = r"[\wàâçéèêëîïôûùüÿœ]"
# « conseiller·ère », « prévenu·e », « un·e »: a word with an inclusive dot.
INCLUSIVE = LETTER + r"+·" + LETTER + r"+"
# Little words that may sit between a name and the role noun given to it.
LINKS = r"(?:(?:votre|mon|ma|son|sa|le|la|ou|une?|est|en|qui|désormais)\s+)*"
SEPARATORS = r"[\s,:—–-]*"


def _around(name: str) -> re.Pattern:
    after = name + SEPARATORS + LINKS + INCLUSIVE
    before = INCLUSIVE + r"(?:\s+(?:" + INCLUSIVE + r"|bilan))?" + SEPARATORS + name
    return re.compile(f"{after}|{before}", re.IGNORECASE)


IN_TEMPLATE = _around(r"\{\{\s*(?:\w+\.)*" + NAME_VARIABLE + r"\b[^}]*\}\}")
TRANSLATED = re.compile(r"""\{%\s*translate\s+"([^"]*)"[^%]*%\}""")
TEMPLATE_TAG = re.compile(r"\{%.*?%\}", re.DOTALL)
HTML_TAG = re.compile(r"<[^>]*>")


def as_read(text: str) -> str:
    """The template's words as they sit side by side once rendered: « {% translate "X" %} »
    becomes X and HTML tags go, so a label in a <dt> meets the name in the <dd> after it;
    any other template tag (« if », « for », « blocktranslate ») keeps them apart."""
    text = TRANSLATED.sub(lambda match: match.group(1), text)
    return HTML_TAG.sub(" ", TEMPLATE_TAG.sub(" ¶ ", text))


IN_PYTHON = _around(r"%\(" + NAME_VARIABLE + r"\)s")


@pytest.mark.parametrize(
    "text",
    [
        "{{ name }}, conseiller·ère bilan",
        "Conseiller·ère bilan {{ bilan.consultant.get_full_name }}",
        "Consultant·e référent·e : {{ name }}",
        "Votre conseiller·ère {{ consultant }}",
    ],
)
def test_the_template_pattern_finds_a_role_noun_glued_to_a_name(text):
    assert IN_TEMPLATE.search(text)


def test_a_label_meets_the_name_it_introduces():
    html = """<dt>{% translate "Conseiller·ère bilan" %}</dt>
        <dd>
            {{ bilan.consultant.get_full_name|default:bilan.consultant.email }}
        </dd>"""
    assert IN_TEMPLATE.search(as_read(html))


@pytest.mark.parametrize(
    "text",
    [
        "%(consultant)s est désormais le ou la consultant·e référent·e %(de_name)s.",
        "Le mentorat est en pause ; %(name)s est prévenu·e.",
        "%(name)s en est prévenu·e.",
        "%(name)s, votre conseiller·ère, vous présente",
    ],
)
def test_the_python_pattern_finds_a_gendered_word_after_a_name(text):
    assert IN_PYTHON.search(text)


def test_the_patterns_leave_generic_mentions_and_neutral_wording_alone():
    assert not IN_TEMPLATE.search("Votre conseiller·ère vous propose un entretien le {{ when }}")
    assert not IN_PYTHON.search("Le mentorat est en pause ; un message prévient %(name)s.")
    assert not IN_PYTHON.search("Participant·es : %(names)s")


def test_no_template_glues_an_inclusive_role_noun_to_a_name():
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path, text in template_sources()
        for match in IN_TEMPLATE.finditer(as_read(text))
    ]
    assert found == [], "word it without a gendered noun: « Claire Morel, qui vous accompagne »"


def test_no_python_string_glues_an_inclusive_word_to_a_name():
    found = [
        f"{where}: {match.group(0)}"
        for where, text in python_strings()
        for match in IN_PYTHON.finditer(text)
    ]
    assert found == [], "word it without a gendered word: « Un message prévient %(name)s. »"


@pytest.fixture
def bilan(organisation):
    consultant = member(Role.CONSULTANT, organisation)
    User.objects.filter(pk=consultant.pk).update(first_name="Claire", last_name="Morel")
    consultant.refresh_from_db()
    beneficiary = member(Role.BENEFICIARY, organisation, invited_by=consultant)
    return open_bilan(consultant, beneficiary)


def test_the_attestation_pdf_signs_without_an_inclusive_dot(bilan):
    from tisser.bilans.services.attestation import attestation_pdf

    content = attestation_pdf(actor=bilan.consultant, bilan=bilan)

    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages).split()
    )
    assert "Claire Morel — accompagnement du bilan de compétences" in text
    assert "·" not in text


def test_signing_out_says_so_without_a_gendered_participle(client, bilan):
    client.force_login(bilan.beneficiary)

    response = client.post(reverse("account_logout"), follow=True)

    page = response.content.decode()
    assert "Votre session est fermée." in page
    assert "déconnecté" not in page
