"""Indicator 26 for the coordination (ADR 0037): the référent handicap and counts only, each
withheld when it or its complement counts fewer than 5 people; the 'disability' evidence
provider's lines and file; a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import member
from tisser.bilans import services as bilans
from tisser.bilans.models import AdaptationKind, Bilan, Funding
from tisser.core.enums import Role
from tisser.quality.evidence import Span, providers_of

NEED = "Des pauses toutes les demi-heures."


def _bilans_with_needs(people, organisation, *, total: int, needs: int, kinds):
    """`total` bilans of the consultant; the first `needs` record a need, the i-th of them
    getting the adaptations `kinds[i]`."""
    consultant = people["consultant"]
    for index in range(total):
        person = member(Role.BENEFICIARY, organisation, invited_by=consultant)
        bilan = bilans.bilan_open(consultant=consultant, beneficiary=person, funding=Funding.CPF)
        if index >= needs:
            continue
        record = bilans.adaptation_need_save(
            actor=person, bilan=bilan, need=f"{NEED} ({index})", expected_version=0
        )
        for kind in kinds[index] if index < len(kinds) else ():
            bilans.adaptation_measure_add(
                consultant=consultant,
                bilan=bilan,
                kind=kind,
                detail="",
                started_on=timezone.localdate(),
                expected_version=record.version,
            )


def bilans_of(organisation):
    return Bilan.objects.filter(organisation=organisation).select_related("beneficiary")


SHORT, REMOTE = AdaptationKind.SHORTER_SESSIONS, AdaptationKind.REMOTE


@pytest.fixture
def figures_fixture(people, organisation):
    _bilans_with_needs(
        people,
        organisation,
        total=12,
        needs=6,
        kinds=[(SHORT, REMOTE), (SHORT, REMOTE), (SHORT,), (SHORT,), (SHORT,), (SHORT,)],
    )


def test_counts_are_shown_from_5_people_and_withheld_below(people, organisation, figures_fixture):
    figures = bilans.adaptation_figures(organisation_id=organisation.pk)

    assert (figures.bilans, figures.needs, figures.adapted) == (12, 6, 6)
    by_kind = {entry.kind: entry.count for entry in figures.by_kind}
    assert by_kind[SHORT] == 6
    assert by_kind[REMOTE] is None  # 2 people
    assert by_kind[AdaptationKind.ACCESSIBLE_ROOM] is None


def test_a_figure_whose_complement_is_under_5_is_withheld(people, organisation):
    _bilans_with_needs(people, organisation, total=8, needs=6, kinds=[(SHORT,)] * 6)

    figures = bilans.adaptation_figures(organisation_id=organisation.pk)

    assert figures.needs is None  # 6 out of 8: the 2 others would be known
    assert figures.adapted is None


def test_the_coordinator_sees_the_referent_and_counts_only(
    client, people, organisation, figures_fixture
):
    organisation.disability_referent_name = "Inès Roche"
    organisation.save()
    client.force_login(people["coordinator"])

    response = client.get(reverse("quality:disability"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Inès Roche" in html
    assert reverse("coordinator:identity") in html
    assert "masqué" in html
    assert NEED not in html
    for bilan in bilans_of(organisation):
        assert bilan.beneficiary.last_name not in html
    csv = client.get(reverse("quality:disability_csv")).content.decode("utf-8-sig")
    assert "Inès Roche" in csv
    assert NEED not in csv


def test_without_a_referent_the_coordinator_is_sent_to_the_identity_page(client, people):
    client.force_login(people["coordinator"])
    html = client.get(reverse("quality:disability")).content.decode()
    assert "pas encore désigné de référent handicap" in html
    assert "Désigner le référent handicap" in html


def test_the_page_and_the_lines_read_a_constant_number_of_queries(
    client, people, organisation, figures_fixture
):
    provider = next(p for p in providers_of(26) if p.name == "disability")
    today = timezone.localdate()
    span = Span(first_day=today.replace(day=1), last_day=today)
    client.force_login(people["coordinator"])

    def read() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as page:
            client.get(reverse("quality:disability"))
        with CaptureQueriesContext(connection) as lines:
            provider.lines(organisation, span)
        return len(page), len(lines)

    read()  # the first request of a session reads what later ones keep
    small = read()
    _bilans_with_needs(people, organisation, total=10, needs=5, kinds=[(REMOTE,)] * 5)
    assert read() == small


def test_the_evidence_provider_gives_lines_and_a_file_of_counts(
    people, organisation, figures_fixture
):
    provider = next(p for p in providers_of(26) if p.name == "disability")
    today = timezone.localdate()
    span = Span(first_day=today.replace(day=1), last_day=today)

    lines = provider.lines(organisation, span)
    files = list(provider.files(organisation, span))

    texts = " ".join(line.text for line in lines)
    assert "pas encore désigné de référent handicap" in texts
    assert "6 bilans sur 12 avec un besoin d'aménagement noté." in texts
    assert [file.name[-4:] for file in files] == [".csv"]
    content = files[0].content.decode("utf-8-sig")
    assert NEED not in content
    assert "Entretiens plus courts ou fractionnés;6" in content
