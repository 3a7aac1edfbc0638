"""A document's HTML and its fingerprint, without WeasyPrint (which takes seconds to load):
pages that only ask whether a kept PDF is current use these (ADR 0030)."""

import hashlib
from importlib.metadata import version
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation

# An origin of our own that never resolves (.invalid is reserved, RFC 2606): documents link to
# their stylesheet under it, and only `StaticOnlyFetcher` knows what it holds.
BASE_URL = "https://documents.tisser.invalid/static/documents/"
STATIC_DIR = (Path(__file__).resolve().parent / "static" / "documents").resolve()


def render_html(*, template_name: str, context: dict) -> str:
    """The document's HTML, in French (the language of the documents), `base_url` given to
    the template so that it can link its stylesheet."""
    with translation.override("fr"):
        return render_to_string(template_name, {**context, "documents_base_url": BASE_URL})


def _renderer_digest() -> bytes:
    digest = hashlib.sha256(version("weasyprint").encode())
    for path in sorted(STATIC_DIR.rglob("*")):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.digest()


_RENDERER: list[bytes] = []


def pdf_fingerprint(html: str) -> str:
    """What a PDF rendered from `html` depends on, as a SHA-256: the HTML (every text
    printed, the organisme's identity and its logo, written inline), the files it may load
    (the print stylesheet) and WeasyPrint's version. Two equal fingerprints give the same
    document."""
    if not _RENDERER:
        _RENDERER.append(_renderer_digest())
    return hashlib.sha256(_RENDERER[0] + html.encode()).hexdigest()
