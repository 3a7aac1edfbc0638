from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.bilans.paperwork_helpers import convention_signed
from tests.bilans.synthesis_helpers import SECTIONS, advance_to, attended_session
from tests.documents.pdf_helpers import pdf_info
from tisser.bilans import services as bilans
from tisser.bilans.models import Convention, Funding, Phase
from tisser.core.errors import StaleVersion
from tisser.core.models import AuditEvent
from tisser.documents.pdf import render_html


def employer_bilan(people, funding=Funding.EMPLOYER):
    return bilans.bilan_open(
        consultant=people["consultant"], beneficiary=people["beneficiary"], funding=funding
    )


def values(bilan, **overrides):
    return {
        **bilans.convention_initial(bilan),
        "employer_name": "Transports Garonne SA",
        "employer_address": "12 quai de la Daurade\n31000 Toulouse",
        "employer_representative": "Mme Durand, DRH",
        "price_euros": Decimal("1800.00"),
        **overrides,
    }


def saved(bilan, **overrides):
    return bilans.convention_save(
        consultant=bilan.consultant,
        bilan=bilan,
        values=values(bilan, **overrides),
        expected_version=0,
    )


def test_the_consultant_writes_the_convention_of_an_employer_funded_bilan(people):
    bilan = employer_bilan(people)

    convention = saved(bilan)

    assert convention.version == 1
    assert convention.duration_hours == 24
    assert "seule personne" in convention.results_delivery
    assert AuditEvent.objects.filter(action="convention.create").exists()


@pytest.mark.parametrize("funding", [Funding.CPF, Funding.PERSONAL, Funding.OTHER])
def test_no_convention_without_employer_funding(people, funding):
    bilan = employer_bilan(people, funding)
    with pytest.raises(ValidationError) as error:
        saved(bilan)
    assert error.value.code == "funding"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"price_euros": Decimal("-1")}, "price_euros"),
        ({"duration_hours": Decimal("30")}, "duration_hours"),
        ({"start_date": date(2026, 5, 1), "end_date": date(2026, 4, 1)}, "end_date"),
        ({"employer_name": ""}, "employer_name"),
    ],
)
def test_bad_values_are_refused_field_by_field(people, overrides, field):
    bilan = employer_bilan(people)
    with pytest.raises(ValidationError) as error:
        saved(bilan, **overrides)
    assert field in error.value.message_dict
    assert not Convention.objects.exists()


@pytest.mark.parametrize("role", ["beneficiary", "coordinator", "mentor"])
def test_only_the_consultant_writes_it(people, role):
    bilan = employer_bilan(people)
    with pytest.raises(PermissionDenied):
        bilans.convention_save(
            consultant=people[role], bilan=bilan, values=values(bilan), expected_version=0
        )


def test_a_stale_save_is_refused_with_the_saved_values(people):
    bilan = employer_bilan(people)
    convention = saved(bilan)
    bilans.convention_save(
        consultant=bilan.consultant,
        bilan=bilan,
        values=values(bilan, price_euros=Decimal("2000")),
        expected_version=convention.version,
    )

    with pytest.raises(StaleVersion) as conflict:
        bilans.convention_save(
            consultant=bilan.consultant,
            bilan=bilan,
            values=values(bilan, price_euros=Decimal("1500")),
            expected_version=convention.version,
        )

    assert conflict.value.current.price_euros == Decimal("2000")
    assert Convention.objects.get().price_euros == Decimal("2000")


def test_the_convention_pdf_states_the_r6313_8_contents_and_the_law(people):
    bilan = employer_bilan(people)
    convention = saved(bilan)

    pdf = bilans.convention_pdf(actor=bilan.consultant, convention=convention)
    html = render_html(
        template_name="documents/convention.html",
        context={
            "document_title": "Convention",
            "organisation": bilan.organisation,
            "bilan": bilan,
            "convention": convention,
            "duration_text": "24",
            "today": date(2026, 3, 2),
        },
    )

    assert pdf_info(pdf, "Title") == "Convention tripartite de bilan de compétences"
    for text in (
        "Transports Garonne SA",
        "Mme Durand, DRH",
        "Phase préliminaire",
        "Phase d'investigation",
        "Phase de conclusion",
        "Outils et méthodes",
        "1\xa0800,00 €",
        "destinés à la seule personne bénéficiaire",
        "L'employeur reçoit uniquement une attestation de présence",
    ):
        assert text in html, text
    assert AuditEvent.objects.filter(action="convention.download").exists()


@pytest.mark.parametrize("role", ["coordinator", "mentor"])
def test_the_convention_pdf_is_for_the_parties_only(people, role):
    bilan = employer_bilan(people)
    convention = saved(bilan)
    assert bilans.convention_pdf(actor=bilan.beneficiary, convention=convention)
    with pytest.raises(PermissionDenied):
        bilans.convention_pdf(actor=people[role], convention=convention)


def test_the_attestation_lists_attendance_and_hours_only(people):
    bilan = employer_bilan(people)
    convention_signed(bilan)
    advance_to(bilan, Phase.INVESTIGATION)
    attended_session(bilan, minutes=90, days_ago=9)
    attended_session(bilan, minutes=120, days_ago=2)
    bilans.synthesis_save(
        consultant=bilan.consultant, bilan=bilan, sections=SECTIONS, expected_version=0
    )
    sessions = bilans.bilan_attended_sessions(bilan)

    pdf = bilans.attestation_pdf(actor=bilan.beneficiary, bilan=bilan)
    html = render_html(
        template_name="documents/attestation.html",
        context={
            "document_title": "Attestation de présence",
            "organisation": bilan.organisation,
            "bilan": bilan,
            "sessions": sessions,
            "hours": bilans.bilan_hours(bilan),
            "issued_at": sessions[-1].end,
        },
    )

    assert [s.minutes for s in sessions] == [90, 120]
    assert pdf_info(pdf, "Title") == "Attestation de présence"
    assert "3,5 h" in html and "90 min" in html and "120 min" in html
    for private in (SECTIONS.circumstances, SECTIONS.competences, SECTIONS.projects):
        assert private not in html
    assert AuditEvent.objects.filter(action="bilan.attestation_download").exists()


@pytest.mark.parametrize("role", ["coordinator", "mentor"])
def test_the_attestation_is_for_the_beneficiary_and_the_consultant(people, role):
    bilan = employer_bilan(people)
    assert bilans.attestation_pdf(actor=bilan.consultant, bilan=bilan).startswith(b"%PDF")
    with pytest.raises(PermissionDenied):
        bilans.attestation_pdf(actor=people[role], bilan=bilan)
