"""Every way a bilan ends, the preliminary record that gates the preliminary phase, and the
person's observations on their synthèse: services and pages."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.bilans.helpers import entretiens, held
from tests.bilans.synthesis_helpers import (
    PRELIMINARY,
    advance_to,
    preliminary_done,
    submitted_synthesis,
)
from tisser.bilans import consent
from tisser.bilans import services as bilans
from tisser.bilans.models import (
    Bilan,
    BilanConsent,
    EndReason,
    Funding,
    Outcome,
    Phase,
    PhaseTransition,
    PreliminaryRecord,
    SynthesisPdf,
)
from tisser.bilans.notice_kinds import BilanNotice
from tisser.bilans.services.synthesis import synthesis_pdf_context
from tisser.core.errors import StaleVersion
from tisser.core.models import AuditEvent
from tisser.documents.pdf import render_html
from tisser.meetings.models import Occurrence
from tisser.notifications.models import Notification


@pytest.fixture
def bilan(people):
    return bilans.bilan_open(
        consultant=people["consultant"], beneficiary=people["beneficiary"], funding=Funding.CPF
    )


def assert_ended(bilan: Bilan, outcome: Outcome, reason: str = "") -> None:
    bilan.refresh_from_db()
    assert bilan.status == Phase.CLOSED
    assert bilan.closed_at is not None
    assert bilan.outcome == outcome
    assert bilan.end_reason == reason
    assert bilan.hours_done is not None
    assert PhaseTransition.objects.filter(bilan=bilan, to_phase=Phase.CLOSED).count() == 1
    event = AuditEvent.objects.get(action="bilan.end", target_id=str(bilan.pk))
    assert event.data["outcome"] == outcome


def a_new_bilan_opens(bilan: Bilan) -> None:
    again = bilans.bilan_open(
        consultant=bilan.consultant, beneficiary=bilan.beneficiary, funding=Funding.PERSONAL
    )
    assert again.status == Phase.PRELIMINARY and again.pk != bilan.pk


# --- Completed -------------------------------------------------------------------------------


def test_a_completed_bilan_freezes_its_hours_and_rate_and_a_new_one_opens(bilan):
    advance_to(bilan, Phase.CONCLUSION)
    occurrences = entretiens(bilan, count=3, minutes=120)
    held(occurrences[0], days_ago=3)
    held(occurrences[1], days_ago=2)
    submitted_synthesis(bilan)  # presented, not validated: enough
    bilan.refresh_from_db()
    assert bilan.planned_hours == Decimal("18")  # from the preliminary record

    bilans.bilan_phase_advance(actor=bilan.consultant, bilan=bilan, to_phase=Phase.CLOSED)

    assert_ended(bilan, Outcome.COMPLETED)
    assert bilan.hours_done == Decimal("4.0")
    assert bilan.completion_rate == Decimal("22")
    a_new_bilan_opens(bilan)


def test_closing_renders_the_pdf_of_a_presented_synthesis(
    bilan, django_capture_on_commit_callbacks
):
    advance_to(bilan, Phase.CONCLUSION)
    submitted_synthesis(bilan)
    bilan.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        bilans.bilan_phase_advance(actor=bilan.consultant, bilan=bilan, to_phase=Phase.CLOSED)
    assert SynthesisPdf.objects.filter(document__bilan=bilan).exists()


def test_closing_can_cancel_the_entretiens_to_come_and_their_reminders(bilan):
    advance_to(bilan, Phase.CONCLUSION)
    future = entretiens(bilan, count=2, days=3)
    submitted_synthesis(bilan)
    bilan.refresh_from_db()

    bilans.bilan_phase_advance(
        actor=bilan.consultant, bilan=bilan, to_phase=Phase.CLOSED, cancel_future_sessions=True
    )

    statuses = set(
        Occurrence.objects.filter(pk__in=[o.pk for o in future]).values_list("status", flat=True)
    )
    assert statuses == {Occurrence.Status.CANCELLED}
    assert future[0].series.__class__.objects.get(pk=future[0].series_id).ended_at is not None
    assert not bilans.future_sessions(bilan).exists()
    # The person is told by the meetings' own cancel notice.
    assert Notification.objects.filter(
        recipient=bilan.beneficiary, kind="meeting_cancelled"
    ).exists()


# --- Interrupted, abandoned ------------------------------------------------------------------


@pytest.mark.parametrize("phase", [Phase.PRELIMINARY, Phase.INVESTIGATION, Phase.CONCLUSION])
def test_the_consultant_interrupts_in_any_phase(bilan, phase):
    if phase != Phase.PRELIMINARY:
        advance_to(bilan, phase)
    occurrence = entretiens(bilan, count=1, minutes=90)[0]
    held(occurrence)
    bilan.refresh_from_db()

    bilans.bilan_end_early(
        consultant=bilan.consultant,
        bilan=bilan,
        outcome=Outcome.INTERRUPTED,
        reason=EndReason.FORCE_MAJEURE,
        ended_on=timezone.localdate(),
        note="Hospitalisation",
    )

    assert_ended(bilan, Outcome.INTERRUPTED, EndReason.FORCE_MAJEURE)
    assert bilan.hours_done == Decimal("1.5")
    assert bilan.end_note == "Hospitalisation"
    a_new_bilan_opens(bilan)


def test_an_abandonment_is_dated_on_the_day_given(bilan):
    Bilan.objects.filter(pk=bilan.pk).update(opened_at=timezone.now() - timedelta(days=30))
    bilan.refresh_from_db()
    day = timezone.localdate() - timedelta(days=10)

    bilans.bilan_end_early(
        consultant=bilan.consultant,
        bilan=bilan,
        outcome=Outcome.ABANDONED,
        reason=EndReason.ABSENCE,
        ended_on=day,
    )

    assert_ended(bilan, Outcome.ABANDONED, EndReason.ABSENCE)
    assert timezone.localdate(bilan.closed_at) == day


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"outcome": Outcome.COMPLETED}, "outcome"),
        ({"outcome": Outcome.WITHDRAWN}, "outcome"),
        ({"reason": "fatigue"}, "reason"),
        ({"ended_on": None}, "ended_on"),
        ({"ended_on": "tomorrow"}, "ended_on"),
        ({"ended_on": "before"}, "ended_on"),
        ({"note": "x" * 301}, "note"),
    ],
)
def test_an_early_end_checks_what_it_is_given(bilan, changes, field):
    today = timezone.localdate()
    dates = {"tomorrow": today + timedelta(days=1), "before": today - timedelta(days=1)}
    arguments = {
        "outcome": Outcome.INTERRUPTED,
        "reason": EndReason.INTERRUPTION,
        "ended_on": today,
        "note": "",
    } | changes
    arguments["ended_on"] = dates.get(arguments["ended_on"], arguments["ended_on"])

    with pytest.raises(ValidationError) as error:
        bilans.bilan_end_early(consultant=bilan.consultant, bilan=bilan, **arguments)

    assert field in error.value.message_dict
    bilan.refresh_from_db()
    assert bilan.status == Phase.PRELIMINARY and bilan.outcome == ""


@pytest.mark.parametrize("role", ["beneficiary", "mentor", "coordinator"])
def test_only_the_consultant_ends_early(bilan, people, role):
    with pytest.raises(PermissionDenied):
        bilans.bilan_end_early(
            consultant=people[role],
            bilan=bilan,
            outcome=Outcome.ABANDONED,
            reason=EndReason.ABANDON,
            ended_on=timezone.localdate(),
        )


def test_an_early_end_from_a_stale_page_is_refused(bilan):
    stale = Bilan.objects.get(pk=bilan.pk)
    bilans.bilan_consent_give(
        beneficiary=bilan.beneficiary, bilan=bilan, text_version=consent.VERSION
    )
    preliminary_done(bilan)
    bilans.bilan_phase_advance(actor=bilan.consultant, bilan=bilan, to_phase=Phase.INVESTIGATION)

    with pytest.raises(StaleVersion):
        bilans.bilan_end_early(
            consultant=bilan.consultant,
            bilan=stale,
            outcome=Outcome.ABANDONED,
            reason=EndReason.ABANDON,
            ended_on=timezone.localdate(),
        )


# --- Withdrawn consent -----------------------------------------------------------------------


def test_the_person_withdraws_their_consent_and_the_consultant_is_told(
    bilan, django_capture_on_commit_callbacks
):
    advance_to(bilan, Phase.INVESTIGATION)
    future = entretiens(bilan, count=2)

    with django_capture_on_commit_callbacks(execute=True):
        bilans.bilan_consent_withdraw(beneficiary=bilan.beneficiary, bilan=bilan)

    assert_ended(bilan, Outcome.WITHDRAWN, EndReason.ABANDON)
    assert BilanConsent.objects.get(bilan=bilan).withdrawn_at is not None
    assert Notification.objects.filter(
        recipient=bilan.consultant, kind=BilanNotice.CONSENT_WITHDRAWN
    ).exists()
    # The entretiens are the consultant's to cancel, from the ended bilan's page.
    assert bilans.future_sessions(bilan).count() == 2
    assert bilans.bilan_future_sessions_cancel(consultant=bilan.consultant, bilan=bilan) == 2
    assert not bilans.future_sessions(bilan).exists()
    assert {o.status for o in Occurrence.objects.filter(pk__in=[o.pk for o in future])} == {
        Occurrence.Status.CANCELLED
    }
    a_new_bilan_opens(bilan)


def test_consent_can_be_withdrawn_before_it_was_given(bilan):
    bilans.bilan_consent_withdraw(beneficiary=bilan.beneficiary, bilan=bilan)
    assert_ended(bilan, Outcome.WITHDRAWN, EndReason.ABANDON)


@pytest.mark.parametrize("role", ["consultant", "mentor", "coordinator"])
def test_only_the_person_withdraws_their_consent(bilan, people, role):
    with pytest.raises(PermissionDenied):
        bilans.bilan_consent_withdraw(beneficiary=people[role], bilan=bilan)


def test_an_ended_bilan_cannot_end_again(bilan):
    bilans.bilan_consent_withdraw(beneficiary=bilan.beneficiary, bilan=bilan)
    bilan.refresh_from_db()
    with pytest.raises(ValidationError):
        bilans.bilan_consent_withdraw(beneficiary=bilan.beneficiary, bilan=bilan)
    with pytest.raises(ValidationError):
        bilans.bilan_end_early(
            consultant=bilan.consultant,
            bilan=bilan,
            outcome=Outcome.ABANDONED,
            reason=EndReason.ABANDON,
            ended_on=timezone.localdate(),
        )


def test_future_entretiens_of_an_open_bilan_are_not_cancelled_from_here(bilan):
    with pytest.raises(ValidationError):
        bilans.bilan_future_sessions_cancel(consultant=bilan.consultant, bilan=bilan)


# --- The preliminary record ------------------------------------------------------------------


def consented(bilan):
    bilans.bilan_consent_give(
        beneficiary=bilan.beneficiary, bilan=bilan, text_version=consent.VERSION
    )


def test_leaving_the_preliminary_phase_needs_the_record_acknowledged(bilan):
    consented(bilan)
    with pytest.raises(ValidationError) as error:
        bilans.bilan_phase_advance(
            actor=bilan.consultant, bilan=bilan, to_phase=Phase.INVESTIGATION
        )
    assert error.value.code == "preliminary"

    record = bilans.preliminary_record_save(
        consultant=bilan.consultant, bilan=bilan, data=PRELIMINARY, expected_version=0
    )
    bilan.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        bilans.bilan_phase_advance(
            actor=bilan.consultant, bilan=bilan, to_phase=Phase.INVESTIGATION
        )
    assert error.value.code == "preliminary"

    bilans.preliminary_record_acknowledge(
        beneficiary=bilan.beneficiary, bilan=bilan, expected_version=record.version
    )
    bilan.refresh_from_db()
    bilans.bilan_phase_advance(actor=bilan.consultant, bilan=bilan, to_phase=Phase.INVESTIGATION)
    assert bilan.status == Phase.INVESTIGATION


def test_an_edit_by_the_consultant_clears_the_acknowledgement(bilan):
    preliminary_done(bilan)
    record = PreliminaryRecord.objects.get(bilan=bilan)
    assert record.is_acknowledged

    same = bilans.preliminary_record_save(
        consultant=bilan.consultant, bilan=bilan, data=PRELIMINARY, expected_version=record.version
    )
    assert same.is_acknowledged and same.version == record.version  # nothing changed

    changed = bilans.PreliminaryData(**{**PRELIMINARY.__dict__, "format": "remote"})
    record = bilans.preliminary_record_save(
        consultant=bilan.consultant, bilan=bilan, data=changed, expected_version=record.version
    )
    assert not record.is_acknowledged


def test_the_person_acknowledges_only_the_text_they_read(bilan):
    record = bilans.preliminary_record_save(
        consultant=bilan.consultant, bilan=bilan, data=PRELIMINARY, expected_version=0
    )
    changed = bilans.PreliminaryData(**{**PRELIMINARY.__dict__, "objectives": "Autre chose"})
    bilans.preliminary_record_save(
        consultant=bilan.consultant, bilan=bilan, data=changed, expected_version=record.version
    )
    with pytest.raises(StaleVersion):
        bilans.preliminary_record_acknowledge(
            beneficiary=bilan.beneficiary, bilan=bilan, expected_version=record.version
        )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"request": "  "}, "request"),
        ({"format": "par pigeon"}, "format"),
        ({"individual_hours": Decimal("0")}, "individual_hours"),
        ({"individual_hours": Decimal("25")}, "individual_hours"),
        (
            {"individual_hours": Decimal("20"), "personal_work_hours": Decimal("6")},
            "personal_work_hours",
        ),
    ],
)
def test_the_record_checks_what_it_is_given(bilan, changes, field):
    data = bilans.PreliminaryData(**{**PRELIMINARY.__dict__, **changes})
    with pytest.raises(ValidationError) as error:
        bilans.preliminary_record_save(
            consultant=bilan.consultant, bilan=bilan, data=data, expected_version=0
        )
    assert field in error.value.message_dict


@pytest.mark.parametrize("role", ["beneficiary", "mentor", "coordinator"])
def test_only_the_consultant_writes_the_record(bilan, people, role):
    with pytest.raises(PermissionDenied):
        bilans.preliminary_record_save(
            consultant=people[role], bilan=bilan, data=PRELIMINARY, expected_version=0
        )


# --- The synthèse: submitted in conclusion, observations by the person ----------------------


def test_the_synthesis_is_only_submitted_in_the_conclusion_phase(bilan):
    advance_to(bilan, Phase.INVESTIGATION)
    document = bilans.synthesis_save(
        consultant=bilan.consultant,
        bilan=bilan,
        sections=bilans.SynthesisSections("a", "b", "c"),
        expected_version=0,
    )
    with pytest.raises(ValidationError) as error:
        bilans.synthesis_submit(
            consultant=bilan.consultant, bilan=bilan, expected_version=document.version
        )
    assert error.value.code == "phase"


def test_observations_are_the_persons_and_the_return_comment_is_never_printed(bilan):
    document = submitted_synthesis(bilan)
    document = bilans.synthesis_return(
        beneficiary=bilan.beneficiary,
        bilan=bilan,
        comment="Merci de corriger la date de mon BTS.",
        expected_version=document.version,
    )
    document = bilans.synthesis_submit(
        consultant=bilan.consultant, bilan=bilan, expected_version=document.version
    )
    document = bilans.synthesis_observations_save(
        beneficiary=bilan.beneficiary,
        bilan=bilan,
        observations="Je tiens à ajouter mon engagement associatif.",
        expected_version=document.version,
    )
    assert document.observations_at is not None

    html = render_html(
        template_name="documents/synthesis.html", context=synthesis_pdf_context(document)
    )
    assert "Je tiens à ajouter mon engagement associatif." in html
    assert "corriger la date de mon BTS" not in html


def test_observations_wait_for_the_synthesis_to_be_presented(bilan):
    advance_to(bilan, Phase.INVESTIGATION)
    bilans.synthesis_save(
        consultant=bilan.consultant,
        bilan=bilan,
        sections=bilans.SynthesisSections("a", "b", "c"),
        expected_version=0,
    )
    with pytest.raises(ValidationError):
        bilans.synthesis_observations_save(
            beneficiary=bilan.beneficiary, bilan=bilan, observations="x", expected_version=1
        )


@pytest.mark.parametrize("role", ["consultant", "mentor", "coordinator"])
def test_only_the_person_writes_observations(bilan, people, role):
    document = submitted_synthesis(bilan)
    with pytest.raises(PermissionDenied):
        bilans.synthesis_observations_save(
            beneficiary=people[role],
            bilan=bilan,
            observations="x",
            expected_version=document.version,
        )


# --- Pages -----------------------------------------------------------------------------------


def test_the_end_page_says_what_is_wrong_in_french_and_keeps_what_was_typed(client, bilan):
    client.force_login(bilan.consultant)
    url = reverse("bilans:end", args=[bilan.pk])
    assert client.get(url).status_code == 200

    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        url,
        {
            "version": bilan.version,
            "outcome": Outcome.ABANDONED,
            "ended_on": tomorrow.isoformat(),
            "note": "A déménagé",
        },
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Choisissez le motif de la fin anticipée." in html
    assert "A déménagé" in html
    bilan.refresh_from_db()
    assert bilan.status == Phase.PRELIMINARY

    response = client.post(
        url,
        {
            "version": bilan.version,
            "outcome": Outcome.ABANDONED,
            "reason": EndReason.ABSENCE,
            "ended_on": tomorrow.isoformat(),
        },
    )
    assert "La date de fin ne peut pas être dans le futur." in response.content.decode()


def test_the_consultant_ends_early_and_both_pages_say_how_it_ended(client, bilan):
    client.force_login(bilan.consultant)
    response = client.post(
        reverse("bilans:end", args=[bilan.pk]),
        {
            "version": bilan.version,
            "outcome": Outcome.INTERRUPTED,
            "reason": EndReason.INTERRUPTION,
            "ended_on": timezone.localdate().isoformat(),
            "note": "Reprise d'emploi",
        },
    )
    assert response.status_code == 302
    html = client.get(reverse("bilans:detail", args=[bilan.pk])).content.decode()
    assert "Bilan interrompu" in html and "Interruption" in html
    assert "Taux de réalisation" in html and "Reprise d&#x27;emploi" in html

    client.force_login(bilan.beneficiary)
    html = client.get(reverse("bilans:mine")).content.decode()
    assert "Bilan interrompu" in html and "Taux de réalisation" in html
    assert "Reprise d&#x27;emploi" not in html  # the consultant's note stays theirs


def test_the_withdrawal_page_says_what_happens_to_the_data(client, bilan):
    client.force_login(bilan.beneficiary)
    url = reverse("bilans:consent_withdraw", args=[bilan.pk])
    html = client.get(url).content.decode()
    assert "R6313-7" in html and "détruits" in html

    response = client.post(url, {"version": bilan.version})
    assert response.status_code == 400
    assert "Cochez cette case pour confirmer que vous arrêtez." in response.content.decode()

    response = client.post(url, {"version": bilan.version, "confirm": "on"})
    assert response.status_code == 302
    bilan.refresh_from_db()
    assert bilan.outcome == Outcome.WITHDRAWN
    assert "Consentement retiré par la personne" in client.get(reverse("bilans:mine")).text


def test_the_preliminary_pages_write_then_acknowledge(client, bilan):
    client.force_login(bilan.consultant)
    url = reverse("bilans:preliminary_edit", args=[bilan.pk])
    response = client.post(url, {"version": 0, "format": "on_site", "individual_hours": "30"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Remplissez cette partie du compte rendu." in html
    assert "Un bilan de compétences dure 24 heures au plus." in html

    data = {**PRELIMINARY.__dict__, "version": 0, "individual_hours": "16,5"}
    assert client.post(url, data).status_code == 302
    record = PreliminaryRecord.objects.get(bilan=bilan)
    assert record.individual_hours == Decimal("16.5")

    client.force_login(bilan.beneficiary)
    mine = reverse("bilans:preliminary_mine", args=[bilan.pk])
    assert "Un projet professionnel réaliste" in client.get(mine).text
    response = client.post(mine, {"version": record.version})
    assert "Cochez cette case pour confirmer votre accord." in response.content.decode()
    client.post(mine, {"version": record.version, "confirm": "on"})
    record.refresh_from_db()
    assert record.is_acknowledged


def test_the_person_writes_observations_from_their_synthesis_page(client, bilan):
    document = submitted_synthesis(bilan)
    client.force_login(bilan.beneficiary)
    response = client.post(
        reverse("bilans:synthesis_observations", args=[bilan.pk]),
        {"observations-version": document.version, "observations-observations": "Mes mots."},
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.beneficiary_observations == "Mes mots."
    assert "Mes mots." in client.get(reverse("bilans:synthesis_mine", args=[bilan.pk])).text


def test_the_coordinator_sees_how_bilans_ended(client, bilan, people):
    bilans.bilan_consent_withdraw(beneficiary=bilan.beneficiary, bilan=bilan)
    client.force_login(people["coordinator"])
    html = client.get(reverse("coordinator:bilans")).content.decode()
    assert "Comment les bilans se sont terminés" in html
    assert "Consentement retiré par la personne" in html
