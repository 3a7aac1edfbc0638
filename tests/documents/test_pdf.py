import logging

import pytest

from tests.documents.pdf_helpers import pdf_info
from tests.factories import OrganisationFactory
from tisser.documents.pdf import BASE_URL, StaticOnlyFetcher, render_html, render_pdf


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Horizons Bilans Occitanie")


def test_a_document_gets_its_title_author_and_language(organisation):
    pdf = render_pdf(
        template_name="documents/base.html",
        context={"organisation": organisation, "document_title": "Document d'essai — été"},
    )

    assert pdf.startswith(b"%PDF-")
    assert pdf_info(pdf, "Title") == "Document d'essai — été"
    assert pdf_info(pdf, "Author") == "Horizons Bilans Occitanie"
    assert pdf_info(pdf, "Lang") == "fr"


def test_the_print_stylesheet_loads_without_the_network(organisation, caplog):
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        render_pdf(
            template_name="documents/base.html",
            context={"organisation": organisation, "document_title": "Essai"},
        )
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_the_html_links_the_documents_stylesheet(organisation):
    html = render_html(
        template_name="documents/base.html",
        context={"organisation": organisation, "document_title": "Essai"},
    )
    assert f'href="{BASE_URL}print.css"' in html


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/tracker.png",
        "http://127.0.0.1:8000/static/css/tisser.css",
        "file:///etc/passwd",
        BASE_URL + "../../../../etc/passwd",
        BASE_URL + "absent.css",
    ],
)
def test_the_fetcher_serves_nothing_but_the_documents_static_files(url):
    with pytest.raises(ValueError):
        StaticOnlyFetcher().fetch(url)


def test_the_fetcher_serves_the_print_stylesheet():
    response = StaticOnlyFetcher().fetch(BASE_URL + "print.css")
    assert response.content_type == "text/css"
    assert b"counter(pages)" in response.read()
