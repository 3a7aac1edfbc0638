"""The public pages as evidence of Qualiopi indicators 1 and 2 (ADR 0038): on the indicator
map, whether each page is published, since when, and its address; in the auditor's export,
each published page as a PDF, as it reads on the export's day."""

from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tisser.core.dates import french_date
from tisser.documents.pdf import render_pdf
from tisser.quality.evidence import EvidenceLine, ExportFile, Span, register
from tisser.quality.models import PublicOffer
from tisser.quality.public_results import public_results


def public_pages_lines(organisation, span: Span) -> list[EvidenceLine]:
    """Two lines, one query: each page published (since when, its address) or not."""
    offer = PublicOffer.objects.filter(organisation=organisation).first()
    edit = reverse("quality:publication")
    lines = []
    for published, since, name, url_name in (
        (
            offer is not None and offer.offer_published,
            offer.offer_published_at if offer else None,
            _("La page publique de l'offre"),
            "quality_public:offer",
        ),
        (
            offer is not None and offer.results_published,
            offer.results_published_at if offer else None,
            _("La page publique des résultats"),
            "quality_public:results",
        ),
    ):
        if published and since is not None:
            url = reverse(url_name, kwargs={"slug": organisation.slug})
            lines.append(
                EvidenceLine(
                    _("%(page)s est publiée depuis le %(date)s : %(url)s")
                    % {
                        "page": name,
                        "date": french_date(timezone.localtime(since), "j F Y"),
                        "url": url,
                    },
                    url,
                )
            )
        else:
            lines.append(EvidenceLine(_("%(page)s n'est pas publiée.") % {"page": name}, edit))
    return lines


def public_pages_files(organisation, span: Span) -> Iterator[ExportFile]:
    """Each published page as a PDF, as it reads on the export's day."""
    offer = (
        PublicOffer.objects.select_related("organisation").filter(organisation=organisation).first()
    )
    if offer is None:
        return
    now = timezone.now()
    day = timezone.localdate(now)
    if offer.offer_published:
        url = reverse("quality_public:offer", kwargs={"slug": organisation.slug})
        yield ExportFile(
            f"pages-publiques/{day:%Y-%m-%d}-offre.pdf",
            render_pdf(
                template_name="documents/quality_public_offer.html",
                context={
                    "organisation": offer.organisation,
                    "offer": offer,
                    "document_title": _("Le bilan de compétences : notre offre"),
                    "issued_at": now,
                    "public_url": url,
                },
            ),
        )
    if offer.results_published:
        url = reverse("quality_public:results", kwargs={"slug": organisation.slug})
        yield ExportFile(
            f"pages-publiques/{day:%Y-%m-%d}-resultats.pdf",
            render_pdf(
                template_name="documents/quality_public_results.html",
                context={
                    "organisation": offer.organisation,
                    "results": public_results(offer.organisation, now=now),
                    "document_title": _("Nos résultats"),
                    "issued_at": now,
                    "public_url": url,
                },
            ),
        )


register("public_pages", indicators=(1, 2), lines=public_pages_lines, files=public_pages_files)
