"""HTML → PDF with WeasyPrint, for the documents a bilan produces (document de synthèse,
convention, attestation de présence).

Rendering never reaches the network: the only resources a document may load are the files of
this app's `static/documents/` folder (its print stylesheet), served by `StaticOnlyFetcher`,
and the organisme's logo written inline as a base64 PNG or JPEG data: URI
(`Organisation.logo_data_uri`); any other URL is refused and WeasyPrint renders without it.
Fonts are the system's (DejaVu, Liberation), found through fontconfig, not fetched."""

import base64
import hashlib
import mimetypes
import re
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint import __version__ as WEASYPRINT_VERSION
from weasyprint.urls import URLFetcher, URLFetcherResponse

# An origin of our own that never resolves (.invalid is reserved, RFC 2606): documents link to
# their stylesheet under it, and only `StaticOnlyFetcher` knows what it holds.
BASE_URL = "https://documents.tisser.invalid/static/documents/"
STATIC_DIR = (Path(__file__).resolve().parent / "static" / "documents").resolve()


# The only data: URIs a document may hold: the organisme's logo, as the identity page saved
# it (PNG or JPEG checked by Pillow, tisser.accounts.identity.logo_check).
DATA_IMAGE = re.compile(r"data:(image/png|image/jpeg);base64,([A-Za-z0-9+/=]+)", re.ASCII)


class StaticOnlyFetcher(URLFetcher):
    """Serves the files under `STATIC_DIR` for URLs under `BASE_URL` and inline PNG or
    JPEG images (the logo), refuses everything else (no HTTP, no file:// outside the
    folder, no other data: URI)."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            match = DATA_IMAGE.fullmatch(url)
            if match is None:
                raise ValueError("refused: documents inline PNG or JPEG images only")
            content = base64.b64decode(match.group(2), validate=True)
            return URLFetcherResponse(url, content, {"Content-Type": match.group(1)})
        if not url.startswith(BASE_URL):
            raise ValueError(f"refused: documents load their own static files only ({url})")
        relative = url.removeprefix(BASE_URL).split("?", 1)[0].split("#", 1)[0]
        path = (STATIC_DIR / relative).resolve()
        if STATIC_DIR not in path.parents or not path.is_file():
            raise ValueError(f"refused: not a document static file ({url})")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def render_html(*, template_name: str, context: dict) -> str:
    """The document's HTML, in French (the language of the documents), `base_url` given to
    the template so that it can link its stylesheet."""
    with translation.override("fr"):
        return render_to_string(template_name, {**context, "documents_base_url": BASE_URL})


def render_pdf(*, template_name: str, context: dict) -> bytes:
    """Render `template_name` (a template under `templates/documents/`, extending
    `documents/base.html`) to PDF bytes. The template sets the PDF metadata: `<title>`,
    `<meta name="author">` (the organisation) and `<html lang="fr">`."""
    return html_to_pdf(render_html(template_name=template_name, context=context))


def html_to_pdf(html: str) -> bytes:
    """The PDF of a document's HTML (`render_html`): the costly part, a few hundred
    milliseconds of WeasyPrint."""
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher())
    return document.write_pdf()


def _renderer_digest() -> bytes:
    digest = hashlib.sha256(WEASYPRINT_VERSION.encode())
    for path in sorted(STATIC_DIR.rglob("*")):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.digest()


def pdf_fingerprint(html: str) -> str:
    """What a PDF rendered from `html` depends on, as a SHA-256: the HTML (every text
    printed, the organisme's identity and its logo, written inline), the files it may load
    (the print stylesheet) and WeasyPrint's version. Two equal fingerprints give the same
    document."""
    global _RENDERER
    if _RENDERER is None:
        _RENDERER = _renderer_digest()
    return hashlib.sha256(_RENDERER + html.encode()).hexdigest()


_RENDERER: bytes | None = None
