"""A bilan's PDFs served from their last rendering while what they print is unchanged
(ADR 0030). The HTML is rendered on every download (a few queries and a template), its
fingerprint compared with that of the kept PDF: equal, the kept bytes are served; different
(an attendance recorded, a convention amended, the organisme's identity or logo changed,
another day printed), the PDF is rendered again and kept in place of the old one."""

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from tisser.bilans.models import Bilan, RenderedPdf
from tisser.documents.html import pdf_fingerprint, render_html


def bilan_pdf(
    *,
    bilan: Bilan,
    kind: RenderedPdf.Kind,
    template_name: str,
    context: dict,
    issue: dict | None = None,
) -> bytes:
    """The PDF of `template_name` for `bilan`, from `context`. `issue` holds the values that
    say when the document is made (a time of day printed under the date): they are left out
    of the fingerprint, which `context` gives (with the day), and printed as the PDF is
    rendered, so a PDF kept that day says when it was made. The caller checks who asks."""
    html = render_html(template_name=template_name, context=context)
    fingerprint = pdf_fingerprint(html)
    kept = (
        RenderedPdf.objects.filter(bilan=bilan, kind=kind, fingerprint=fingerprint)
        .values_list("content", flat=True)
        .first()
    )
    if kept is not None:
        return bytes(kept)
    if issue:
        html = render_html(template_name=template_name, context={**context, **issue})
    # Imported here: WeasyPrint takes seconds to load, paid only by whoever renders a PDF.
    from tisser.documents.pdf import html_to_pdf

    content = html_to_pdf(html)
    try:
        with transaction.atomic():
            RenderedPdf.objects.update_or_create(
                bilan=bilan,
                kind=kind,
                defaults={
                    "fingerprint": fingerprint,
                    "content": content,
                    "rendered_at": timezone.now(),
                },
            )
    except IntegrityError:
        pass  # rendered at the same moment by another request: theirs is as good
    return content


def bilan_pdf_filename(*, kind: str, bilan: Bilan, on: date | datetime | None = None) -> str:
    """The name every PDF of a bilan is downloaded under: what it is, whose bilan it is and
    the document's own date, e.g. `synthese-camille-roussel-2026-12-07.pdf`. `on` is that
    date (a synthèse's validation); by default the day it is issued, which is today. The
    bilan's beneficiary must be loaded, or it costs a query."""
    beneficiary = bilan.beneficiary
    person = slugify(beneficiary.get_full_name()) or f"bilan-{bilan.pk}"
    if on is None:
        on = timezone.localdate()
    elif isinstance(on, datetime):
        on = timezone.localdate(on)
    return f"{kind}-{person}-{on:%Y-%m-%d}.pdf"
