"""The consultant of record and the hand-over of a bilan (ADR 0021): services and pages."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.bilans.helpers import advance_to, closed_bilan, entretiens, held, open_bilan
from tests.factories import member
from tisser.accounts.models import Membership
from tisser.accounts.services import membership_create
from tisser.bilans import services as bilans
from tisser.bilans.models import Phase, SessionNote
from tisser.bilans.notice_kinds import BilanNotice
from tisser.bilans.services import emargement
from tisser.bilans.services.lifecycle import can_open_for
from tisser.core.enums import Role
from tisser.core.errors import StaleVersion
from tisser.core.models import AuditEvent
from tisser.meetings.models import SeriesParticipant
from tisser.notifications.models import Channel, Notification


@pytest.fixture
def colleague(organisation):
    return member(Role.CONSULTANT, organisation, user__first_name="Camille", user__last_name="Roux")


def _membership(user):
    return user.memberships.get(role=Role.BENEFICIARY)


# --- Consultant of record ----------------------------------------------------------------


def test_the_inviting_consultant_is_the_consultant_of_record(people, organisation):
    assert _membership(people["beneficiary"]).consultant == people["consultant"]
    invited_by_coordinator = member(
        Role.BENEFICIARY, organisation, invited_by=people["coordinator"]
    )
    assert _membership(invited_by_coordinator).consultant is None
    assert can_open_for(people["consultant"], invited_by_coordinator) is None


def test_membership_create_names_the_inviting_consultant(people, organisation):
    from tests.factories import UserFactory

    person = UserFactory()
    membership = membership_create(
        user=person,
        organisation=organisation,
        role=Role.BENEFICIARY,
        invited_by=people["consultant"],
    )
    assert membership.consultant == people["consultant"]


def test_the_coordinator_assigns_a_beneficiary_they_invited(people, organisation, colleague):
    person = member(Role.BENEFICIARY, organisation, invited_by=people["coordinator"])
    membership = _membership(person)

    bilans.beneficiary_consultant_assign(
        coordinator=people["coordinator"],
        membership=membership,
        consultant=colleague,
        expected_version=membership.version,
    )

    assert can_open_for(colleague, person) is not None
    assert can_open_for(people["consultant"], person) is None
    assert bilans.bilan_open(consultant=colleague, beneficiary=person, funding="cpf")
    event = AuditEvent.objects.get(action="membership.consultant_assign")
    assert event.data["to"] == colleague.pk


def test_only_a_coordinator_assigns_and_only_an_active_consultant(people, colleague):
    membership = _membership(people["beneficiary"])
    with pytest.raises(PermissionDenied):
        bilans.beneficiary_consultant_assign(
            coordinator=people["consultant"],
            membership=membership,
            consultant=colleague,
            expected_version=membership.version,
        )
    with pytest.raises(ValidationError) as error:
        bilans.beneficiary_consultant_assign(
            coordinator=people["coordinator"],
            membership=membership,
            consultant=people["mentor"],
            expected_version=membership.version,
        )
    assert "consultant" in error.value.message_dict


def test_two_coordinators_assigning_at_once_conflict(people, colleague):
    membership = _membership(people["beneficiary"])
    version = membership.version
    bilans.beneficiary_consultant_assign(
        coordinator=people["coordinator"],
        membership=membership,
        consultant=colleague,
        expected_version=version,
    )
    with pytest.raises(StaleVersion):
        bilans.beneficiary_consultant_assign(
            coordinator=people["coordinator"],
            membership=Membership.objects.get(pk=membership.pk),
            consultant=people["consultant"],
            expected_version=version,
        )
    assert Membership.objects.get(pk=membership.pk).consultant == colleague


# --- Hand-over ---------------------------------------------------------------------------


def test_a_bilan_handed_over_moves_with_its_notes_and_entretiens(
    people, colleague, django_capture_on_commit_callbacks
):
    old = people["consultant"]
    bilan = open_bilan(old, people["beneficiary"])
    past, future = entretiens(bilan, count=2)
    held(past)
    emargement.entretien_consultant_confirm(consultant=old, bilan=bilan, occurrence=past)
    bilans.session_note_save(
        consultant=old, bilan=bilan, occurrence=past, text="Très motivée", expected_version=0
    )

    with django_capture_on_commit_callbacks(execute=False):
        bilans.bilan_hand_over(
            coordinator=people["coordinator"],
            bilan=bilan,
            consultant=colleague,
            expected_version=bilan.version,
        )

    bilan.refresh_from_db()
    assert bilan.consultant == colleague
    # the private notes belong to the bilan: the new consultant reads them, the former not
    assert list(SessionNote.objects.visible_to(colleague).values_list("text", flat=True)) == [
        "Très motivée"
    ]
    assert not SessionNote.objects.visible_to(old).exists()
    # the new consultant organises the entretiens; the former's signature stays on the past one
    organisers = SeriesParticipant.objects.filter(
        series=future.series, role=SeriesParticipant.ParticipantRole.ORGANISER
    )
    assert [place.user for place in organisers] == [colleague]
    (row,) = emargement.emargement_rows(bilan)
    assert row.consultant_confirmed_at is not None
    # the consultant of record follows the bilan
    assert _membership(people["beneficiary"]).consultant == colleague
    assert can_open_for(old, people["beneficiary"]) is None
    # the person is told, by name; the audit log keeps it
    notices = Notification.objects.filter(
        recipient=people["beneficiary"], kind=BilanNotice.CONSULTANT_CHANGED
    )
    assert {notice.channel for notice in notices} == {Channel.IN_APP, Channel.EMAIL}
    assert all("Camille Roux" in notice.subject for notice in notices)
    # the consultant who takes it over is told too, with the bilan's address
    (taken,) = Notification.objects.filter(
        recipient=colleague, kind=BilanNotice.CONSULTANT_CHANGED, channel=Channel.IN_APP
    )
    assert "vous est confié" in taken.subject
    assert taken.url == reverse("bilans:detail", args=[bilan.pk])
    event = AuditEvent.objects.get(action="bilan.hand_over")
    assert (event.actor, event.data) == (
        people["coordinator"],
        {"from": old.pk, "to": colleague.pk},
    )


def test_an_ended_bilan_is_not_handed_over(people, colleague):
    bilan = closed_bilan(people["consultant"], people["beneficiary"])
    with pytest.raises(ValidationError) as error:
        bilans.bilan_hand_over(
            coordinator=people["coordinator"],
            bilan=bilan,
            consultant=colleague,
            expected_version=bilan.version,
        )
    assert "Ce bilan est terminé" in error.value.messages[0]
    bilan.refresh_from_db()
    assert bilan.consultant == people["consultant"]


def test_only_a_coordinator_hands_over_to_an_active_consultant(people, colleague, organisation):
    bilan = open_bilan(people["consultant"], people["beneficiary"])
    with pytest.raises(PermissionDenied):
        bilans.bilan_hand_over(
            coordinator=people["consultant"],
            bilan=bilan,
            consultant=colleague,
            expected_version=bilan.version,
        )
    other_coordinator = member(Role.COORDINATOR)
    with pytest.raises(PermissionDenied):
        bilans.bilan_hand_over(
            coordinator=other_coordinator,
            bilan=bilan,
            consultant=colleague,
            expected_version=bilan.version,
        )
    gone = member(Role.CONSULTANT, organisation)
    Membership.objects.filter(user=gone).update(is_active=False)
    for consultant in (gone, people["mentor"], people["consultant"]):
        with pytest.raises(ValidationError):
            bilans.bilan_hand_over(
                coordinator=people["coordinator"],
                bilan=bilan,
                consultant=consultant,
                expected_version=bilan.version,
            )


def test_a_bilan_changed_meanwhile_is_not_handed_over(people, colleague):
    bilan = open_bilan(people["consultant"], people["beneficiary"])
    stale = bilan.version
    bilans.bilan_hand_over(
        coordinator=people["coordinator"], bilan=bilan, consultant=colleague, expected_version=stale
    )
    with pytest.raises(StaleVersion):
        bilans.bilan_hand_over(
            coordinator=people["coordinator"],
            bilan=bilan,
            consultant=people["consultant"],
            expected_version=stale,
        )


# --- Pages -------------------------------------------------------------------------------


def test_the_coordinator_hands_a_bilan_over_from_its_page(client, people, colleague):
    old = people["consultant"]
    bilan = open_bilan(old, people["beneficiary"])
    client.force_login(people["coordinator"])
    url = reverse("coordinator:bilan_hand_over", args=[bilan.pk])

    page = client.get(url)
    assert page.status_code == 200
    assert "Camille Roux" in page.content.decode()

    missing = client.post(url, {"version": bilan.version})
    assert missing.status_code == 400
    assert "Choisissez le ou la consultant·e." in missing.content.decode()

    done = client.post(url, {"consultant": colleague.pk, "version": bilan.version})
    assert done.status_code == 302
    assert done["Location"] == reverse("coordinator:bilan", args=[bilan.pk])

    again = client.post(url, {"consultant": old.pk, "version": bilan.version})
    assert again.status_code == 409
    assert "La version enregistrée entre-temps" in again.content.decode()

    # the former consultant loses the bilan, the new one has it
    client.force_login(old)
    assert client.get(reverse("bilans:detail", args=[bilan.pk])).status_code == 404
    client.force_login(colleague)
    assert client.get(reverse("bilans:detail", args=[bilan.pk])).status_code == 200
    assert client.get(reverse("bilans:sessions", args=[bilan.pk])).status_code == 200


def test_the_hand_over_page_of_an_ended_bilan_says_why(client, people, colleague):
    bilan = closed_bilan(people["consultant"], people["beneficiary"])
    client.force_login(people["coordinator"])
    url = reverse("coordinator:bilan_hand_over", args=[bilan.pk])

    assert "il ne peut plus être confié" in client.get(url).content.decode()
    refused = client.post(url, {"consultant": colleague.pk, "version": bilan.version})
    assert refused.status_code == 400
    assert "Ce bilan est terminé" in refused.content.decode()


def test_the_management_view_shows_no_private_notes(client, people):
    consultant = people["consultant"]
    bilan = open_bilan(consultant, people["beneficiary"])
    (past,) = entretiens(bilan)
    held(past)
    bilans.session_note_save(
        consultant=consultant, bilan=bilan, occurrence=past, text="SECRET", expected_version=0
    )
    client.force_login(people["coordinator"])

    response = client.get(reverse("coordinator:bilan", args=[bilan.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "SECRET" not in html
    assert "Présence confirmée par la personne" in html
    assert reverse("bilans:emargement_pdf", args=[bilan.pk]) in html


def test_the_coordinator_list_has_the_caseload_tools_and_no_isolation(
    client, people, organisation, colleague
):
    ended = closed_bilan(people["consultant"], people["beneficiary"])
    other = member(Role.BENEFICIARY, organisation, invited_by=colleague)
    running = open_bilan(colleague, other)
    elsewhere = member(Role.CONSULTANT)
    elsewhere_organisation = elsewhere.memberships.get().organisation
    open_bilan(elsewhere, member(Role.BENEFICIARY, elsewhere_organisation, invited_by=elsewhere))
    client.force_login(people["coordinator"])
    url = reverse("coordinator:bilan_list")

    def listed(**params):
        response = client.get(url, params)
        assert response.status_code == 200
        return [row.bilan for row in response.context["listing"].rows]

    assert listed() == [running, ended]
    assert listed(consultant=colleague.pk) == [running]
    assert listed(statut="termines") == [ended]
    html = client.get(url).content.decode()
    assert "Isolement" not in html
    assert reverse("coordinator:bilan", args=[ended.pk]) in html


def test_the_coordinator_names_a_consultant_of_record_from_the_page(
    client, people, organisation, colleague
):
    person = member(Role.BENEFICIARY, organisation, invited_by=people["coordinator"])
    membership = _membership(person)
    client.force_login(people["coordinator"])

    listing = client.get(reverse("coordinator:beneficiaries"), {"sans_consultant": "on"})
    assert [row.user for row in listing.context["page_obj"].object_list] == [person]

    url = reverse("coordinator:beneficiary_consultant", args=[membership.pk])
    done = client.post(url, {"consultant": colleague.pk, "version": membership.version})
    assert done.status_code == 302
    assert _membership(person).consultant == colleague


def test_the_coordinator_list_does_not_grow_with_the_number_of_bilans(
    client, people, organisation, colleague
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("coordinator:bilan_list")).status_code == 200
        return len(context.captured_queries)

    client.force_login(people["coordinator"])
    open_bilan(people["consultant"], people["beneficiary"])
    client.get(reverse("coordinator:bilan_list"))
    one = count()
    for _ in range(4):
        person = member(Role.BENEFICIARY, organisation, invited_by=colleague)
        closed_bilan(colleague, person)
    assert count() == one


# --- After a hand-over, the past keeps its real authors (issue 15, QA walk) -------------


def _claire(people):
    old = people["consultant"]
    old.first_name, old.last_name = "Claire", "Morel"
    old.save(update_fields=["first_name", "last_name"])
    return old


def _hand_over(people, bilan, consultant):
    bilans.bilan_hand_over(
        coordinator=people["coordinator"],
        bilan=bilan,
        consultant=consultant,
        expected_version=bilan.version,
    )
    bilan.refresh_from_db()
    return bilan


def test_the_steps_done_before_a_hand_over_keep_their_author(client, people, colleague):
    old = _claire(people)
    bilan = advance_to(open_bilan(old, people["beneficiary"]), Phase.INVESTIGATION)
    _hand_over(people, bilan, colleague)
    client.force_login(people["beneficiary"])

    response = client.get(reverse("bilans:mine"))

    assert response.status_code == 200
    steps = response.context["steps"]
    assert [step["by"] for step in steps[:2]] == [old, old]
    assert "par Claire Morel" in response.content.decode()
    assert "par Camille Roux" not in response.content.decode()
    # a bilan that never changed hands: its consultant opened it
    other = member(Role.BENEFICIARY, colleague.memberships.get().organisation, invited_by=colleague)
    assert bilans.first_consultant(open_bilan(colleague, other)) == colleague


def test_the_new_consultant_sees_who_confirmed_the_past_entretiens(client, people, colleague):
    old = _claire(people)
    bilan = open_bilan(old, people["beneficiary"])
    past, _future = entretiens(bilan, count=2)
    held(past)
    emargement.entretien_consultant_confirm(consultant=old, bilan=bilan, occurrence=past)
    _hand_over(people, bilan, colleague)
    client.force_login(colleague)

    page = client.get(reverse("bilans:sessions", args=[bilan.pk])).content.decode()

    assert "Confirmé par Claire Morel le" in page
    assert "Confirmé par vous" not in page
