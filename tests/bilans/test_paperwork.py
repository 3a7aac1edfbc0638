"""The convention (Code du travail R6313-8) and the self-funded contract (L6353-3 to
L6353-6) that gate the end of the preliminary phase, and the bilan's price and funder."""

from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from freezegun import freeze_time
from pypdf import PdfReader

from tests.bilans.paperwork_helpers import (
    contract_signed,
    contract_values,
    contract_written,
    convention_signed,
    convention_values,
    convention_written,
)
from tests.bilans.synthesis_helpers import preliminary_done
from tisser.bilans import consent
from tisser.bilans import services as bilans
from tisser.bilans.models import Bilan, Convention, Funding, Phase
from tisser.bilans.notice_kinds import BilanNotice
from tisser.core.errors import StaleVersion
from tisser.notifications.models import Notification

TRANSMITTED = date(2026, 3, 2)


def opened(people, funding=Funding.EMPLOYER, **values) -> Bilan:
    bilan = bilans.bilan_open(
        consultant=people["consultant"],
        beneficiary=people["beneficiary"],
        funding=funding,
        **values,
    )
    bilans.bilan_consent_give(
        beneficiary=bilan.beneficiary, bilan=bilan, text_version=consent.VERSION
    )
    # The preliminary record is there: what these tests gate on is the paperwork alone.
    preliminary_done(bilan)
    bilan.refresh_from_db()
    return bilan


def advance(bilan: Bilan) -> Bilan:
    bilan.refresh_from_db()
    return bilans.bilan_phase_advance(
        actor=bilan.consultant, bilan=bilan, to_phase=Phase.INVESTIGATION
    )


def blocked(bilan: Bilan) -> ValidationError:
    with pytest.raises(ValidationError) as error:
        advance(bilan)
    bilan.refresh_from_db()
    assert bilan.status == Phase.PRELIMINARY
    return error.value


def transmitted(bilan: Bilan, day: date = TRANSMITTED) -> Convention:
    convention = convention_written(bilan)
    return bilans.convention_signatures_save(
        consultant=bilan.consultant,
        bilan=bilan,
        values={
            "transmitted_on": day,
            "organisme_signed_on": day,
            "employer_signed_on": day,
            "beneficiary_signed_on": None,
            "signed_place": "Toulouse",
        },
        expected_version=convention.version,
    )


# --- Convention: the gate and its ten days ---------------------------------------------------


@pytest.mark.parametrize("funding", [Funding.EMPLOYER, Funding.RECLASSEMENT])
def test_no_convention_blocks_the_preliminary_phase_with_what_to_do(people, funding):
    bilan = opened(people, funding)

    error = blocked(bilan)

    assert error.code == "convention"
    assert "R6313-8" in error.messages[0] and "rédigez-la" in error.messages[0]


@pytest.mark.parametrize("funding", [Funding.CPF, Funding.OTHER])
def test_other_fundings_need_no_paperwork(people, funding):
    assert advance(opened(people, funding)).status == Phase.INVESTIGATION


def test_a_convention_not_transmitted_blocks(people):
    bilan = opened(people)
    convention_written(bilan)
    assert "date de transmission" in blocked(bilan).messages[0]


@freeze_time("2026-03-12 18:00")  # day 10 after the transmission
def test_day_10_the_beneficiary_accepts_in_the_app_and_the_bilan_advances(people):
    bilan = opened(people)
    convention = transmitted(bilan)
    assert "jusqu'au 12 mars 2026" in blocked(bilan).messages[0]
    status = bilans.convention_status(convention)
    assert (status.state, status.deadline, status.days_left) == ("awaiting", date(2026, 3, 12), 0)

    convention = bilans.convention_accept(
        beneficiary=bilan.beneficiary, bilan=bilan, expected_version=convention.version
    )

    assert convention.beneficiary_signed_on == date(2026, 3, 12)
    assert convention.beneficiary_accepted_at is not None
    assert advance(bilan).status == Phase.INVESTIGATION


def test_day_11_without_signature_is_a_refusal(people):
    bilan = opened(people)
    with freeze_time("2026-03-02 10:00"):
        convention = transmitted(bilan)
    with freeze_time("2026-03-13 09:00"):
        assert bilans.convention_status(convention).state == "refused"
        with pytest.raises(ValidationError) as refused:
            bilans.convention_accept(
                beneficiary=bilan.beneficiary, bilan=bilan, expected_version=convention.version
            )
        assert refused.value.code == "refused"
        error = blocked(bilan)
    assert "réputée l'avoir refusée" in error.messages[0]
    assert "convention révisée" in error.messages[0]


@pytest.mark.parametrize(("days", "ok"), [(10, True), (11, False)])
def test_a_paper_signature_counts_only_within_ten_days(people, days, ok):
    bilan = opened(people)
    with freeze_time("2026-03-20"):
        convention = transmitted(bilan)
        values = {
            "transmitted_on": TRANSMITTED,
            "organisme_signed_on": TRANSMITTED,
            "employer_signed_on": TRANSMITTED,
            "beneficiary_signed_on": TRANSMITTED + timedelta(days=days),
            "signed_place": "Toulouse",
        }
        if ok:
            bilans.convention_signatures_save(
                consultant=bilan.consultant,
                bilan=bilan,
                values=values,
                expected_version=convention.version,
            )
            assert advance(bilan).status == Phase.INVESTIGATION
        else:
            with pytest.raises(ValidationError) as error:
                bilans.convention_signatures_save(
                    consultant=bilan.consultant,
                    bilan=bilan,
                    values=values,
                    expected_version=convention.version,
                )
            message = error.value.message_dict["beneficiary_signed_on"][0]
            assert "12 mars 2026" in message and "vaut refus" in message


def test_missing_party_signatures_are_named(people):
    bilan = opened(people)
    convention_signed(bilan, employer_signed_on=None, organisme_signed_on=None)
    message = blocked(bilan).messages[0]
    assert "l'organisme et l'employeur" in message


def test_a_revised_convention_restarts_the_ten_days(people):
    bilan = opened(people)
    with freeze_time("2026-03-02"):
        transmitted(bilan)
    with freeze_time("2026-03-20"):
        convention = Convention.objects.get()
        revised = bilans.convention_save(
            consultant=bilan.consultant,
            bilan=bilan,
            values=convention_values(bilan, payment_terms="Règlement à 45 jours."),
            expected_version=convention.version,
        )
        assert revised.transmitted_on is None and revised.organisme_signed_on is None
        assert "transmise" in blocked(bilan).messages[0]
        convention_signed(bilan, transmitted_days_ago=0)
        assert advance(bilan).status == Phase.INVESTIGATION


def test_a_signed_convention_is_not_changed_and_holds_the_price(people):
    bilan = opened(people)
    convention = convention_signed(bilan)
    bilan.refresh_from_db()
    assert bilan.price_euros == Decimal("1800.00") == convention.price_euros
    assert bilan.funder_name == "Transports Garonne SA"

    with pytest.raises(ValidationError) as error:
        bilans.convention_save(
            consultant=bilan.consultant,
            bilan=bilan,
            values=convention_values(bilan),
            expected_version=convention.version,
        )
    assert error.value.code == "signed"
    with pytest.raises(ValidationError) as price:
        bilans.bilan_funding_update(
            consultant=bilan.consultant,
            bilan=bilan,
            funding=Funding.EMPLOYER,
            funder_name="X",
            price_euros=Decimal("2000"),
            planned_hours=Decimal("24"),
            expected_version=bilan.version,
        )
    assert "price_euros" in price.value.message_dict


def test_only_the_beneficiary_accepts(people):
    bilan = opened(people)
    convention = transmitted(bilan, date.today())
    for role in ("consultant", "coordinator", "mentor"):
        with pytest.raises(PermissionDenied):
            bilans.convention_accept(
                beneficiary=people[role], bilan=bilan, expected_version=convention.version
            )
    with pytest.raises(StaleVersion):
        bilans.convention_accept(
            beneficiary=bilan.beneficiary, bilan=bilan, expected_version=convention.version - 1
        )


def test_the_reminder_leaves_before_the_deadline_once(people):
    bilan = opened(people)
    with freeze_time("2026-03-02"):
        transmitted(bilan)
    with freeze_time("2026-03-08 08:00"):  # 4 days left: not yet
        assert bilans.convention_reminders_plan() == 0
    with freeze_time("2026-03-09 08:00"):  # 3 days left
        created = bilans.convention_reminders_plan()
        assert bilans.convention_reminders_plan() == 0
    notices = Notification.objects.filter(kind=BilanNotice.CONVENTION_DEADLINE)
    assert created == notices.count() >= 2
    assert {n.recipient_id for n in notices} == {bilan.beneficiary_id, bilan.consultant_id}
    assert any("12 mars 2026" in n.subject for n in notices)
    with freeze_time("2026-03-13 08:00"):  # refused: no more reminders
        assert bilans.convention_reminders_plan() == 0


# --- Contract: withdrawal period, nothing before it, 30 % -------------------------------------


def test_no_contract_blocks_a_self_funded_bilan(people):
    bilan = opened(people, Funding.PERSONAL, price_euros=Decimal("1500"))
    error = blocked(bilan)
    assert error.code == "contract" and "L6353-3" in error.messages[0]
    contract_written(bilan)
    assert "pas encore signé" in blocked(bilan).messages[0]


@pytest.mark.parametrize(("upfront", "ok"), [("450.00", True), ("450.01", False)])
def test_the_up_front_payment_is_capped_at_30_percent(people, upfront, ok):
    bilan = opened(people, Funding.PERSONAL)
    if ok:
        assert contract_written(bilan, upfront_euros=Decimal(upfront)).upfront_euros == 450
        bilan.refresh_from_db()
        assert bilan.price_euros == Decimal("1500.00")
    else:
        with pytest.raises(ValidationError) as error:
            contract_written(bilan, upfront_euros=Decimal(upfront))
        assert "450,00" in error.value.message_dict["upfront_euros"][0]


def test_the_withdrawal_period_holds_the_bilan_ten_days(people):
    bilan = opened(people, Funding.PERSONAL)
    with freeze_time("2026-03-02"):
        contract = contract_signed(bilan, days_ago=0)
        assert contract.withdrawal_ends_on == date(2026, 3, 12)
    with freeze_time("2026-03-12 18:00"):
        message = blocked(bilan).messages[0]
        assert "12 mars 2026" in message and "13 mars 2026" in message
    with freeze_time("2026-03-13 08:00"):
        assert advance(bilan).status == Phase.INVESTIGATION


@pytest.mark.parametrize(("days", "ok"), [(10, True), (11, False)])
def test_a_withdrawal_within_ten_days_ends_the_contract(people, days, ok):
    bilan = opened(people, Funding.PERSONAL)
    with freeze_time("2026-03-30"):
        signed = date(2026, 3, 2)
        contract = contract_signed(bilan, days_ago=28)
        values = {
            "signed_on": signed,
            "organisme_signed_on": signed,
            "signed_place": "Toulouse",
            "withdrawn_on": signed + timedelta(days=days),
            "upfront_paid_on": None,
        }
        save = lambda: bilans.contract_signatures_save(  # noqa: E731
            consultant=bilan.consultant,
            bilan=bilan,
            values=values,
            expected_version=contract.version,
        )
        if ok:
            save()
            message = blocked(bilan).messages[0]
            assert "rétractée le 12 mars 2026" in message
            assert bilans.contract_status(bilan.contract).state == "withdrawn"
        else:
            with pytest.raises(ValidationError) as error:
                save()
            assert "L6353-5" in error.value.message_dict["withdrawn_on"][0]


@pytest.mark.parametrize(("days", "ok"), [(10, False), (11, True)])
def test_nothing_is_paid_before_the_withdrawal_period_ends(people, days, ok):
    bilan = opened(people, Funding.PERSONAL)
    with freeze_time("2026-03-30"):
        signed = date(2026, 3, 2)
        contract = contract_signed(bilan, days_ago=28)
        values = {
            "signed_on": signed,
            "organisme_signed_on": signed,
            "signed_place": "Toulouse",
            "withdrawn_on": None,
            "upfront_paid_on": signed + timedelta(days=days),
        }
        if ok:
            bilans.contract_signatures_save(
                consultant=bilan.consultant,
                bilan=bilan,
                values=values,
                expected_version=contract.version,
            )
        else:
            with pytest.raises(ValidationError) as error:
                bilans.contract_signatures_save(
                    consultant=bilan.consultant,
                    bilan=bilan,
                    values=values,
                    expected_version=contract.version,
                )
            assert "L6353-6" in error.value.message_dict["upfront_paid_on"][0]


def test_the_beneficiary_signs_the_contract_in_the_app(people):
    bilan = opened(people, Funding.PERSONAL)
    contract = contract_written(bilan)
    with freeze_time("2026-03-02 10:00"):
        contract = bilans.contract_accept(
            beneficiary=bilan.beneficiary, bilan=bilan, expected_version=contract.version
        )
    assert contract.signed_on == date(2026, 3, 2)
    assert contract.withdrawal_ends_on == date(2026, 3, 12)


# --- Funding, funder, price -------------------------------------------------------------------


def test_the_bilan_opens_with_its_funder_and_price(people):
    bilan = opened(people, Funding.CPF, price_euros=Decimal("1490"))
    assert bilan.funder_name == "Caisse des Dépôts et consignations (CPF)"
    assert bilan.price_euros == Decimal("1490")


def test_funding_update_is_versioned_and_limited_to_the_preliminary_phase(people):
    bilan = opened(people, Funding.CPF, price_euros=Decimal("1490"))
    updated = bilans.bilan_funding_update(
        consultant=bilan.consultant,
        bilan=bilan,
        funding=Funding.RECLASSEMENT,
        funder_name="Airbus (congé de reclassement)",
        price_euros=Decimal("2100"),
        planned_hours=Decimal("20"),
        expected_version=bilan.version,
    )
    assert (updated.funding, updated.price_euros, updated.planned_hours) == (
        Funding.RECLASSEMENT,
        Decimal("2100"),
        Decimal("20"),
    )
    with pytest.raises(StaleVersion):
        bilans.bilan_funding_update(
            consultant=bilan.consultant,
            bilan=bilan,
            funding=Funding.CPF,
            funder_name="",
            price_euros=Decimal("1"),
            planned_hours=Decimal("20"),
            expected_version=updated.version - 1,
        )
    with pytest.raises(ValidationError) as error:
        bilans.bilan_funding_update(
            consultant=bilan.consultant,
            bilan=updated,
            funding=Funding.CPF,
            funder_name="",
            price_euros=Decimal("-3"),
            planned_hours=Decimal("30"),
            expected_version=updated.version,
        )
    assert set(error.value.message_dict) == {"price_euros", "planned_hours"}


# --- PDFs -------------------------------------------------------------------------------------


def pdf_text(content: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)
    return " ".join(text.split())


def with_identity(bilan: Bilan) -> None:
    organisation = bilan.organisation
    organisation.legal_name = "Horizons Bilans SAS"
    organisation.nda = "76310123431"
    organisation.siret = "88234567800012"
    organisation.address = "12 allée Jean Jaurès, 31000 Toulouse"
    organisation.save()


def test_the_convention_pdf_carries_the_nda_names_and_dates(people):
    bilan = opened(people)
    with_identity(bilan)
    with freeze_time("2026-03-09"):
        convention = convention_signed(bilan, transmitted_days_ago=7)
        content = bilans.convention_pdf(actor=bilan.beneficiary, convention=convention)
    text = pdf_text(content)
    name = bilan.beneficiary.get_full_name()
    for expected in (
        "Horizons Bilans SAS",
        "76310123431",
        "88234567800012",
        "Transports Garonne SA",
        "Mme Durand, DRH",
        name,
        "Fait à Toulouse, le 9 mars 2026",
        "transmis à la personne le 2 mars 2026",
        "au plus tard le 12 mars 2026",
        "1 800,00 €",
    ):
        assert expected in text.replace("\xa0", " ").replace("\u202f", " "), expected


def test_the_contract_pdf_carries_the_l6353_contents_and_the_withdrawal(people):
    bilan = opened(people, Funding.PERSONAL)
    with_identity(bilan)
    with freeze_time("2026-03-02"):
        contract = contract_signed(bilan, days_ago=0)
        content = bilans.contract_pdf(actor=bilan.consultant, contract=contract)
    text = pdf_text(content).replace("\xa0", " ").replace("\u202f", " ")
    for expected in (
        "76310123431",
        bilan.beneficiary.get_full_name(),
        "Fait à Toulouse, le 2 mars 2026",
        "jusqu'au 12 mars 2026 inclus",
        "1 500,00 €",
        "450,00 €",
        "lettre recommandée avec avis de réception",
        "Claire Morel, psychologue du travail",
        "Aucun niveau de connaissances préalables",
    ):
        assert expected in text, expected
    for role in ("coordinator", "mentor"):
        with pytest.raises(PermissionDenied):
            bilans.contract_pdf(actor=people[role], contract=contract)


def test_contract_values_default_to_the_law(people):
    bilan = opened(people, Funding.PERSONAL, price_euros=Decimal("1000"))
    values = contract_values(bilan)
    assert "L6353-7" in values["early_end_terms"]
    assert bilans.contract_initial(bilan)["upfront_euros"] == Decimal("300.00")
