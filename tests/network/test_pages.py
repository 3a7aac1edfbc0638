from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import member
from tests.fixtures.rome_fixture import FIXTURE
from tests.network.helpers import a_contact
from tests.peers.helpers import peer_group
from tisser.core.enums import Role
from tisser.core.models import AuditEvent
from tisser.network import services
from tisser.network.models import Contact, InformationalInterview, Stage
from tisser.peers.models import PeerGroupMember


@pytest.fixture
def rome(db):
    call_command("import_rome", str(FIXTURE), verbosity=0)


@pytest.fixture
def owner(people):
    return people["beneficiary"]


@pytest.fixture
def signed_in(client, owner):
    client.force_login(owner)
    return client


def form_data(**overrides):
    return {
        "first_name": "Anne",
        "last_name": "Roux",
        "how_known": "linkedin",
        "email": "",
        "phone": "",
        "version": "1",
    } | overrides


def test_the_home_page_shows_counts_and_overdue_steps_first(signed_in, owner):
    contact = a_contact(owner, first_name="Anne", last_name="Roux")
    interview = services.interview_start(
        owner=owner, contact=contact, at=timezone.now() - timedelta(days=12)
    )
    services.interview_advance(
        actor=owner,
        interview=interview,
        to_stage=Stage.MESSAGE_SENT,
        at=timezone.now() - timedelta(days=10),
    )

    response = signed_in.get(reverse("network:home"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "En retard : Relancer" in page
    assert 'id="network-parts"' in page


def test_adding_a_contact_with_errors_keeps_what_was_typed(signed_in):
    response = signed_in.post(
        reverse("network:contact_create"),
        form_data(last_name="", email="pas-un-mail", notes="Rencontrée au salon"),
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Indiquez au moins le nom" in page
    assert "n&#x27;est pas valide" in page
    assert "Rencontrée au salon" in page
    assert 'value="pas-un-mail"' in page
    assert not Contact.objects.exists()


def test_adding_a_contact_warns_of_a_likely_duplicate_but_allows_it(signed_in, owner):
    a_contact(owner, first_name="Anne", last_name="Roux")

    warned = signed_in.post(reverse("network:contact_create"), form_data(last_name="ROUX"))
    assert warned.status_code == 200
    assert "peut-être déjà dans vos contacts" in warned.content.decode()
    assert Contact.objects.count() == 1

    added = signed_in.post(
        reverse("network:contact_create"), form_data(last_name="ROUX", add_anyway="1")
    )
    assert added.status_code == 302
    assert Contact.objects.count() == 2


def test_the_fiche_search_without_javascript_keeps_the_form(signed_in, rome):
    response = signed_in.post(
        reverse("network:contact_create"),
        form_data(notes="À rappeler", metier_q="boulangere", metier_search="1"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "À rappeler" in page
    assert 'name="metier"' in page
    assert "Fournier / Fournière de quartier" in page or "fiches trouvées" in page
    htmx = signed_in.get(reverse("network:metier_picker"), {"metier_q": "boulangere"})
    assert 'type="radio"' in htmx.content.decode()


def test_a_stale_edit_shows_both_versions(signed_in, owner):
    contact = a_contact(owner, last_name="Roux", notes="Premier")
    services.contact_update(
        actor=owner,
        contact=contact,
        data=services.ContactData(last_name="Roux", how_known="linkedin", notes="Enregistré"),
        expected_version=1,
    )

    response = signed_in.post(
        reverse("network:contact_update", args=[contact.pk]),
        form_data(last_name="Roux", notes="Ma saisie", version="1"),
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert "Ma saisie" in page
    assert "Enregistré" in page
    assert 'name="version" value="2"' in page


def test_contact_list_searches_and_keeps_a_constant_number_of_queries(signed_in, owner):
    introducer = a_contact(owner, last_name="Durand", company="Acme")
    for index in range(12):
        contact = a_contact(owner, last_name=f"Martin{index}", introduced_by=introducer)
        services.interview_start(owner=owner, contact=contact)
    url = reverse("network:contacts")
    signed_in.get(url)  # warms the per-minute caches (menu, ROME version)

    with CaptureQueriesContext(connection) as few:
        signed_in.get(url)
    a_contact(owner, last_name="Encore", introduced_by=introducer)
    with CaptureQueriesContext(connection) as more:
        response = signed_in.get(url)

    assert len(more) == len(few)
    assert "Martin11" in response.content.decode()
    found = signed_in.get(url, {"q": "acme"}).content.decode()
    assert "Durand" in found and "Martin11" not in found


def test_someone_else_s_contact_and_enquete_are_404(signed_in, organisation):
    other = member(Role.BENEFICIARY, organisation)
    contact = a_contact(other)
    interview = services.interview_start(owner=other, contact=contact)
    for url in (
        reverse("network:contact", args=[contact.pk]),
        reverse("network:contact_update", args=[contact.pk]),
        reverse("network:interview", args=[interview.pk]),
    ):
        assert signed_in.get(url).status_code == 404
    response = signed_in.post(reverse("network:contact_delete", args=[contact.pk]))
    assert response.status_code == 404
    assert Contact.objects.filter(pk=contact.pk).exists()


def test_a_contact_page_shows_the_referral_chain(signed_in, owner):
    anne = a_contact(owner, first_name="Anne", last_name="Roux")
    bruno = a_contact(owner, first_name="Bruno", last_name="Lenoir", introduced_by=anne)
    a_contact(owner, first_name="Chloé", last_name="Vidal", introduced_by=bruno)

    page = signed_in.get(reverse("network:contact", args=[bruno.pk])).content.decode()

    assert "Anne Roux" in page
    assert "Chloé Vidal" in page


def test_the_board_moves_an_enquete_with_buttons(signed_in, owner):
    interview = services.interview_start(owner=owner, contact=a_contact(owner))
    board = reverse("network:interviews")
    assert "Passer à : Message envoyé" in signed_in.get(board).content.decode()

    response = signed_in.post(
        reverse("network:interview_advance", args=[interview.pk]),
        {"to_stage": Stage.MESSAGE_SENT, "next": board},
    )

    assert response.status_code == 302 and response["Location"] == board
    interview.refresh_from_db()
    assert interview.stage == Stage.MESSAGE_SENT


def test_a_meeting_without_its_date_is_refused_next_to_the_field(signed_in, owner):
    interview = services.interview_start(owner=owner, contact=a_contact(owner))
    response = signed_in.post(
        reverse("network:interview_advance", args=[interview.pk]),
        {"to_stage": Stage.MEETING_SET},
    )
    assert response.status_code == 400
    assert "Indiquez la date et l&#x27;heure du rendez-vous" in response.content.decode()
    interview.refresh_from_db()
    assert interview.stage == Stage.TO_CONTACT


def test_an_interview_done_before_its_meeting_is_refused_next_to_the_field(signed_in, owner):
    interview = services.interview_start(owner=owner, contact=a_contact(owner))
    meeting = timezone.now() + timedelta(days=3)
    services.interview_advance(
        actor=owner, interview=interview, to_stage=Stage.MEETING_SET, meeting_at=meeting
    )

    response = signed_in.post(
        reverse("network:interview_advance", args=[interview.pk]),
        {"to_stage": Stage.INTERVIEW_DONE},
    )

    assert response.status_code == 400
    assert "ne peut pas être noté comme réalisé avant" in response.content.decode()
    interview.refresh_from_db()
    assert interview.stage == Stage.MEETING_SET


def test_the_enquete_page_drafts_the_first_message(signed_in, owner):
    contact = a_contact(owner, first_name="Anne", last_name="Roux", job_title="Infirmière")
    interview = services.interview_start(owner=owner, contact=contact)
    page = signed_in.get(reverse("network:interview", args=[interview.pk])).content.decode()
    assert "Bonjour Anne Roux," in page
    assert "js/copy.js" in page
    assert "<textarea" in page


def test_a_referral_from_the_enquete_page_adds_the_contact(signed_in, owner):
    anne = a_contact(owner, last_name="Roux")
    interview = services.interview_start(owner=owner, contact=anne)
    services.interview_advance(actor=owner, interview=interview, to_stage=Stage.INTERVIEW_DONE)
    response = signed_in.post(
        reverse("network:interview_outcome", args=[interview.pk]),
        {"outcome": "referral", "referred-last_name": "Vidal", "referred-email": "x@y.fr"},
    )
    assert response.status_code == 302
    assert Contact.objects.get(last_name="Vidal").introduced_by == anne

    # The thanks are still to do: on the enquête, as its only next step, and on the home.
    page = signed_in.get(reverse("network:interview", args=[interview.pk])).content.decode()
    assert 'value="thanked"' in page
    assert 'value="next_step"' not in page
    home = signed_in.get(reverse("network:home")).content.decode()
    assert "Remercier la personne" in home


def test_the_list_is_filtered_by_fiche_in_constant_queries(signed_in, owner, rome):
    from tisser.referentiel.models import Metier

    metiers = list(Metier.objects.order_by("code_rome")[:2])
    for index in range(6):
        contact = a_contact(owner, last_name=f"Martin{index}")
        services.interview_start(owner=owner, contact=contact, metier=metiers[index % 2])
    url = reverse("network:interview_list")
    signed_in.get(url)  # warms the per-minute caches (menu, ROME version)
    with CaptureQueriesContext(connection) as queries:
        response = signed_in.get(url, {"fiche": metiers[0].code_rome})
    assert response.status_code == 200
    assert response.content.decode().count("Martin") == 3
    with CaptureQueriesContext(connection) as all_queries:
        signed_in.get(url)
    assert len(all_queries) == len(queries)


def test_sharing_toggle_is_saved(signed_in, owner):
    signed_in.post(reverse("network:sharing_set"), {"with_consultant": "on"})
    assert services.network_is_shared(owner)
    signed_in.post(reverse("network:sharing_set"), {})
    assert not services.network_is_shared(owner)


def test_the_consultant_sees_counts_but_names_only_when_shared(client, people, owner):
    contact = a_contact(owner, first_name="Anne", last_name="Roux", notes="Très secret")
    services.interview_start(owner=owner, contact=contact)
    client.force_login(people["consultant"])
    url = reverse("network:for_beneficiary", args=[owner.pk])

    page = client.get(url).content.decode()
    assert "Roux" not in page and "Très secret" not in page
    assert "ne partage pas" in page

    services.network_sharing_set(owner=owner, with_consultant=True)
    page = client.get(url).content.decode()
    assert "Anne Roux" in page and "Très secret" in page
    assert AuditEvent.objects.filter(action="network.consultant_read").count() == 1
    home = client.get(reverse("consultant:home")).content.decode()
    assert url in home


def test_another_consultant_s_beneficiary_is_404(client, people, organisation):
    other = member(Role.CONSULTANT, organisation)
    client.force_login(other)
    url = reverse("network:for_beneficiary", args=[people["beneficiary"].pk])
    assert client.get(url).status_code == 404


def test_merge_from_the_duplicates_page(signed_in, owner):
    keep = a_contact(owner, last_name="Roux", email="a@b.fr")
    remove = a_contact(owner, last_name="Rouxx", email="a@b.fr", phone="0612345678")
    page = signed_in.get(reverse("network:duplicates")).content.decode()
    merge = reverse("network:contact_merge", args=[keep.pk, remove.pk])
    assert merge in page
    assert signed_in.get(merge).status_code == 200

    assert signed_in.post(merge).status_code == 302

    keep.refresh_from_db()
    assert keep.phone == "+33612345678"
    assert not InformationalInterview.objects.exists()
    assert not Contact.objects.filter(pk=remove.pk).exists()


def test_the_demo_network_is_seeded_once(db, capsys):
    from django.core.management import call_command as run

    from tisser.network.services import interview_overdue

    run("seed_demo")
    run("seed_demo")
    out = capsys.readouterr().out
    # Camille's network (the programme cohort of `tisser.outcomes.demo` has its own)
    contacts = Contact.objects.filter(owner__email="camille.roussel@demo.tisser.fr")
    assert contacts.count() == 8
    assert contacts.filter(introduced_by__isnull=False).count() == 3
    interviews = InformationalInterview.objects.filter(contact__in=contacts)
    today = timezone.localdate()
    overdue = [i for i in interviews if interview_overdue(i, today)]
    assert len(overdue) == 1
    assert interviews.exclude(takeaways="").count() == 1
    assert "rien d'ajouté" in out


def test_the_home_lists_only_the_published_peer_groups_one_has_joined(
    signed_in, owner, organisation
):
    others = [member(Role.BENEFICIARY, organisation) for _ in range(2)]
    joined = peer_group(organisation, [owner, *others], name="Les Boussoles")
    in_review = peer_group(organisation, [owner, *others], name="Les Tisserands", active=False)
    invited = peer_group(organisation, [owner, *others], name="Les Cordées")
    PeerGroupMember.objects.filter(group=invited, user=owner).update(
        status=PeerGroupMember.Status.PROPOSED
    )

    page = signed_in.get(reverse("network:home")).content.decode()

    assert "Les Boussoles" in page
    assert reverse("peers:commitments", args=[joined.pk]) in page
    # a group still in the coordination's review, or not joined yet: nothing of it
    for group in (in_review, invited):
        assert group.name not in page
        assert reverse("peers:commitments", args=[group.pk]) not in page
        assert reverse("peers:help", args=[group.pk]) not in page
    assert "Proposé" not in page
