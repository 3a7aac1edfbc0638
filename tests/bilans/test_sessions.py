import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.bilans.helpers import entretiens, held, open_bilan
from tests.factories import member
from tisser.bilans import services as bilans
from tisser.bilans.models import SessionNote
from tisser.core.enums import Role
from tisser.core.errors import StaleVersion
from tisser.core.models import AuditEvent
from tisser.meetings.models import Occurrence


@pytest.fixture
def bilan(people):
    return open_bilan(people["consultant"], people["beneficiary"])


def save(bilan, occurrence, text, version, actor=None):
    return bilans.session_note_save(
        consultant=actor or bilan.consultant,
        bilan=bilan,
        occurrence=occurrence,
        text=text,
        expected_version=version,
    )


def test_the_consultant_writes_then_edits_private_notes_audited_without_the_text(bilan):
    (occurrence,) = entretiens(bilan)

    first = save(bilan, occurrence, "  Personne fatiguée, envie de changer.  ", 0)
    second = save(bilan, occurrence, "Envie de changer de métier.", first.version)

    assert second.text == "Envie de changer de métier."
    assert second.version == 2
    events = AuditEvent.objects.filter(action="session_note.save")
    assert events.count() == 2
    assert all("text" not in event.data for event in events)
    assert all("métier" not in str(event.data) for event in events)


def test_a_stale_version_is_refused_and_carries_the_saved_text(bilan):
    (occurrence,) = entretiens(bilan)
    save(bilan, occurrence, "Version de l'onglet A", 0)

    with pytest.raises(StaleVersion) as conflict:
        save(bilan, occurrence, "Version de l'onglet B", 0)

    assert conflict.value.current.text == "Version de l'onglet A"
    assert conflict.value.version == 1
    assert SessionNote.objects.get().text == "Version de l'onglet A"


@pytest.mark.parametrize("role", ["beneficiary", "coordinator", "mentor"])
def test_only_the_bilans_consultant_writes_private_notes(bilan, people, role):
    (occurrence,) = entretiens(bilan)

    with pytest.raises(PermissionDenied):
        save(bilan, occurrence, "?", 0, actor=people[role])


def test_an_entretien_of_another_bilan_is_refused(bilan, people, organisation):
    other = open_bilan(
        people["consultant"],
        member(Role.BENEFICIARY, organisation, invited_by=people["consultant"]),
    )
    (foreign_occurrence,) = entretiens(other)

    with pytest.raises(ValidationError):
        save(bilan, foreign_occurrence, "?", 0)


def test_private_notes_are_visible_to_the_consultant_only(bilan, people):
    (occurrence,) = entretiens(bilan)
    save(bilan, occurrence, "secret", 0)

    assert SessionNote.objects.visible_to(people["consultant"]).count() == 1
    for role in ("beneficiary", "coordinator", "mentor"):
        assert not SessionNote.objects.visible_to(people[role]).exists()


def test_entretiens_carry_the_beneficiarys_emargement(bilan):
    past, future = entretiens(bilan, count=2)
    held(past)

    rows = {row.pk: row for row in bilans.bilan_entretiens(bilan)}

    assert rows[past.pk].attendance_status == "present"
    assert rows[past.pk].attendance_confirmed_at is not None
    assert rows[future.pk].attendance_status is None


def test_the_consultants_list_shows_every_entretien_and_their_private_notes(
    client, bilan, django_assert_max_num_queries
):
    occurrences = entretiens(bilan, count=3)
    held(occurrences[0])
    save(bilan, occurrences[0], "Note très privée", 0)
    client.force_login(bilan.consultant)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("bilans:sessions", args=[bilan.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Note très privée" in html
    assert html.count('id="entretien-') == 3
    assert "Confirmé par la personne le" in html
    assert reverse("meetings:occurrence", args=[occurrences[0].pk]) in html
    assert reverse("bilans:session_note", args=[bilan.pk, occurrences[1].pk]) in html


def test_the_beneficiary_sees_the_list_without_private_notes_and_can_sign(client, bilan):
    occurrence, later = entretiens(bilan, count=2)
    save(bilan, later, "Note très privée", 0)
    # Just held, not signed yet: the émargement button is offered.
    now = timezone.now()
    Occurrence.objects.filter(pk=occurrence.pk).update(
        start=now - (occurrence.end - occurrence.start), end=now
    )
    client.force_login(bilan.beneficiary)

    html = client.get(reverse("bilans:sessions", args=[bilan.pk])).content.decode()

    assert "Note très privée" not in html
    assert "Notes privées" not in html
    assert reverse("meetings:attendance_confirm", args=[occurrence.pk]) in html
    assert reverse("meetings:attendance_confirm", args=[later.pk]) not in html


def test_a_presence_noted_by_the_consultant_says_who_noted_it(client, bilan):
    (occurrence,) = entretiens(bilan)
    held(occurrence, confirmed=False)
    url = reverse("bilans:sessions", args=[bilan.pk])

    client.force_login(bilan.consultant)
    consultants_page = client.get(url).content.decode()
    client.force_login(bilan.beneficiary)
    beneficiarys_page = client.get(url).content.decode()

    assert "(noté par vous, non confirmé par la personne)" in consultants_page
    assert f"(noté par {bilan.consultant.get_full_name()}, non confirmé)" in beneficiarys_page
    for page in (consultants_page, beneficiarys_page):
        assert "noté par le conseiller ou la conseillère" not in page


def test_a_coordinator_of_the_organisation_gets_a_404(client, bilan, people):
    (occurrence,) = entretiens(bilan)
    client.force_login(people["coordinator"])

    assert client.get(reverse("bilans:sessions", args=[bilan.pk])).status_code == 404
    note_url = reverse("bilans:session_note", args=[bilan.pk, occurrence.pk])
    assert client.get(note_url).status_code == 404


def test_the_beneficiary_cannot_open_the_notes_editor(client, bilan):
    (occurrence,) = entretiens(bilan)
    client.force_login(bilan.beneficiary)

    response = client.get(reverse("bilans:session_note", args=[bilan.pk, occurrence.pk]))

    assert response.status_code == 404


def test_saving_notes_from_the_editor(client, bilan):
    (occurrence,) = entretiens(bilan)
    client.force_login(bilan.consultant)
    url = reverse("bilans:session_note", args=[bilan.pk, occurrence.pk])

    response = client.post(url, {"text": "Première note", "version": 0})

    assert response.status_code == 302
    assert response["Location"].endswith(f"#entretien-{occurrence.pk}")
    assert SessionNote.objects.get().text == "Première note"


def test_a_concurrent_edit_shows_both_texts_and_keeps_mine(client, bilan):
    (occurrence,) = entretiens(bilan)
    save(bilan, occurrence, "Texte de l'autre onglet", 0)
    client.force_login(bilan.consultant)
    url = reverse("bilans:session_note", args=[bilan.pk, occurrence.pk])

    response = client.post(url, {"text": "Mon texte à moi", "version": 0})

    html = response.content.decode()
    assert response.status_code == 409
    assert "Texte de l&#x27;autre onglet" in html
    assert "Mon texte à moi" in html
    assert 'name="version" value="1"' in html
    assert SessionNote.objects.get().text == "Texte de l'autre onglet"
