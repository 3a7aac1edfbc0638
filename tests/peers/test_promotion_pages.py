"""The coordination's promotions page: filters, pagination in a fixed number of queries,
placing the people ticked or everyone a filter finds, a stale page (409, ticks kept), creating
and renaming a promotion with the message next to the field."""

from datetime import timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import member
from tests.peers.helpers import peer_group, peer_profile
from tests.peers.test_promotion_services import ended_bilan
from tisser.core.enums import Role
from tisser.peers.models import PeerGroupMember, PeerProfile, Promotion
from tisser.peers.services import promotions as services


@pytest.fixture
def coordinator(organisation):
    return member(Role.COORDINATOR, organisation)


@pytest.fixture
def nadia(client, coordinator):
    client.force_login(coordinator)
    return client


def queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_page_lists_people_with_their_promotion_and_bilan_end(nadia, organisation):
    amandine = peer_profile(organisation, cohort="Automne")
    Promotion.objects.create(organisation=organisation, name="Automne")
    ended_bilan(organisation, amandine.user, days_ago=2)

    response = nadia.get(reverse("peers:promotions"))

    text = response.content.decode()
    assert response.status_code == 200
    assert amandine.user.get_full_name() in text
    assert "Demande un groupe" in text
    assert "Bilan terminé ce trimestre" in text
    assert reverse("peers:promotion_rename", args=[Promotion.objects.get().pk]) in text


def test_the_page_keeps_a_fixed_number_of_queries_and_paginates(nadia, organisation):
    Promotion.objects.create(organisation=organisation, name="Automne")
    for _ in range(3):
        ended_bilan(organisation, peer_profile(organisation).user, days_ago=2)
    few = queries(nadia, reverse("peers:promotions"))
    for _ in range(60):
        peer_profile(organisation, cohort="Automne")
    Promotion.objects.create(organisation=organisation, name="Hiver")

    many = queries(nadia, reverse("peers:promotions"))
    second = nadia.get(reverse("peers:promotions") + "?promo=Automne&page=2")

    assert many == few
    assert "Page 2 sur 2" in second.content.decode()
    assert "promo=Automne&amp;page=1" in second.content.decode()


def test_placing_the_people_ticked_offers_a_group_with_room(nadia, organisation, coordinator):
    promotion = Promotion.objects.create(organisation=organisation, name="Hiver")
    users = [member(Role.BENEFICIARY, organisation) for _ in range(3)]
    for user in users:
        peer_profile(organisation, user=user, cohort="Hiver")
    group = peer_group(organisation, users, coordinator=coordinator)
    group.cohort = "Hiver"
    group.save(update_fields=["cohort"])
    newcomer = peer_profile(organisation)

    response = nadia.post(
        reverse("peers:promotion_place") + "?promo=aucune",
        {
            "promotion": promotion.pk,
            "personnes": [newcomer.pk],
            f"v-{newcomer.pk}": newcomer.version,
            "portee": "cochees",
            "proposer": "on",
        },
        follow=True,
    )

    text = response.content.decode()
    assert response.redirect_chain[-1][0].endswith("?promo=aucune")
    assert "1 personne placée dans « Hiver »." in text
    assert f"se voit proposer le groupe « {group.name} »" in text
    assert group.members.get(user=newcomer.user).status == PeerGroupMember.Status.PROPOSED


def test_a_stale_page_answers_409_and_keeps_the_ticks(nadia, organisation, coordinator):
    promotion = Promotion.objects.create(organisation=organisation, name="Hiver")
    amandine, hugo = peer_profile(organisation), peer_profile(organisation)
    data = {
        "promotion": promotion.pk,
        "personnes": [amandine.pk, hugo.pk],
        f"v-{amandine.pk}": amandine.version,
        f"v-{hugo.pk}": hugo.version,
        "portee": "cochees",
    }
    PeerProfile.objects.filter(pk=hugo.pk).update(version=hugo.version + 1)

    response = nadia.post(reverse("peers:promotion_place"), data)

    text = unescape(response.content.decode())
    assert response.status_code == 409
    assert "Rien n'a été enregistré" in text
    assert hugo.user.get_full_name() in text
    assert text.count("checked") >= 2
    amandine.refresh_from_db()
    assert amandine.cohort == ""


def test_placing_nobody_says_so_next_to_the_list(nadia, organisation):
    promotion = Promotion.objects.create(organisation=organisation, name="Hiver")
    peer_profile(organisation)

    response = nadia.post(
        reverse("peers:promotion_place"), {"promotion": promotion.pk, "portee": "cochees"}
    )

    assert response.status_code == 400
    assert "Cochez au moins une personne" in response.content.decode()


def test_everyone_the_filter_finds_is_placed_across_pages(nadia, organisation):
    promotion = Promotion.objects.create(organisation=organisation, name="Hiver")
    recent = [peer_profile(organisation) for _ in range(3)]
    for profile in recent:
        ended_bilan(organisation, profile.user, days_ago=1)
    other = peer_profile(organisation)
    today = timezone.localdate()
    query = f"?du={today - timedelta(days=10):%Y-%m-%d}&au={today:%Y-%m-%d}"
    page = nadia.get(reverse("peers:promotions") + query)
    signature = page.context["signature"]

    response = nadia.post(
        reverse("peers:promotion_place") + query,
        {"promotion": promotion.pk, "portee": "filtre", "signature": signature},
        follow=True,
    )

    assert "3 personnes placées dans « Hiver »." in response.content.decode()
    assert set(PeerProfile.objects.filter(cohort="Hiver").values_list("pk", flat=True)) == {
        profile.pk for profile in recent
    }
    other.refresh_from_db()
    assert other.cohort == ""


def test_a_bad_period_is_said_next_to_its_field(nadia, organisation):
    response = nadia.get(reverse("peers:promotions") + "?du=2026-12-01&au=2026-11-01")

    assert "La fin de la période doit suivre son début." in response.content.decode()


def test_creating_a_promotion_twice_says_why_next_to_the_name(nadia, organisation):
    created = nadia.post(reverse("peers:promotion_create"), {"name": "Hiver"}, follow=True)
    again = nadia.post(reverse("peers:promotion_create"), {"name": "hiver"})

    assert "La promotion « Hiver » est créée" in created.content.decode()
    assert again.status_code == 400
    assert "Une promotion porte déjà ce nom" in again.content.decode()
    assert 'value="hiver"' in again.content.decode()


def test_renaming_from_a_stale_page_shows_the_name_saved_meanwhile(
    nadia, organisation, coordinator
):
    promotion = services.promotion_create(organisation=organisation, name="Hiver", by=coordinator)
    url = reverse("peers:promotion_rename", args=[promotion.pk])
    assert nadia.get(url).status_code == 200
    services.promotion_rename(
        promotion=promotion, name="Hiver 2027", by=coordinator, expected_version=1
    )

    response = nadia.post(url, {"name": "Hiver A", "version": 1})

    assert response.status_code == 409
    assert "Hiver 2027" in response.content.decode()
    assert 'value="Hiver A"' in response.content.decode()


def test_a_filter_with_an_error_never_places_everyone(nadia, organisation):
    promotion = Promotion.objects.create(organisation=organisation, name="Hiver")
    profile = peer_profile(organisation)
    query = "?du=2026-12-01&au=2026-11-01"
    signature = nadia.get(reverse("peers:promotions") + query).context["signature"]

    response = nadia.post(
        reverse("peers:promotion_place") + query,
        {"promotion": promotion.pk, "portee": "filtre", "signature": signature},
    )

    assert response.status_code == 400
    assert "Corrigez d&#x27;abord le filtre" in response.content.decode()
    profile.refresh_from_db()
    assert profile.cohort == ""


def test_the_page_says_who_is_listed_and_who_ended_without_preferences(nadia, organisation):
    listed = peer_profile(organisation)
    ended_bilan(organisation, listed.user, days_ago=1)
    for _ in range(2):  # ended their bilan, never asked for a group
        ended_bilan(organisation, member(Role.BENEFICIARY, organisation), days_ago=1)
    ended_bilan(organisation, member(Role.BENEFICIARY, organisation), days_ago=200)
    today = timezone.localdate()
    query = f"?du={today - timedelta(days=10):%Y-%m-%d}&au={today:%Y-%m-%d}"

    everyone = unescape(nadia.get(reverse("peers:promotions")).content.decode())
    response = nadia.get(reverse("peers:promotions") + query)
    text = unescape(response.content.decode())

    assert "ont indiqué leurs préférences pour un groupe de pairs" in everyone
    assert "dans cette période" not in everyone
    assert response.context["total"] == 1
    assert (
        "De plus, 2 personnes dont le bilan s'est terminé dans cette période n'ont pas "
        "indiqué de préférences pour un groupe : elles ne sont pas dans cette liste." in text
    )
    assert PeerProfile.objects.count() == 1  # nobody's preferences invented
    assert queries(nadia, reverse("peers:promotions") + query) == queries(
        nadia, reverse("peers:promotions") + query
    )
