"""The organisme's public pages (Qualiopi indicators 1 and 2, ADR 0038), reachable without an
account: its offer and its results, each only once the coordinator published it; an unknown
organisme or an unpublished page answers 404, the same page whichever it is."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from tisser.quality.public_results import public_results
from tisser.quality.services.public import PublicPage, published_offer


def offer_context(offer, *, results_published: bool) -> dict:
    organisation = offer.organisation
    return {
        "offer": offer,
        "organisation": organisation,
        "results_url": (
            reverse("quality_public:results", kwargs={"slug": organisation.slug})
            if results_published
            else ""
        ),
    }


def results_context(offer) -> dict:
    organisation = offer.organisation
    return {
        "offer": offer,
        "organisation": organisation,
        "results": public_results(organisation),
        "offer_url": (
            reverse("quality_public:offer", kwargs={"slug": organisation.slug})
            if offer.offer_published
            else ""
        ),
    }


@login_not_required
@require_GET
def offer(request, slug: str):
    found = published_offer(slug, PublicPage.OFFER)
    if found is None:
        raise Http404
    context = offer_context(found, results_published=found.results_published)
    return render(request, "www/quality/public/offer.html", context)


@login_not_required
@require_GET
def results(request, slug: str):
    found = published_offer(slug, PublicPage.RESULTS)
    if found is None:
        raise Http404
    return render(request, "www/quality/public/results.html", results_context(found))
