"""Métier search and fiches: ROME 4.0 is public open data, so these pages are public."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render

from tisser.referentiel.fiche import fiche_load
from tisser.referentiel.models import Metier, RomeVersion
from tisser.referentiel.search import search_metiers

QUERY_MAX_LENGTH = 200


@login_not_required
def search(request):
    query = request.GET.get("q", "").strip()[:QUERY_MAX_LENGTH]
    context = {
        "query": query,
        "results": search_metiers(query) if query else [],
        "rome_version": RomeVersion.objects.current(),
    }
    if request.htmx:
        return render(request, "www/metiers/_results.html", context)
    return render(request, "www/metiers/search.html", context)


@login_not_required
def fiche(request, code_rome: str):
    try:
        fiche = fiche_load(code_rome.upper())
    except Metier.DoesNotExist:
        raise Http404 from None
    return render(request, "www/metiers/fiche.html", {"fiche": fiche})
