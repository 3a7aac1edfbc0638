"""Content-Security-Policy and Permissions-Policy on every page (ADR 0011). The browser side
(no refusal on the site's own pages) is checked by every journey in tests/e2e."""

import re
from pathlib import Path

from django.urls import reverse

TEMPLATES = Path(__file__).resolve().parents[1] / "tisser" / "templates"
# Rendered to PDF or e-mails, never served to a browser.
NOT_SERVED = ("emails", "documents")

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
TEMPLATE_TAG = re.compile(r"{%.*?%}", re.S)
STYLE = re.compile(r"<style|\sstyle\s*=", re.I)


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())


def test_pages_forbid_inline_scripts_and_styles_and_foreign_origins(client, people):
    pages = [client.get(reverse("public:home")), client.get(reverse("account_login"))]
    client.force_login(people["coordinator"])
    pages.append(client.get(reverse("coordinator:home")))

    for response in pages:
        policy = directives(response)
        assert policy["default-src"] == "'self'"
        assert policy["script-src"] == "'self'"
        assert policy["style-src"] == "'self'"
        assert policy["object-src"] == "'none'"
        assert policy["frame-ancestors"] == "'none'"
        assert policy["img-src"] == "'self' data:"  # the QR code of the two-factor set-up
        assert "unsafe" not in response["Content-Security-Policy"]


def test_pages_deny_powerful_browser_features(client, db):
    response = client.get(reverse("public:home"))

    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in policy
    assert "clipboard-write=(self)" in policy  # the "Copier" buttons


def test_htmx_inserts_no_inline_style(client, db):
    html = client.get(reverse("public:home")).content.decode()

    assert '"includeIndicatorStyles": false' in html


def test_no_template_has_inline_script_handler_or_style():
    found = []
    for path in TEMPLATES.rglob("*.html"):
        if path.relative_to(TEMPLATES).parts[0] in NOT_SERVED:
            continue
        # Template tags go first: `{% include … with style="button" %}` is no attribute.
        text = TEMPLATE_TAG.sub("", path.read_text(encoding="utf-8"))
        for pattern in (INLINE_SCRIPT, HANDLER, STYLE):
            found += [
                f"{path.relative_to(TEMPLATES)}: {m.group(0)}" for m in pattern.finditer(text)
            ]

    assert found == []
