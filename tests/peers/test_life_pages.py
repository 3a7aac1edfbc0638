"""The commitments and help pages, as the members (and nobody else) see them; the network home
lists one's groups."""

import pytest
from django.urls import reverse

from tests.factories import member
from tests.peers.helpers import peer_group
from tisser.core.enums import Role
from tisser.peers import services
from tisser.peers.models import Commitment, Contribution, HelpKind, PeerGroupMember


@pytest.fixture
def trio(organisation):
    users = [member(Role.BENEFICIARY, organisation) for _ in range(3)]
    for user, name in zip(users, ("Ana", "Béa", "Cléo"), strict=True):
        user.first_name = name
        user.save()
    return peer_group(organisation, users), users


def test_the_commitments_page_shows_everyones_commitments_check_ins_and_figures(client, trio):
    group, (ana, bea, _cleo) = trio
    done = services.commitment_add(actor=bea, group=group, text="Appeler la médiathèque")
    services.commitment_check_in(
        actor=bea, commitment=done, outcome="done", comment="Rendez-vous pris"
    )
    services.commitment_add(actor=ana, group=group, text="Finir ma lettre")
    client.force_login(ana)

    response = client.get(reverse("peers:commitments", args=[group.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Appeler la médiathèque" in page and "Rendez-vous pris" in page
    assert "Béa" in page and bea.last_name not in page
    assert "Finir ma lettre" in page and "Enregistrer mon bilan" in page
    figures = {f.name: f for f in response.context["per_member"]}
    assert figures["Béa"].percent == 100 and figures["Béa"].streak == 1
    assert figures["Ana"].percent is None
    assert response.context["whole_group"].percent == 100


def test_a_member_adds_commitments_and_a_fourth_is_refused_on_the_page(client, trio):
    group, (ana, *_rest) = trio
    client.force_login(ana)
    url = reverse("peers:commitment_add", args=[group.pk])
    for n in range(3):
        response = client.post(url, {"commitment-text": f"Action {n}"})
        assert response.status_code == 302

    response = client.post(url, {"commitment-text": "Une de trop"})

    assert response.status_code == 400
    assert "c&#x27;est le maximum" in response.content.decode()
    assert Commitment.objects.filter(user=ana).count() == 3
    assert not response.context["can_add"]


def test_editing_someone_elses_commitment_is_a_404(client, trio):
    group, (ana, bea, _cleo) = trio
    commitment = services.commitment_add(actor=bea, group=group, text="À moi")
    client.force_login(ana)

    assert client.get(reverse("peers:commitment_edit", args=[commitment.pk])).status_code == 404
    response = client.post(
        reverse("peers:commitment_checkin", args=[commitment.pk]),
        {f"checkin-{commitment.pk}-outcome": "done"},
    )
    assert response.status_code == 404


def test_an_edit_after_another_tab_saved_is_a_409_keeping_what_was_typed(client, trio):
    group, (ana, *_rest) = trio
    commitment = services.commitment_add(actor=ana, group=group, text="Première idée")
    services.commitment_update(
        actor=ana, commitment=commitment, text="Autre onglet", expected_version=1
    )
    client.force_login(ana)
    url = reverse("peers:commitment_edit", args=[commitment.pk])

    response = client.post(url, {"commitment-version": 1, "commitment-text": "Ma nouvelle idée"})

    assert response.status_code == 409
    page = response.content.decode()
    assert "modifié entre-temps" in page
    assert "Ma nouvelle idée" in page and "Autre onglet" in page
    retry = client.post(url, {"commitment-version": 2, "commitment-text": "Ma nouvelle idée"})
    assert retry.status_code == 302
    commitment.refresh_from_db()
    assert commitment.text == "Ma nouvelle idée"


def test_a_check_in_without_an_outcome_shows_the_error_next_to_it(client, trio):
    group, (ana, *_rest) = trio
    commitment = services.commitment_add(actor=ana, group=group, text="Relancer Paul")
    client.force_login(ana)
    url = reverse("peers:commitment_checkin", args=[commitment.pk])

    response = client.post(url, {f"checkin-{commitment.pk}-comment": "?"})
    assert response.status_code == 400
    assert f'id="id_checkin-{commitment.pk}-outcome_error"' in response.content.decode()

    response = client.post(url, {f"checkin-{commitment.pk}-outcome": "not_done"})
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.outcome == "not_done"


@pytest.mark.parametrize("name", ["peers:commitments", "peers:help"])
def test_a_member_who_left_and_the_coordination_get_a_404(client, people, trio, name):
    group, (ana, *_rest) = trio
    PeerGroupMember.objects.filter(group=group, user=ana).update(status=PeerGroupMember.Status.LEFT)
    url = reverse(name, args=[group.pk])

    for user in (ana, people["coordinator"]):
        client.force_login(user)
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("name", ["peers:commitments", "peers:help"])
def test_a_person_proposed_who_has_not_joined_gets_a_404(client, organisation, trio, name):
    group, (ana, *_rest) = trio
    services.commitment_add(actor=ana, group=group, text="Appeler trois employeurs")
    newcomer = member(Role.BENEFICIARY, organisation)
    PeerGroupMember.objects.create(
        group=group, user=newcomer, status=PeerGroupMember.Status.PROPOSED, position=9
    )
    client.force_login(newcomer)

    response = client.get(reverse(name, args=[group.pk]))

    assert response.status_code == 404
    assert "Appeler trois employeurs" not in response.content.decode()


def test_the_commitments_page_takes_a_bounded_number_of_queries(
    client, trio, django_assert_max_num_queries
):
    group, users = trio
    for user in users:
        for n in range(3):
            commitment = services.commitment_add(actor=user, group=group, text=f"Action {n}")
            services.commitment_check_in(actor=user, commitment=commitment, outcome="partial")
    client.force_login(users[0])

    with django_assert_max_num_queries(12):
        response = client.get(reverse("peers:commitments", args=[group.pk]))

    assert response.status_code == 200


def test_my_help_balance_is_mine_alone_with_a_gentle_sentence(client, trio):
    group, (ana, bea, cleo) = trio
    services.contribution_record(actor=bea, group=group, other=cleo, gave=True, kind=HelpKind.TIME)
    client.force_login(ana)
    url = reverse("peers:help", args=[group.pk])

    response = client.post(
        url,
        {
            "direction": "gave",
            "other": bea.pk,
            "kind": HelpKind.FEEDBACK,
            "description": "Relu son CV",
        },
    )
    assert response.status_code == 302
    response = client.get(url)

    balance = response.context["balance"]
    assert (balance.given, balance.received) == (1, 0)
    page = response.content.decode()
    assert "Relu son CV" in page
    assert "osez demander" in page
    # Béa's help to Cléo is theirs: neither in Ana's balance nor on her page
    assert "Cléo" not in [item["other"] for item in response.context["recent"]]
    assert Contribution.objects.filter(giver=ana, receiver=bea, recorded_by=ana).exists()


def test_help_with_someone_outside_the_group_is_refused(client, organisation, trio):
    group, (ana, *_rest) = trio
    outsider = member(Role.BENEFICIARY, organisation)
    client.force_login(ana)

    response = client.post(
        reverse("peers:help", args=[group.pk]),
        {"direction": "gave", "other": outsider.pk, "kind": HelpKind.FEEDBACK},
    )

    assert response.status_code == 400
    assert not Contribution.objects.exists()


def test_the_network_home_lists_my_peer_groups(client, trio):
    group, (ana, *_rest) = trio
    client.force_login(ana)

    response = client.get(reverse("network:home"))

    page = response.content.decode()
    assert "Mes groupes de pairs" in page
    assert reverse("peers:commitments", args=[group.pk]) in page
