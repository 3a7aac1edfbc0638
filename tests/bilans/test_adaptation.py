"""A need for adaptation on a bilan (indicator 26, ADR 0037): the person writes it, or her
consultant with her dated agreement; the consultant records adaptations; the person withdraws
it all; only the two of them see it; every write and the consultant's reads are audited
without the text; it goes with the working documents at the end."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import member
from tisser.bilans import services as bilans
from tisser.bilans import working_documents
from tisser.bilans.models import (
    AdaptationKind,
    AdaptationMeasure,
    Bilan,
    BilanAdaptation,
    Funding,
    Phase,
    RecordedBy,
)
from tisser.core.enums import Role
from tisser.core.errors import StaleVersion
from tisser.core.models import AuditEvent
from tisser.core.personal_data import personal_data_export

NEED = "Des entretiens de 45 minutes au plus, et les documents en gros caractères."


@pytest.fixture
def bilan(people):
    return bilans.bilan_open(
        consultant=people["consultant"], beneficiary=people["beneficiary"], funding=Funding.CPF
    )


def _need_by_person(people, bilan) -> BilanAdaptation:
    return bilans.adaptation_need_save(
        actor=people["beneficiary"], bilan=bilan, need=NEED, expected_version=0
    )


def _measure(people, bilan, record, kind=AdaptationKind.SHORTER_SESSIONS):
    return bilans.adaptation_measure_add(
        consultant=people["consultant"],
        bilan=bilan,
        kind=kind,
        detail="",
        started_on=timezone.localdate(),
        expected_version=record.version,
    )


# --- Services -----------------------------------------------------------------------------------


def test_the_person_records_her_need_without_any_consent_date(people, bilan):
    record = _need_by_person(people, bilan)

    assert record.recorded_by == RecordedBy.BENEFICIARY
    assert record.consent_on is None
    event = AuditEvent.objects.get(action="bilan.adaptation_create")
    assert NEED not in str(event.data)


def test_the_consultant_records_only_with_the_persons_dated_agreement(people, bilan):
    with pytest.raises(ValidationError) as refused:
        bilans.adaptation_need_save(
            actor=people["consultant"], bilan=bilan, need=NEED, expected_version=0
        )
    assert "consent" in refused.value.error_dict
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        bilans.adaptation_need_save(
            actor=people["consultant"],
            bilan=bilan,
            need=NEED,
            consent_on=tomorrow,
            expected_version=0,
        )
    assert "consent_on" in refused.value.error_dict
    assert not BilanAdaptation.objects.exists()

    agreed = timezone.localdate()
    record = bilans.adaptation_need_save(
        actor=people["consultant"], bilan=bilan, need=NEED, consent_on=agreed, expected_version=0
    )

    assert (record.recorded_by, record.consent_on) == (RecordedBy.CONSULTANT, agreed)


def test_nobody_else_writes_or_adds_adaptations(people, bilan, organisation):
    colleague = member(Role.CONSULTANT, organisation)
    for actor in (people["coordinator"], people["mentor"], colleague):
        with pytest.raises(PermissionDenied):
            bilans.adaptation_need_save(
                actor=actor, bilan=bilan, need=NEED, consent_on=date.today(), expected_version=0
            )
    record = _need_by_person(people, bilan)
    with pytest.raises(PermissionDenied):
        _measure({"consultant": people["beneficiary"]}, bilan, record)
    with pytest.raises(PermissionDenied):
        bilans.adaptation_withdraw(
            beneficiary=people["consultant"], bilan=bilan, expected_version=record.version
        )


def test_an_edit_from_an_old_version_is_refused(people, bilan):
    record = _need_by_person(people, bilan)
    bilans.adaptation_need_save(
        actor=people["beneficiary"], bilan=bilan, need="Autre chose", expected_version=1
    )

    with pytest.raises(StaleVersion):
        bilans.adaptation_need_save(
            actor=people["consultant"],
            bilan=bilan,
            need=NEED,
            consent_on=date.today(),
            expected_version=record.version,
        )
    assert BilanAdaptation.objects.get().need == "Autre chose"


def test_other_needs_a_detail_and_an_adaptation_is_dated_today_at_the_latest(people, bilan):
    record = _need_by_person(people, bilan)
    with pytest.raises(ValidationError) as refused:
        _measure(people, bilan, record, kind=AdaptationKind.OTHER)
    assert "detail" in refused.value.error_dict
    with pytest.raises(ValidationError) as refused:
        bilans.adaptation_measure_add(
            consultant=people["consultant"],
            bilan=bilan,
            kind=AdaptationKind.REMOTE,
            detail="",
            started_on=timezone.localdate() + timedelta(days=2),
            expected_version=record.version,
        )
    assert "started_on" in refused.value.error_dict


def test_withdrawal_deletes_the_need_and_its_adaptations_and_is_audited(people, bilan):
    record = _need_by_person(people, bilan)
    _measure(people, bilan, record)
    _measure(people, bilan, record, kind=AdaptationKind.REMOTE)

    gone = bilans.adaptation_withdraw(
        beneficiary=people["beneficiary"], bilan=bilan, expected_version=record.version
    )

    assert gone == 2
    assert not BilanAdaptation.objects.exists()
    assert not AdaptationMeasure.objects.exists()
    event = AuditEvent.objects.get(action="bilan.adaptation_withdraw")
    assert event.data == {"measures": 2}


def test_only_the_person_and_her_consultant_see_it(people, bilan, organisation):
    _need_by_person(people, bilan)
    colleague = member(Role.CONSULTANT, organisation)

    for who in ("beneficiary", "consultant"):
        assert BilanAdaptation.objects.visible_to(people[who]).count() == 1
    for user in (people["coordinator"], people["mentor"], colleague):
        assert not BilanAdaptation.objects.visible_to(user).exists()


def test_a_closed_bilan_takes_no_new_need(people, bilan):
    Bilan.objects.filter(pk=bilan.pk).update(status=Phase.CLOSED, closed_at=timezone.now())
    with pytest.raises(ValidationError):
        _need_by_person(people, bilan)


def test_it_is_a_working_document_in_the_archive_and_goes_at_the_end(people, bilan):
    record = _need_by_person(people, bilan)
    _measure(people, bilan, record)

    archive = personal_data_export(user=people["beneficiary"])
    assert archive["bilans"][0]["adaptation"]["need"] == NEED
    assert archive["bilans"][0]["adaptation"]["measures"][0]["kind"] == "shorter_sessions"

    entry = working_documents._registry["adaptation"]
    assert entry.count(bilan) == 1
    assert entry.destroy(bilan) == 1
    assert not AdaptationMeasure.objects.exists()


# --- Pages --------------------------------------------------------------------------------------


def test_the_person_records_her_need_from_her_bilan_and_sees_the_referent(client, people, bilan):
    organisation = bilan.organisation
    organisation.disability_referent_name = "Inès Roche"
    organisation.disability_referent_email = "ines.roche@example.org"
    organisation.save()
    client.force_login(people["beneficiary"])
    assert (
        reverse("bilans:adaptation", args=[bilan.pk])
        in client.get(reverse("bilans:mine")).content.decode()
    )

    page = client.get(reverse("bilans:adaptation", args=[bilan.pk])).content.decode()
    assert "Inès Roche" in page
    assert "ni diagnostic" in page
    response = client.post(
        reverse("bilans:adaptation", args=[bilan.pk]), {"version": 0, "need": NEED}
    )

    assert response.status_code == 302
    assert BilanAdaptation.objects.get().recorded_by == RecordedBy.BENEFICIARY


def test_without_a_referent_the_page_says_so(client, people, bilan):
    client.force_login(people["beneficiary"])
    page = client.get(reverse("bilans:adaptation", args=[bilan.pk])).content.decode()
    assert "pas encore désigné de référent handicap." in page


def test_the_consultants_form_keeps_the_text_and_asks_for_the_agreement(client, people, bilan):
    client.force_login(people["consultant"])
    response = client.post(
        reverse("bilans:adaptation", args=[bilan.pk]), {"version": 0, "need": NEED}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "id_consent_error" in html
    assert "45 minutes au plus" in html
    assert not BilanAdaptation.objects.exists()


def test_the_consultant_adds_an_adaptation_and_their_reads_are_audited(client, people, bilan):
    record = _need_by_person(people, bilan)
    client.force_login(people["consultant"])
    url = reverse("bilans:adaptation", args=[bilan.pk])

    assert NEED in client.get(url).content.decode().replace("&#x27;", "'")
    assert AuditEvent.objects.filter(action="bilan.adaptation_read").count() == 1
    response = client.post(
        reverse("bilans:adaptation_measure_add", args=[bilan.pk]),
        {
            "version": record.version,
            "kind": AdaptationKind.LARGE_PRINT,
            "detail": "",
            "started_on": timezone.localdate().isoformat(),
        },
    )

    assert response.status_code == 302
    assert AdaptationMeasure.objects.get().kind == AdaptationKind.LARGE_PRINT


def test_the_person_withdraws_after_confirming(client, people, bilan):
    record = _need_by_person(people, bilan)
    client.force_login(people["beneficiary"])
    url = reverse("bilans:adaptation_withdraw", args=[bilan.pk])

    asked = client.post(url, {"version": record.version})
    assert asked.status_code == 200
    assert BilanAdaptation.objects.exists()
    client.post(url, {"version": record.version, "confirmed": "oui"})

    assert not BilanAdaptation.objects.exists()


def test_the_coordinator_and_a_colleague_get_404(client, people, bilan, organisation):
    _need_by_person(people, bilan)
    for user in (people["coordinator"], member(Role.CONSULTANT, organisation)):
        client.force_login(user)
        assert client.get(reverse("bilans:adaptation", args=[bilan.pk])).status_code == 404
