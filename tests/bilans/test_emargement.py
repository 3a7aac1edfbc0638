"""Émargement (ADR 0018): the consultant's confirmation, the entretien recorded afterwards
within the rules of the bilan, the sheet's rows and its PDF, and who may download it."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from tests.bilans.helpers import advance_to, entretiens, held, open_bilan
from tests.factories import OrganisationFactory, member
from tisser.bilans import services as bilans
from tisser.bilans.models import Bilan, Phase
from tisser.bilans.services.emargement import (
    emargement_pdf,
    emargement_rows,
    entretien_consultant_confirm,
    entretien_record_unplanned,
)
from tisser.core.enums import Role
from tisser.core.models import AuditEvent
from tisser.meetings.models import Attendance, MeetingMode


def pdf_text(content: bytes) -> str:
    from io import BytesIO

    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)
    return " ".join(text.split())  # table cells wrap their lines


@pytest.fixture
def bilan(people):
    bilan = open_bilan(people["consultant"], people["beneficiary"])
    # Opened three weeks ago, so that entretiens can be recorded in the past.
    Bilan.objects.filter(pk=bilan.pk).update(opened_at=timezone.now() - timedelta(days=21))
    bilan.refresh_from_db()
    return bilan


def unplanned(bilan, *, days_ago=2, minutes=60, reason="Point téléphonique demandé", **kw):
    start = timezone.now() - timedelta(days=days_ago)
    return entretien_record_unplanned(
        consultant=kw.pop("consultant", bilan.consultant),
        bilan=bilan,
        start=start,
        duration_minutes=minutes,
        mode=kw.pop("mode", MeetingMode.PHONE),
        reason=reason,
    )


def test_the_consultant_confirms_a_held_entretien_recording_the_presence(bilan):
    (occurrence,) = entretiens(bilan)
    occurrence = held(occurrence, confirmed=False)
    Attendance.objects.filter(occurrence=occurrence).delete()

    signed = entretien_consultant_confirm(
        consultant=bilan.consultant, bilan=bilan, occurrence=occurrence
    )
    again = entretien_consultant_confirm(
        consultant=bilan.consultant, bilan=bilan, occurrence=occurrence
    )

    assert signed.user == bilan.consultant and signed.confirmed_by_participant_at
    assert again.confirmed_by_participant_at == signed.confirmed_by_participant_at
    (row,) = emargement_rows(bilan)
    assert row.present and row.consultant_only
    assert row.consultant_confirmed_at == signed.confirmed_by_participant_at
    assert "non confirmée par la personne" in row.beneficiary_label
    assert bilans.bilan_hours(bilan).effective_text == "1"
    assert AuditEvent.objects.filter(action="bilan.entretien_confirm").count() == 2


def test_an_entretien_the_person_missed_cannot_be_confirmed(bilan):
    (occurrence,) = entretiens(bilan)
    occurrence = held(occurrence, confirmed=False)
    Attendance.objects.filter(occurrence=occurrence).update(status=Attendance.Status.ABSENT)

    with pytest.raises(ValidationError, match="Absent"):
        entretien_consultant_confirm(
            consultant=bilan.consultant, bilan=bilan, occurrence=occurrence
        )


@pytest.mark.parametrize("role", ["beneficiary", "coordinator", "mentor"])
def test_only_the_consultant_confirms_or_records_afterwards(bilan, people, role):
    (occurrence,) = entretiens(bilan)
    occurrence = held(occurrence)

    with pytest.raises(PermissionDenied):
        entretien_consultant_confirm(consultant=people[role], bilan=bilan, occurrence=occurrence)
    with pytest.raises(PermissionDenied):
        unplanned(bilan, consultant=people[role])


def test_an_unplanned_entretien_counts_in_the_hours_with_its_reason(bilan):
    occurrence = unplanned(bilan, minutes=90)

    assert bilans.bilan_hours(bilan).effective_text == "1,5"
    (row,) = emargement_rows(bilan)
    assert row.occurrence_id == occurrence.pk
    assert row.unplanned_reason == "Point téléphonique demandé"
    assert row.recorded_afterwards_at is not None
    assert row.consultant_confirmed_at is not None and row.consultant_only
    assert row.mode_label == "À distance (téléphone)"


def test_an_unplanned_entretien_needs_a_reason_a_past_date_after_the_opening(bilan):
    with pytest.raises(ValidationError) as no_reason:
        unplanned(bilan, reason="   ")
    assert "reason" in no_reason.value.message_dict

    with pytest.raises(ValidationError) as future:
        unplanned(bilan, days_ago=0, minutes=60)  # ends in an hour
    assert future.value.message_dict["start"][0].startswith("Cet entretien n'est pas encore")

    with pytest.raises(ValidationError) as before:
        unplanned(bilan, days_ago=30)
    assert "ouvert le" in before.value.message_dict["start"][0]
    assert not bilan.sessions.exists()


def test_an_unplanned_entretien_respects_the_24_hours(bilan):
    entretiens(bilan, count=3, minutes=420)  # 21 h planned ahead

    unplanned(bilan, minutes=180)  # 24 h exactly
    with pytest.raises(ValidationError) as error:
        unplanned(bilan, days_ago=3, minutes=15)

    assert "24 heures" in error.value.message_dict["duration_minutes"][0]


def test_a_closed_bilan_takes_no_more_entretien(people):
    bilan = advance_to(open_bilan(people["consultant"], people["beneficiary"]), Phase.CLOSED)
    Bilan.objects.filter(pk=bilan.pk).update(opened_at=timezone.now() - timedelta(days=21))
    bilan.refresh_from_db()

    with pytest.raises(ValidationError, match="terminé"):
        unplanned(bilan)


def test_the_sheet_lists_each_entretien_with_both_confirmations(bilan, people):
    organisation = bilan.organisation
    organisation.legal_name, organisation.nda = "Horizons Bilans SAS", "76311234531"
    organisation.save()
    first, second, _future = entretiens(bilan, count=3)
    held(first, days_ago=9, confirmed=False)
    held(second, days_ago=2, confirmed=True)
    entretien_consultant_confirm(consultant=bilan.consultant, bilan=bilan, occurrence=second)
    unplanned(bilan, days_ago=5, reason="Rendez-vous téléphonique imprévu")

    text = pdf_text(emargement_pdf(actor=people["coordinator"], bilan=bilan))

    assert "Feuille d'émargement" in text
    assert "Horizons Bilans SAS" in text
    assert "76311234531" in text
    assert bilan.beneficiary.get_full_name() in text
    assert "Présence confirmée par la personne" in text
    assert "non confirmée par la personne" in text
    assert "Rendez-vous téléphonique imprévu" in text
    assert "À distance (téléphone)" in text and "Sur place" in text
    assert text.count("Confirmé le") == 2  # the second and the unplanned one
    assert AuditEvent.objects.filter(action="bilan.emargement_download").exists()


def test_a_sheet_over_several_pages_prints_its_total_once_at_the_end(bilan, people):
    # WeasyPrint repeats a <tfoot> on every page: the total is the table's last row instead.
    for days_ago in range(2, 16):
        unplanned(bilan, days_ago=days_ago, minutes=30, reason="Point demandé " * 6)

    pages = PdfReader(BytesIO(emargement_pdf(actor=people["consultant"], bilan=bilan))).pages
    texts = [page.extract_text() for page in pages]

    assert len(pages) > 1
    assert texts[0].count("Total des heures effectives") == 0
    assert sum(text.count("Total des heures effectives") for text in texts) == 1


def test_the_sheet_is_for_the_beneficiary_the_consultant_and_the_coordination(
    client, bilan, people, organisation
):
    url = reverse("bilans:emargement_pdf", args=[bilan.pk])
    for role in ("beneficiary", "consultant", "coordinator"):
        client.force_login(people[role])
        response = client.get(url)
        assert response.status_code == 200, role
        assert response["Content-Type"] == "application/pdf"
    others = [
        people["mentor"],
        member(Role.CONSULTANT, organisation),
        member(Role.COORDINATOR, OrganisationFactory()),
    ]
    for user in others:
        client.force_login(user)
        assert client.get(url).status_code == 404
        with pytest.raises(PermissionDenied):
            emargement_pdf(actor=user, bilan=bilan)


def test_the_consultant_records_an_unplanned_entretien_on_the_page(client, bilan, people):
    client.force_login(people["consultant"])
    url = reverse("bilans:entretien_unplanned", args=[bilan.pk])
    day = timezone.localdate() - timedelta(days=3)

    missing = client.post(url, {"date": day.isoformat(), "start_time": "14:00", "mode": "phone"})
    assert missing.status_code == 400
    html = missing.content.decode()
    assert 'id="id_reason_error"' in html and 'value="14:00"' in html

    future = client.post(
        url,
        {
            "date": (timezone.localdate() + timedelta(days=2)).isoformat(),
            "start_time": "14:00",
            "duration_minutes": 60,
            "mode": "phone",
            "reason": "Imprévu",
        },
    )
    assert future.status_code == 400
    assert 'id="id_date_error"' in future.content.decode()

    response = client.post(
        url,
        {
            "date": day.isoformat(),
            "start_time": "14:00",
            "duration_minutes": 60,
            "mode": "phone",
            "reason": "Imprévu",
        },
    )
    assert response.status_code == 302
    assert bilan.sessions.get().unplanned_reason == "Imprévu"
    page = client.get(reverse("bilans:sessions", args=[bilan.pk])).content.decode()
    assert "Confirmé par vous le" in page
    assert reverse("bilans:emargement_pdf", args=[bilan.pk]) in page


def test_the_consultant_confirms_on_the_sessions_page(client, bilan, people):
    (occurrence,) = entretiens(bilan)
    occurrence = held(occurrence, confirmed=False)
    client.force_login(people["consultant"])
    page = client.get(reverse("bilans:sessions", args=[bilan.pk])).content.decode()
    url = reverse("bilans:entretien_confirm", args=[bilan.pk, occurrence.pk])
    assert url in page

    response = client.post(url)

    assert response.status_code == 302
    assert Attendance.objects.filter(
        occurrence=occurrence, user=people["consultant"], confirmed_by_participant_at__isnull=False
    ).exists()
    client.force_login(people["beneficiary"])
    assert client.post(url).status_code == 404
