"""The one pagination component keeps a list's filters and changes only the page."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory


def test_the_page_links_keep_the_filters_and_change_only_the_page(db):
    request = RequestFactory().get("/liste/", {"q": "Roux", "phase": "investigation", "page": 2})
    page_obj = Paginator(list(range(60)), 25).page(2)

    html = render_to_string(
        "components/pagination.html", {"page_obj": page_obj, "label": "Pages"}, request=request
    )

    assert 'href="?q=Roux&amp;phase=investigation&amp;page=1" rel="prev"' in html
    assert 'href="?q=Roux&amp;phase=investigation&amp;page=3" rel="next"' in html
    assert "Page 2 sur 3" in html
    assert "Page précédente" in html and "Page suivante" in html


def test_a_single_page_needs_no_links(db):
    request = RequestFactory().get("/liste/")
    page_obj = Paginator([1, 2], 25).page(1)

    html = render_to_string(
        "components/pagination.html", {"page_obj": page_obj, "label": "Pages"}, request=request
    )

    assert "pagination" not in html


def test_a_second_list_turns_its_own_pages_and_leads_back_to_itself(db):
    request = RequestFactory().get("/conseiller/", {"tri": "nom", "page": 3})
    page_obj = Paginator(list(range(60)), 25).page(2)

    html = render_to_string(
        "components/pagination.html",
        {"page_obj": page_obj, "label": "Pages", "page_param": "inscrits", "anchor": "people"},
        request=request,
    )

    assert 'href="?tri=nom&amp;page=3&amp;inscrits=1#people" rel="prev"' in html
    assert 'href="?tri=nom&amp;page=3&amp;inscrits=3#people" rel="next"' in html
