"""Consultants' records (indicators 21 and 22): the services, the due rule, uploads, the pages,
who sees what, and the list's query count."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from tests.factories import member
from tisser.core.enums import Role
from tisser.core.errors import StaleVersion
from tisser.quality.consultant_evidence import consultant_files, consultant_lines
from tisser.quality.consultants import DueKind, dues_of, organisation_consultant_rows
from tisser.quality.demo_consultants import demo_proof
from tisser.quality.evidence import Span, providers_of
from tisser.quality.models import ConsultantMethod, ConsultantRecord, ConsultantTraining
from tisser.quality.services.consultants import (
    RecordItemKind,
    consultant_item_add,
    consultant_item_delete,
    consultant_item_update,
    consultant_record_save,
)

PDF = demo_proof("test").content


def _membership(user):
    return user.memberships.get()


def _training(user, ended_on, hours="7", actor=None):
    return consultant_item_add(
        actor=actor or user,
        membership=_membership(user),
        kind=RecordItemKind.TRAINING,
        values={
            "title": "Formation",
            "provider": "Centre",
            "started_on": ended_on,
            "ended_on": ended_on,
            "hours": Decimal(hours),
            "indicator": 22,
        },
    )


def _complete(user):
    consultant_record_save(
        actor=user,
        membership=_membership(user),
        expected_version=0,
        years_in_guidance=8,
        previous_roles="",
        summary="",
    )
    consultant_item_add(
        actor=user,
        membership=_membership(user),
        kind=RecordItemKind.QUALIFICATION,
        values={"title": "Master", "awarding_body": "Université", "year": 2010},
    )


# -- the due rule ---------------------------------------------------------------------------


def test_the_due_rule():
    today = datetime.date(2026, 12, 7)
    rule = {"today": today, "joined_on": datetime.date(2020, 1, 1), "next_expiry_on": None}
    assert (
        dues_of(
            **rule,
            last_training_on=datetime.date(2026, 1, 10),
            has_qualification=True,
            has_experience=True,
        )
        == []
    )
    (due,) = dues_of(
        **rule,
        last_training_on=datetime.date(2025, 12, 6),
        has_qualification=True,
        has_experience=True,
    )
    assert due.kind == DueKind.TRAINING and due.due_on == datetime.date(2026, 12, 6)
    kinds = [
        due.kind
        for due in dues_of(
            today=today,
            joined_on=datetime.date(2026, 11, 1),
            last_training_on=None,
            next_expiry_on=today + datetime.timedelta(days=90),
            has_qualification=False,
            has_experience=True,
        )
    ]
    assert kinds == [DueKind.RENEWAL, DueKind.INCOMPLETE]
    assert not dues_of(
        today=today,
        joined_on=datetime.date(2026, 11, 1),
        last_training_on=None,
        next_expiry_on=today + datetime.timedelta(days=91),
        has_qualification=True,
        has_experience=True,
    )


@pytest.mark.django_db
def test_who_is_due_for_what(organisation):
    with freeze_time("2025-01-15"):
        claire = member(Role.CONSULTANT, organisation)
        julien = member(Role.CONSULTANT, organisation)
    _complete(claire)
    _complete(julien)
    _training(claire, datetime.date(2026, 6, 1))
    _training(julien, datetime.date(2025, 3, 1))
    consultant_item_add(
        actor=julien,
        membership=_membership(julien),
        kind=RecordItemKind.METHOD,
        values={
            "name": "MBTI",
            "accredited_on": datetime.date(2023, 1, 1),
            "expires_on": datetime.date(2027, 1, 20),
        },
    )
    with freeze_time("2026-12-07"):
        rows = {
            row.membership.user_id: row
            for row in organisation_consultant_rows(
                organisation.pk, today=datetime.date(2026, 12, 7)
            )
        }
    assert rows[claire.pk].dues == [] and rows[claire.pk].complete
    dues = rows[julien.pk].dues
    assert [due.kind for due in dues] == [DueKind.TRAINING, DueKind.RENEWAL]
    assert dues[0].due_on == datetime.date(2026, 3, 1)
    assert dues[1].due_on == datetime.date(2027, 1, 20) and dues[1].about == "MBTI"


# -- services -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_record_is_saved_with_its_version(organisation):
    consultant = member(Role.CONSULTANT, organisation)
    coordinator = member(Role.COORDINATOR, organisation)
    membership = _membership(consultant)
    record = consultant_record_save(
        actor=consultant,
        membership=membership,
        expected_version=0,
        years_in_guidance=3,
        previous_roles="RH",
        summary="",
    )
    assert record.version == 1
    consultant_record_save(
        actor=coordinator,
        membership=membership,
        expected_version=1,
        years_in_guidance=4,
        previous_roles="RH",
        summary="",
    )
    with pytest.raises(StaleVersion):
        consultant_record_save(
            actor=consultant,
            membership=membership,
            expected_version=1,
            years_in_guidance=5,
            previous_roles="",
            summary="",
        )
    assert ConsultantRecord.objects.get().years_in_guidance == 4


@pytest.mark.django_db
def test_only_the_consultant_and_their_coordinator_write(organisation):
    consultant = member(Role.CONSULTANT, organisation)
    colleague = member(Role.CONSULTANT, organisation)
    outsider = member(Role.COORDINATOR)
    for actor in (colleague, outsider, member(Role.MENTOR, organisation)):
        with pytest.raises(PermissionDenied):
            _training(consultant, datetime.date(2026, 1, 1), actor=actor)
    assert not ConsultantTraining.objects.exists()


@pytest.mark.django_db
def test_items_are_checked_updated_and_deleted(organisation):
    consultant = member(Role.CONSULTANT, organisation)
    with pytest.raises(ValidationError) as error:
        consultant_item_add(
            actor=consultant,
            membership=_membership(consultant),
            kind=RecordItemKind.METHOD,
            values={
                "name": "MBTI",
                "accredited_on": datetime.date(2026, 1, 1),
                "expires_on": datetime.date(2025, 1, 1),
            },
        )
    assert "expires_on" in error.value.message_dict
    training = _training(consultant, datetime.date(2026, 1, 1))
    consultant_item_update(
        actor=consultant,
        item=training,
        expected_version=1,
        values={
            **{
                f: getattr(training, f)
                for f in ("title", "provider", "started_on", "ended_on", "indicator")
            },
            "hours": Decimal("10.5"),
        },
    )
    with pytest.raises(StaleVersion):
        consultant_item_update(
            actor=consultant,
            item=training,
            expected_version=1,
            values={
                "title": "x",
                "provider": "y",
                "started_on": datetime.date(2026, 1, 1),
                "ended_on": datetime.date(2026, 1, 1),
                "hours": Decimal(1),
                "indicator": 22,
            },
        )
    assert ConsultantTraining.objects.get().hours == Decimal("10.5")
    consultant_item_delete(actor=consultant, item=ConsultantTraining.objects.get())
    assert not ConsultantTraining.objects.exists()


# -- pages ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_consultant_adds_a_training_with_its_proof(client, organisation):
    consultant = member(Role.CONSULTANT, organisation)
    client.force_login(consultant)
    membership = _membership(consultant)
    assert client.get(reverse("quality:consultant_record_mine")).status_code == 302
    url = reverse("quality:consultant_item_add", args=[membership.pk, "formations"])
    response = client.post(
        url,
        {
            "title": "Entretien motivationnel",
            "provider": "Centre",
            "started_on": "2026-11-02",
            "ended_on": "2026-11-03",
            "hours": "14",
            "indicator": "22",
            "proof": SimpleUploadedFile("attestation.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    training = ConsultantTraining.objects.get()
    assert training.proof_name == "attestation.pdf" and bytes(training.proof) == PDF
    proof = client.get(
        reverse("quality:consultant_item_proof", args=[membership.pk, "formations", training.pk])
    )
    assert proof.status_code == 200 and proof["Content-Type"] == "application/pdf"
    page = client.get(reverse("quality:consultant_record", args=[membership.pk]))
    assert "Entretien motivationnel" in page.content.decode()


@pytest.mark.django_db
def test_a_bad_upload_is_said_next_to_the_field_and_nothing_typed_is_lost(client, organisation):
    consultant = member(Role.CONSULTANT, organisation)
    client.force_login(consultant)
    url = reverse("quality:consultant_item_add", args=[_membership(consultant).pk, "diplomes"])
    response = client.post(
        url,
        {
            "title": "Master de psychologie",
            "awarding_body": "Université",
            "year": "2011",
            "proof": SimpleUploadedFile(
                "diplome.exe", b"MZ\x90\x00", content_type="application/pdf"
            ),
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_proof_error"' in html
    assert "Envoyez un PDF, une image PNG ou une image JPEG." in html
    assert 'value="Master de psychologie"' in html
    response = client.post(url, {"title": "Master", "awarding_body": "U", "year": "1800"})
    assert response.status_code == 400
    assert 'id="id_year_error"' in response.content.decode()


@pytest.mark.django_db
def test_a_consultant_cannot_see_a_colleagues_record(client, organisation):
    consultant = member(Role.CONSULTANT, organisation)
    colleague = member(Role.CONSULTANT, organisation)
    training = _training(colleague, datetime.date(2026, 1, 1))
    client.force_login(consultant)
    other = _membership(colleague).pk
    for url in (
        reverse("quality:consultant_record", args=[other]),
        reverse("quality:consultant_record_pdf", args=[other]),
        reverse("quality:consultant_profile_edit", args=[other]),
        reverse("quality:consultant_item_add", args=[other, "formations"]),
        reverse("quality:consultant_item_edit", args=[other, "formations", training.pk]),
        reverse("quality:consultant_item_proof", args=[other, "formations", training.pk]),
        reverse(
            "quality:consultant_item_edit",
            args=[_membership(consultant).pk, "formations", training.pk],
        ),
        reverse("quality:consultant_list"),
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            reverse("quality:consultant_item_delete", args=[other, "formations", training.pk]),
            {"confirmed": "oui"},
        ).status_code
        == 404
    )
    assert ConsultantTraining.objects.exists()


@pytest.mark.django_db
def test_the_coordinator_sees_who_is_due_and_edits_a_record(client, organisation):
    coordinator = member(Role.COORDINATOR, organisation)
    with freeze_time("2024-01-01"):
        consultant = member(Role.CONSULTANT, organisation)
    client.force_login(coordinator)
    response = client.get(reverse("quality:consultant_list"), {"echeance": "formation"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Formation continue à prévoir" in html and "Dossier incomplet" in html
    membership = _membership(consultant)
    response = client.post(
        reverse("quality:consultant_profile_edit", args=[membership.pk]),
        {"years_in_guidance": "6", "previous_roles": "", "summary": "", "version": "0"},
    )
    assert response.status_code == 302
    assert ConsultantRecord.objects.get(membership=membership).years_in_guidance == 6
    response = client.get(reverse("quality:consultant_list"), {"echeance": "a-jour"})
    assert "1 consultant·e" not in response.content.decode()


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.django_db
def test_the_list_reads_as_many_queries_small_or_grown(client, organisation):
    coordinator = member(Role.COORDINATOR, organisation)
    client.force_login(coordinator)
    url = reverse("quality:consultant_list")
    first = member(Role.CONSULTANT, organisation)
    _complete(first)
    _training(first, datetime.date(2026, 1, 1))
    _count(client, url)  # the session and the caches, read once
    small = _count(client, url)
    for _index in range(8):
        consultant = member(Role.CONSULTANT, organisation)
        _complete(consultant)
        _training(consultant, datetime.date(2025, 1, 1))
        consultant_item_add(
            actor=consultant,
            membership=_membership(consultant),
            kind=RecordItemKind.METHOD,
            values={
                "name": "MBTI",
                "accredited_on": datetime.date(2020, 1, 1),
                "expires_on": datetime.date(2030, 1, 1),
            },
        )
    assert _count(client, url) == small


# -- evidence -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_evidence_for_21_and_22(organisation):
    consultant = member(Role.CONSULTANT, organisation)
    _complete(consultant)
    training = _training(consultant, datetime.date(2026, 3, 1), hours="10.5")
    ConsultantTraining.objects.filter(pk=training.pk).update(
        proof=PDF, proof_content_type="application/pdf", proof_name="a.pdf"
    )
    assert "consultants" in [p.name for p in providers_of(21)]
    assert "consultants" in [p.name for p in providers_of(22)]
    span = Span(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    with CaptureQueriesContext(connection) as context:
        lines = consultant_lines(organisation, span)
    assert len(context.captured_queries) <= 3
    texts = [line.text for line in lines]
    assert "1 consultant·e sur 1 a un dossier complet (diplômes et expérience)." in texts
    assert "1 formation continue suivie sur la période, 10,5 h au total." in texts
    files = list(consultant_files(organisation, span))
    names = [file.name for file in files]
    assert names[0].endswith("/dossier.pdf") and files[0].content.startswith(b"%PDF")
    assert any(name.endswith(f"training-{training.pk}.pdf") for name in names)
    assert not ConsultantMethod.objects.exists()
