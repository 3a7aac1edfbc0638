"""The privacy notice (RGPD art. 13): the controller and its DPO when the visitor belongs to
one organisation, purposes with their legal bases, who sees what, durations read from the
settings, the rights and the CNIL."""

import pytest
from django.urls import reverse

from tests.factories import MembershipFactory, OrganisationFactory, member
from tisser.core.enums import Role

pytestmark = pytest.mark.django_db


def _page(client) -> str:
    response = client.get(reverse("public:privacy"))
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_a_visitor_reads_every_part_of_the_notice_in_general_words(client):
    page = _page(client)

    for heading in (
        "Qui est responsable",
        "Pourquoi, et sur quelle base",
        "Qui voit quoi",
        "Combien de temps",
        "Vos droits",
        "Les personnes de votre réseau",
        "Faire une réclamation",
    ):
        assert heading in page
    assert "l'organisme de bilan de compétences qui vous a invité·e" in page
    for basis in ("6-1-a", "6-1-b", "6-1-c", "6-1-f"):
        assert basis in page
    assert "Les mentors" in page and "Les membres de votre groupe de pairs" in page
    assert "Détruits dès la fin du bilan (Code du travail, article R6313-7)" in page
    assert "CNIL" in page and "portabilité" in page and "opposition" in page


def test_the_member_of_one_organisation_reads_its_name_and_its_dpo(client):
    organisation = OrganisationFactory(
        name="Cap Avenir",
        legal_name="Cap Avenir SAS",
        dpo_name="Claire Martin",
        dpo_email="dpo@cap-avenir.example",
    )
    client.force_login(member(Role.BENEFICIARY, organisation))

    page = _page(client)

    assert "<strong>Cap Avenir SAS</strong>" in page
    assert "Claire Martin" in page
    assert 'href="mailto:dpo@cap-avenir.example"' in page
    assert reverse("account:profile") in page


def test_without_a_dpo_the_page_says_whom_to_write_to(client):
    client.force_login(member(Role.BENEFICIARY, OrganisationFactory(name="Sans DPO")))

    page = _page(client)

    assert "Sans DPO" in page
    assert "n'a pas encore indiqué de délégué à la protection des données" in page


def test_a_member_of_two_organisations_reads_the_general_sentence(client):
    person = member(Role.BENEFICIARY, OrganisationFactory(name="Premier", dpo_email="a@x.fr"))
    MembershipFactory(user=person, role=Role.MENTOR, organisation=OrganisationFactory())
    client.force_login(person)

    page = _page(client)

    assert "a@x.fr" not in page
    assert "qui vous a invité·e sur Tisser" in page


def test_the_durations_come_from_the_settings(client, settings):
    settings.TISSER_MANAGEMENT_RETENTION_YEARS = 6
    settings.TISSER_ISOLATION_CHECK_RETENTION_MONTHS = 18
    settings.TISSER_MENTORING_RETENTION_MONTHS = 9
    settings.TISSER_PEER_GROUP_RETENTION_MONTHS = 7

    page = _page(client)

    assert "6 ans après la fin du bilan" in page
    assert "18 mois après la date où vous l&#x27;avez fait" in page
    assert "9 mois après sa fin" in page
    assert "7 mois après sa fin" in page
