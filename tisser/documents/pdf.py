"""HTML → PDF with WeasyPrint, for the documents a bilan produces (document de synthèse,
convention, attestation de présence).

Rendering never reaches the network: the only resources a document may load are the files of
this app's `static/documents/` folder (its print stylesheet), served by `StaticOnlyFetcher`,
and the organisme's logo written inline as a base64 PNG or JPEG data: URI
(`Organisation.logo_data_uri`); any other URL is refused and WeasyPrint renders without it.
Fonts are the system's (DejaVu, Liberation), found through fontconfig, not fetched."""

import base64
import mimetypes
import re

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from tisser.documents.html import BASE_URL, STATIC_DIR, pdf_fingerprint, render_html

__all__ = ["BASE_URL", "STATIC_DIR", "html_to_pdf", "pdf_fingerprint", "render_html", "render_pdf"]


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
