"""The CPF dossier: deadlines in working days, the service fait, saving, reminders."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from freezegun import freeze_time

from tests.factories import member
from tisser.bilans import services as bilans
from tisser.bilans.cpf_reminders import cpf_reminders_plan
from tisser.bilans.models import Bilan, CpfDossier, EndReason, Funding, Outcome, Phase
from tisser.bilans.notice_kinds import BilanNotice
from tisser.bilans.services import cpf
from tisser.core.enums import Role
from tisser.core.errors import StaleVersion
from tisser.core.models import AuditEvent
from tisser.notifications.models import Notification

PARIS = ZoneInfo("Europe/Paris")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def cpf_bilan(people, funding=Funding.CPF) -> Bilan:
    return bilans.bilan_open(
        consultant=people["consultant"], beneficiary=people["beneficiary"], funding=funding
    )


def values(**overrides):
    return {
        "number": "78 451 203 96",
        "planned_entry_on": date(2025, 5, 16),
        "planned_exit_on": date(2025, 7, 25),
        "entry_on": date(2025, 5, 16),
        "entry_declared_on": None,
        "exit_declared_on": None,
        "service_fait_declared_on": None,
        **overrides,
    }


def save(bilan, actor=None, expected_version=0, **overrides) -> CpfDossier:
    return cpf.cpf_dossier_save(
        actor=actor or bilan.consultant,
        bilan=bilan,
        values=values(**overrides),
        expected_version=expected_version,
    )


def end(bilan, when, *, outcome=Outcome.INTERRUPTED, reason=EndReason.ABSENCE, hours="9"):
    Bilan.objects.filter(pk=bilan.pk).update(
        status=Phase.CLOSED,
        closed_at=when,
        outcome=outcome,
        end_reason=reason,
        hours_done=Decimal(hours),
    )
    return Bilan.objects.select_related("cpf_dossier").get(pk=bilan.pk)


# --- Deadlines ------------------------------------------------------------------------------


@freeze_time("2025-05-19 10:00", tz_offset=0)
def test_an_entry_on_a_friday_is_declared_by_the_wednesday(people):
    bilan = cpf_bilan(people)
    save(bilan)

    summary = cpf.cpf_summary(Bilan.objects.get(pk=bilan.pk))

    assert summary.entry.event_on == date(2025, 5, 16)  # a Friday
    assert summary.entry.due_on == date(2025, 5, 21)  # the Wednesday
    assert summary.entry.state == cpf.State.DUE
    assert summary.entry.working_days_left == 2
    assert summary.exit.state == cpf.State.WAITING
    with freeze_time("2025-05-22 09:00"):
        assert cpf.cpf_summary(Bilan.objects.get(pk=bilan.pk)).entry.state == cpf.State.OVERDUE


@freeze_time("2025-06-10 10:00")
def test_a_public_holiday_in_between_gives_one_more_day(people):
    bilan = cpf_bilan(people)
    save(bilan, entry_on=date(2025, 6, 6), planned_entry_on=date(2025, 6, 6))

    entry = cpf.cpf_summary(Bilan.objects.get(pk=bilan.pk)).entry

    # Friday 6 June 2025, Whit Monday on the 9th: the Thursday.
    assert entry.due_on == date(2025, 6, 12)
    assert entry.working_days_left == 2


@freeze_time("2025-05-22 10:00")
def test_a_declaration_after_the_deadline_is_shown_as_late(people):
    bilan = cpf_bilan(people)
    save(bilan, entry_declared_on=date(2025, 5, 22))

    entry = cpf.cpf_summary(Bilan.objects.get(pk=bilan.pk)).entry

    assert entry.state == cpf.State.DECLARED_LATE


def test_without_a_dossier_the_entry_is_the_opening_day(people):
    with freeze_time(at(2025, 5, 16, 9)):
        bilan = cpf_bilan(people)
    with freeze_time(at(2025, 5, 19, 9)):
        summary = cpf.cpf_summary(Bilan.objects.get(pk=bilan.pk))
    assert summary.dossier is None
    assert summary.entry.due_on == date(2025, 5, 21)
    assert summary.to_do


def test_the_exit_deadline_runs_from_the_end_of_the_bilan(people):
    with freeze_time(at(2025, 5, 16, 9)):
        bilan = cpf_bilan(people)
    with freeze_time(at(2025, 6, 6, 9)):
        save(bilan, entry_declared_on=date(2025, 5, 19))
        ended = end(bilan, at(2025, 6, 6, 18))
        summary = cpf.cpf_summary(ended)
    assert summary.exit.event_on == date(2025, 6, 6)
    assert summary.exit.due_on == date(2025, 6, 12)
    assert summary.exit.state == cpf.State.DUE


# --- Service fait ----------------------------------------------------------------------------


def test_the_rate_is_a_whole_number_rounded_half_up():
    assert cpf.completion_rate(Decimal("15"), Decimal("24")) == 63  # 62.5
    assert cpf.completion_rate(Decimal("9"), Decimal("24")) == 38  # 37.5
    assert cpf.completion_rate(Decimal("30"), Decimal("24")) == 100
    assert cpf.completion_rate(None, Decimal("24")) is None


def test_an_interrupted_bilan_declares_a_partial_completion(people):
    bilan = cpf_bilan(people)
    fait = cpf.cpf_summary(end(bilan, timezone.now())).service_fait

    assert fait.partial
    assert fait.rate == 38
    assert fait.hours_not_done == Decimal("15")
    assert fait.reason_label == "Absence"
    assert fait.cpf_reason.startswith("Stagiaire")


def test_a_completed_bilan_declares_a_total_completion(people):
    bilan = cpf_bilan(people)
    fait = cpf.cpf_summary(
        end(bilan, timezone.now(), outcome=Outcome.COMPLETED, reason="", hours="24")
    ).service_fait

    assert not fait.partial
    assert fait.rate == 100
    assert fait.cpf_reason == ""


def test_a_withdrawn_consent_is_declared_as_the_persons_abandon(people):
    bilan = cpf_bilan(people)
    fait = cpf.cpf_summary(
        end(bilan, timezone.now(), outcome=Outcome.WITHDRAWN, reason="", hours="4")
    ).service_fait
    assert fait.partial
    assert fait.cpf_reason == str(cpf.CPF_REASONS[EndReason.ABANDON])


# --- Saving ----------------------------------------------------------------------------------


def test_the_consultant_records_the_dossier(people):
    dossier = save(cpf_bilan(people))

    assert dossier.number == "7845120396"
    assert dossier.version == 1
    assert AuditEvent.objects.filter(action="cpf_dossier.create").exists()


def test_a_coordinator_of_the_organisation_records_the_declarations(people):
    bilan = cpf_bilan(people)
    dossier = save(bilan)
    with freeze_time(timezone.now()):
        updated = save(
            bilan,
            actor=people["coordinator"],
            expected_version=dossier.version,
            entry_declared_on=timezone.localdate(),
        )
    assert updated.version == 2
    assert updated.updated_by == people["coordinator"]


def test_nobody_else_records_it(people, organisation):
    bilan = cpf_bilan(people)
    colleague = member(Role.CONSULTANT, organisation)
    outsider = member(Role.COORDINATOR)
    for actor in (colleague, outsider, people["beneficiary"], people["mentor"]):
        with pytest.raises(PermissionDenied):
            save(bilan, actor=actor)
    assert not CpfDossier.objects.exists()


def test_only_a_cpf_bilan_has_a_dossier(people):
    with pytest.raises(ValidationError) as error:
        save(cpf_bilan(people, Funding.PERSONAL))
    assert error.value.code == "funding"


def test_two_editors_do_not_overwrite_each_other(people):
    bilan = cpf_bilan(people)
    save(bilan)
    save(bilan, expected_version=1, number="1111111111")
    with pytest.raises(StaleVersion):
        save(bilan, expected_version=1, number="2222222222")
    assert CpfDossier.objects.get().number == "1111111111"


@pytest.mark.parametrize("number", ["ABC12345", "1234", "12-345-678", "1" * 21])
def test_a_dossier_number_is_digits_only(people, number):
    with pytest.raises(ValidationError) as error:
        save(cpf_bilan(people), number=number)
    assert "number" in error.value.message_dict


@freeze_time("2025-05-19 10:00")
def test_dates_that_cannot_be_true_are_refused_by_field(people):
    bilan = cpf_bilan(people)
    with pytest.raises(ValidationError) as error:
        save(
            bilan,
            planned_exit_on=date(2025, 5, 1),
            entry_declared_on=date(2025, 5, 20),
            exit_declared_on=date(2025, 5, 19),
        )
    fields = error.value.message_dict
    assert "avant" in " ".join(fields["planned_exit_on"]) or fields["planned_exit_on"]
    assert "à venir" in " ".join(fields["entry_declared_on"])
    assert "pas terminé" in " ".join(fields["exit_declared_on"])
    assert not CpfDossier.objects.exists()


def test_the_service_fait_goes_with_the_exit(people):
    bilan = cpf_bilan(people)
    with pytest.raises(ValidationError) as error:
        save(bilan, service_fait_declared_on=timezone.localdate())
    assert "service_fait_declared_on" in error.value.message_dict


# --- Reminders -------------------------------------------------------------------------------


def test_a_reminder_leaves_the_working_day_before_the_deadline(people):
    with freeze_time(at(2025, 5, 16, 9)):
        bilan = cpf_bilan(people)
        save(bilan)
    with freeze_time(at(2025, 5, 19, 8)):  # Monday: two working days left
        assert cpf_reminders_plan() == 0
    with freeze_time(at(2025, 5, 20, 8)):  # Tuesday: one left
        created = cpf_reminders_plan()
        again = cpf_reminders_plan()
    recipients = set(
        Notification.objects.filter(kind=BilanNotice.CPF_DEADLINE).values_list(
            "recipient_id", flat=True
        )
    )
    assert created >= 2
    assert again == 0
    assert recipients == {people["consultant"].pk, people["coordinator"].pk}
    notice = Notification.objects.filter(recipient=people["consultant"]).first()
    assert "mercredi 21 mai 2025" in notice.subject
    assert notice.url.endswith(f"/bilans/{bilan.pk}/dossier-cpf/")


def test_no_reminder_once_declared(people):
    with freeze_time(at(2025, 5, 16, 9)):
        bilan = cpf_bilan(people)
        save(bilan, entry_declared_on=date(2025, 5, 16))
    with freeze_time(at(2025, 5, 21, 8)):
        assert cpf_reminders_plan() == 0
