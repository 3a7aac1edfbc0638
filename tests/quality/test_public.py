"""The public offer and results pages (Qualiopi indicators 1 and 2, ADR 0038): the services,
the pages (published, unpublished, unknown), the small-numbers rule on the results, the cache
and the query count, the evidence provider and the demo."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.bilans.helpers import closed_bilan, open_bilan
from tests.bilans.test_stats import answered, beneficiaries
from tests.factories import member
from tisser.bilans.models import Bilan, Outcome
from tisser.core.enums import Role
from tisser.core.errors import StaleVersion
from tisser.quality.evidence import Span, providers_of
from tisser.quality.models import PublicOffer
from tisser.quality.public_defaults import DEFAULTS
from tisser.quality.public_evidence import public_pages_files, public_pages_lines
from tisser.quality.public_results import public_results, public_results_compute
from tisser.quality.services.public import (
    PublicPage,
    public_offer_of,
    public_offer_save,
    public_page_publish,
)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def coordinator(people):
    return people["coordinator"]


def publish(coordinator, organisation, *pages):
    offer = public_offer_of(organisation)
    for page in pages:
        offer = public_page_publish(
            coordinator=coordinator,
            organisation=organisation,
            page=page,
            published=True,
            expected_version=offer.version,
        )
    return offer


# --- Services ------------------------------------------------------------------------------


def test_the_first_draft_is_written_from_the_bilans_rules(organisation):
    offer = public_offer_of(organisation)

    assert offer.pk is None and offer.version == 0
    assert offer.duration_hours == 24
    assert "R6313-4" in offer.duration_details
    assert "phase préliminaire" in offer.duration_details
    assert "document de synthèse" in offer.evaluation


def test_saving_the_offer_creates_it_then_takes_its_version(coordinator, organisation):
    values = {**DEFAULTS, "price_amount": Decimal("1500"), "contacts": "Écrivez-nous."}
    offer = public_offer_save(
        coordinator=coordinator, organisation=organisation, values=values, expected_version=0
    )
    assert offer.version == 1 and offer.contacts == "Écrivez-nous."

    offer = public_offer_save(
        coordinator=coordinator,
        organisation=organisation,
        values={**values, "contacts": "Appelez-nous."},
        expected_version=1,
    )
    assert PublicOffer.objects.get().contacts == "Appelez-nous."
    assert offer.version == 2

    with pytest.raises(StaleVersion) as stale:
        public_offer_save(
            coordinator=coordinator, organisation=organisation, values=values, expected_version=1
        )
    assert stale.value.version == 2
    # A second first save (two tabs on a fresh page) is a conflict too, not a second offer.
    with pytest.raises(StaleVersion):
        public_offer_save(
            coordinator=coordinator, organisation=organisation, values=values, expected_version=0
        )
    assert PublicOffer.objects.count() == 1


def test_a_duration_over_24_hours_or_a_missing_item_is_refused(coordinator, organisation):
    with pytest.raises(ValidationError) as error:
        public_offer_save(
            coordinator=coordinator,
            organisation=organisation,
            values={**DEFAULTS, "duration_hours": 30, "contacts": " "},
            expected_version=0,
        )
    assert set(error.value.message_dict) == {"duration_hours", "contacts"}
    assert not PublicOffer.objects.exists()


def test_only_its_coordinator_edits_or_publishes_the_offer(people, organisation):
    for user in (people["consultant"], people["beneficiary"], member(Role.COORDINATOR)):
        with pytest.raises(PermissionDenied):
            public_offer_save(
                coordinator=user, organisation=organisation, values=DEFAULTS, expected_version=0
            )
        with pytest.raises(PermissionDenied):
            public_page_publish(
                coordinator=user,
                organisation=organisation,
                page=PublicPage.OFFER,
                published=True,
                expected_version=0,
            )


def test_publishing_dates_each_page_and_withdrawing_clears_it(coordinator, organisation):
    offer = publish(coordinator, organisation, PublicPage.OFFER)
    assert offer.offer_published and offer.offer_published_at is not None
    assert not offer.results_published

    offer = public_page_publish(
        coordinator=coordinator,
        organisation=organisation,
        page=PublicPage.OFFER,
        published=False,
        expected_version=offer.version,
    )
    saved = PublicOffer.objects.get()
    assert not saved.offer_published and saved.offer_published_at is None


# --- Pages ---------------------------------------------------------------------------------


def test_the_offer_page_once_published_shows_the_offer_and_the_identity(
    client, coordinator, organisation
):
    PublicOffer.objects.all().delete()
    organisation.nda = "76311234531"
    organisation.qualiopi_number = "QUAL-2026-001"
    organisation.qualiopi_bilan_category = True
    organisation.disability_referent_name = "Sami Roux"
    organisation.disability_referent_email = "handicap@example.org"
    organisation.save()
    url = reverse("quality_public:offer", kwargs={"slug": organisation.slug})

    assert client.get(url).status_code == 404
    publish(coordinator, organisation, PublicPage.OFFER)
    response = client.get(url)

    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        "76311234531",
        "QUAL-2026-001",
        "Sami Roux",
        "handicap@example.org",
        "Mis à jour le",
    ):
        assert text in html
    assert "24 heures au plus" in html
    assert "main-nav" not in html  # no navigation of the application
    # The results are not published: no link to them, and their page is 404.
    assert reverse("quality_public:results", kwargs={"slug": organisation.slug}) not in html
    assert (
        client.get(
            reverse("quality_public:results", kwargs={"slug": organisation.slug})
        ).status_code
        == 404
    )


def test_an_unknown_organisme_is_404(client, db):
    for name in ("offer", "results"):
        assert (
            client.get(reverse(f"quality_public:{name}", kwargs={"slug": "inconnu"})).status_code
            == 404
        )


def test_the_coordinator_publishes_after_a_confirmation(client, coordinator, organisation):
    client.force_login(coordinator)
    url = reverse("quality:publication_publish")
    data = {"page": "results", "published": "1", "version": "0"}

    asked = client.post(url, data)
    assert asked.status_code == 200
    assert "Publier la page des résultats ?" in asked.content.decode()
    assert not PublicOffer.objects.exists()

    done = client.post(url, {**data, "confirmed": "oui"})
    assert done.status_code == 302
    assert PublicOffer.objects.get().results_published


def test_the_coordinator_page_keeps_what_was_typed_on_a_bad_duration(client, coordinator):
    client.force_login(coordinator)
    data = {
        **{k: ("on" if v is True else "" if v in (None, False) else v) for k, v in DEFAULTS.items()}
    }
    data.update({"duration_hours": "36", "objectives": "Mes objectifs à moi", "version": "0"})

    response = client.post(reverse("quality:publication"), data)

    html = response.content.decode()
    assert response.status_code == 400
    assert "24 heures au plus" in html
    assert "Mes objectifs à moi" in html
    assert not PublicOffer.objects.exists()


def test_the_preview_shows_an_unpublished_page_to_the_coordinator(client, coordinator):
    client.force_login(coordinator)
    for page in ("offre", "resultats"):
        response = client.get(reverse("quality:publication_preview", kwargs={"page": page}))
        assert response.status_code == 200
        assert "Aperçu" in response.content.decode()


# --- Results: small numbers, cache, queries -------------------------------------------------


def ended(organisation, consultant, count, *, outcome=Outcome.COMPLETED, satisfied=False):
    done = []
    for person in beneficiaries(organisation, consultant, count):
        bilan = closed_bilan(consultant, person)
        if outcome != Outcome.COMPLETED:
            Bilan.objects.filter(pk=bilan.pk).update(outcome=outcome)
        if satisfied:
            answered(bilan, value=4, recommendation=9)
        done.append(bilan)
    return done


def test_under_five_people_every_figure_is_withheld_and_says_so(
    client, people, coordinator, organisation
):
    consultant = people["consultant"]
    ended(organisation, consultant, 4, satisfied=True)
    publish(coordinator, organisation, PublicPage.RESULTS)

    results = public_results(organisation)
    assert results.started is None and results.ended is None
    assert results.completion_rate is None
    assert not results.satisfaction_shown

    html = client.get(
        reverse("quality_public:results", kwargs={"slug": organisation.slug})
    ).content.decode()
    assert "Moins de 5 : chiffre masqué" in html
    assert "Moins de 5 personnes ont répondu" in html
    assert "Chiffres au" in html


def test_the_completion_rate_needs_five_completed_and_five_not(people, organisation):
    consultant = people["consultant"]
    ended(organisation, consultant, 5, satisfied=True)
    ended(organisation, consultant, 4, outcome=Outcome.ABANDONED)
    results = public_results_compute(organisation, now=timezone.now())

    assert results.started == 9 and results.ended == 9
    # Read up to the last mark of five (the five completed): their rest would be nobody.
    assert results.completed is None and results.completion_rate is None
    assert results.satisfaction_shown
    assert results.recommendation.text == "9,0"

    ended(organisation, consultant, 1, outcome=Outcome.ABANDONED)
    results = public_results_compute(organisation, now=timezone.now())
    assert (results.rate_over, results.completed, results.completion_rate) == (10, 5, 50)

    # One more person moves nothing until the next mark of five.
    ended(organisation, consultant, 1)
    results = public_results_compute(organisation, now=timezone.now())
    assert (results.ended, results.rate_over, results.completion_rate) == (11, 10, 50)


def test_the_figures_are_computed_once_a_day(people, organisation):
    consultant = people["consultant"]
    ended(organisation, consultant, 5)
    first = public_results(organisation)
    ended(organisation, consultant, 5)

    with CaptureQueriesContext(connection) as context:
        again = public_results(organisation)

    assert again == first and len(context.captured_queries) == 0
    cache.clear()
    assert public_results(organisation).ended == 10


def results_queries(client, organisation) -> int:
    cache.clear()
    url = reverse("quality_public:results", kwargs={"slug": organisation.slug})
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_results_page_reads_a_constant_number_of_queries(
    client, people, coordinator, organisation
):
    publish(coordinator, organisation, PublicPage.RESULTS, PublicPage.OFFER)
    consultant = people["consultant"]
    ended(organisation, consultant, 2, satisfied=True)
    small = results_queries(client, organisation)
    ended(organisation, consultant, 8, satisfied=True)
    ended(organisation, consultant, 3, outcome=Outcome.ABANDONED)
    open_bilan(consultant, member(Role.BENEFICIARY, organisation, invited_by=consultant))

    assert results_queries(client, organisation) == small


def test_the_offer_page_reads_a_constant_number_of_queries(client, coordinator, organisation):
    publish(coordinator, organisation, PublicPage.OFFER)
    url = reverse("quality_public:offer", kwargs={"slug": organisation.slug})
    with CaptureQueriesContext(connection) as context:
        client.get(url)
    assert len(context.captured_queries) <= 3


# --- Evidence and demo ------------------------------------------------------------------------


def test_the_evidence_says_which_page_is_published_and_exports_it(coordinator, organisation):
    from datetime import date

    span = Span(date(2026, 1, 1), date(2026, 12, 31))
    assert [p.name for p in providers_of(1)] == [p.name for p in providers_of(2)] or any(
        p.name == "public_pages" for p in providers_of(2)
    )
    assert any(p.name == "public_pages" for p in providers_of(1))
    lines = public_pages_lines(organisation, span)
    assert all("n'est pas publiée" in line.text for line in lines)
    assert list(public_pages_files(organisation, span)) == []

    publish(coordinator, organisation, PublicPage.OFFER, PublicPage.RESULTS)
    with CaptureQueriesContext(connection) as context:
        lines = public_pages_lines(organisation, span)
    assert len(context.captured_queries) == 1
    assert all("est publiée depuis le" in line.text for line in lines)
    assert lines[0].url == reverse("quality_public:offer", kwargs={"slug": organisation.slug})

    files = list(public_pages_files(organisation, span))
    assert [f.name.rsplit("-", 1)[1] for f in files] == ["offre.pdf", "resultats.pdf"]
    assert all(f.content.startswith(b"%PDF-") for f in files)


def test_the_demo_fills_the_offer_and_publishes_both_pages_once(client, coordinator, organisation):
    from tisser.core.demo import Demo
    from tisser.quality.demo_public import public_pages_demo

    demo = Demo(organisation=organisation, people={Role.COORDINATOR: [coordinator]})
    public_pages_demo(demo)
    public_pages_demo(demo)  # idempotent

    offer = PublicOffer.objects.get()
    assert offer.offer_published and offer.results_published
    assert offer.price_amount == Decimal("1800.00")
    for name in ("offer", "results"):
        url = reverse(f"quality_public:{name}", kwargs={"slug": organisation.slug})
        assert client.get(url).status_code == 200


def test_a_save_meanwhile_is_shown_beside_what_was_typed(client, coordinator, organisation):
    public_offer_save(
        coordinator=coordinator,
        organisation=organisation,
        values={**DEFAULTS, "contacts": "Saved by the other tab"},
        expected_version=0,
    )
    client.force_login(coordinator)
    data = {
        k: ("on" if v is True else "" if v in (None, False) else v) for k, v in DEFAULTS.items()
    }
    data.update({"contacts": "Typed in this tab", "version": "0"})

    response = client.post(reverse("quality:publication"), data)

    html = response.content.decode()
    assert response.status_code == 409
    assert "Saved by the other tab" in html and "Typed in this tab" in html
    assert PublicOffer.objects.get().contacts == "Saved by the other tab"


def test_withdrawing_a_page_makes_it_404_again(client, coordinator, organisation):
    offer = publish(coordinator, organisation, PublicPage.OFFER)
    url = reverse("quality_public:offer", kwargs={"slug": organisation.slug})
    assert client.get(url).status_code == 200
    client.force_login(coordinator)

    client.post(
        reverse("quality:publication_publish"),
        {"page": "offer", "published": "0", "version": offer.version, "confirmed": "oui"},
    )
    client.logout()

    assert client.get(url).status_code == 404
