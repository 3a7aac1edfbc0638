"""The bilan's notices name the person, and those asking for an action are done once it is
done, by anyone (ADR 0024): a synthèse read, returned or presented again, a follow-up
proposal answered, a convention signed, a CPF declaration recorded."""

from datetime import date

from django.apps import apps
from freezegun import freeze_time

from tests.bilans.helpers import closed_bilan
from tests.bilans.synthesis_helpers import submitted_synthesis
from tests.bilans.test_cpf import at, cpf_bilan, save
from tests.bilans.test_followup import answer, propose
from tests.bilans.test_paperwork import opened, transmitted
from tisser.bilans import services as bilans
from tisser.bilans.cpf_reminders import cpf_reminders_plan
from tisser.bilans.models import Funding, SynthesisStatus
from tisser.bilans.notice_kinds import BilanNotice
from tisser.notifications.models import Notification


def notices(kind, **filters):
    return Notification.objects.filter(kind=kind, **filters)


def named(people, first_name="Amandine", last_name="Roux"):
    beneficiary = people["beneficiary"]
    beneficiary.first_name, beneficiary.last_name = first_name, last_name
    beneficiary.save(update_fields=["first_name", "last_name"])
    return beneficiary


def synthesis_bilan(people):
    named(people)
    return bilans.bilan_open(
        consultant=people["consultant"], beneficiary=people["beneficiary"], funding=Funding.CPF
    )


def test_a_validated_synthesis_names_who_validated_it_and_is_no_longer_to_read(people):
    bilan = synthesis_bilan(people)
    document = submitted_synthesis(bilan)
    to_read = notices(BilanNotice.SYNTHESIS_SUBMITTED, recipient=bilan.beneficiary)
    assert to_read.count() == 2 and not any(n.done_at for n in to_read)
    consultant_name = bilan.consultant.get_full_name()
    assert consultant_name in to_read.get(channel="in_app").body

    bilans.synthesis_validate(
        beneficiary=bilan.beneficiary, bilan=bilan, expected_version=document.version
    )

    assert all(n.done_at for n in to_read.all())
    validated = notices(BilanNotice.SYNTHESIS_VALIDATED, channel="in_app").get()
    assert validated.subject == "Synthèse d'Amandine Roux validée"
    assert "Amandine Roux a validé son document de synthèse." in validated.body
    assert "La personne" not in validated.body


def test_a_returned_synthesis_is_done_for_the_reader_then_for_the_writer(people):
    bilan = synthesis_bilan(people)
    document = submitted_synthesis(bilan)

    document = bilans.synthesis_return(
        beneficiary=bilan.beneficiary,
        bilan=bilan,
        comment="Parlez aussi de mon bénévolat.",
        expected_version=document.version,
    )

    assert all(n.done_at for n in notices(BilanNotice.SYNTHESIS_SUBMITTED))
    returned = notices(BilanNotice.SYNTHESIS_RETURNED, channel="in_app").get()
    assert returned.subject == "Synthèse d'Amandine Roux renvoyée avec un commentaire"
    assert returned.done_at is None

    bilans.synthesis_submit(
        consultant=bilan.consultant, bilan=bilan, expected_version=document.version
    )

    returned.refresh_from_db()
    assert returned.done_at is not None
    assert notices(BilanNotice.SYNTHESIS_SUBMITTED, done_at__isnull=True).count() == 2


def test_a_withdrawn_synthesis_is_no_longer_to_read(people):
    bilan = synthesis_bilan(people)
    document = submitted_synthesis(bilan)

    bilans.synthesis_withdraw(
        consultant=bilan.consultant, bilan=bilan, expected_version=document.version
    )

    document.refresh_from_db()
    assert document.status == SynthesisStatus.DRAFT
    assert all(n.done_at for n in notices(BilanNotice.SYNTHESIS_SUBMITTED))


def test_a_followup_proposal_names_the_consultant_and_is_done_once_answered(people):
    bilan = closed_bilan(people["consultant"], people["beneficiary"])
    first = propose(bilan)
    again = propose(bilan, days=200, version=first.version)
    proposals = notices(BilanNotice.FOLLOWUP_PROPOSED, channel="in_app")
    assert proposals.count() == 2
    assert proposals.filter(done_at__isnull=True).count() == 1  # the first was replaced
    current = proposals.get(done_at__isnull=True)
    assert current.subject.startswith(
        f"{bilan.consultant.get_full_name()} vous propose un entretien de suivi le "
    )

    answer(again, accept=False, reason="Je suis en formation.")

    assert not notices(BilanNotice.FOLLOWUP_PROPOSED, done_at__isnull=True).exists()


def test_a_convention_signed_ends_its_reminder_for_both(people):
    named(people, first_name="Hugo", last_name="Ibanez")
    bilan = opened(people)
    with freeze_time("2026-03-02"):
        convention = transmitted(bilan)
    with freeze_time("2026-03-09 08:00"):
        bilans.convention_reminders_plan()
    reminders = notices(BilanNotice.CONVENTION_DEADLINE)
    assert {n.recipient_id for n in reminders} == {bilan.beneficiary_id, bilan.consultant_id}
    consultant_notice = reminders.get(recipient=bilan.consultant, channel="in_app")
    assert consultant_notice.subject.startswith("Convention d'Hugo Ibanez : ")

    with freeze_time("2026-03-10 08:00"):
        bilans.convention_accept(
            beneficiary=bilan.beneficiary, bilan=bilan, expected_version=convention.version
        )

    assert all(n.done_at for n in reminders.all())


def test_a_cpf_declaration_recorded_ends_the_reminders_of_everyone(people):
    named(people, first_name="Éloïse", last_name="Petit")
    with freeze_time(at(2025, 5, 16, 9)):
        bilan = cpf_bilan(people)
        dossier = save(bilan)
    with freeze_time(at(2025, 5, 20, 8)):
        cpf_reminders_plan()
    reminders = notices(BilanNotice.CPF_DEADLINE)
    assert {n.recipient_id for n in reminders} == {
        people["consultant"].pk,
        people["coordinator"].pk,
    }
    assert "l'entrée en formation d'Éloïse Petit" in reminders.first().subject

    with freeze_time(at(2025, 5, 20, 10)):
        save(
            bilan,
            actor=people["coordinator"],
            expected_version=dossier.version,
            entry_declared_on=date(2025, 5, 20),
        )

    assert all(n.done_at for n in reminders.all())


def test_the_migration_marks_the_stale_synthesis_notices_done(people):
    from importlib import import_module

    migration = import_module("tisser.bilans.migrations.0011_notices_about_their_subject")
    bilan = synthesis_bilan(people)
    document = submitted_synthesis(bilan)
    bilans.synthesis_validate(
        beneficiary=bilan.beneficiary, bilan=bilan, expected_version=document.version
    )
    old = notices(BilanNotice.SYNTHESIS_SUBMITTED)
    old.update(about_type=None, about_id=None, done_at=None)

    migration.forwards(apps, None)

    assert old.count() == 2
    assert all(n.about == document and n.done_at is not None for n in old)
