from datetime import date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from tisser.assessments.models import InventoryResponse
from tisser.bilans import services as bilans
from tisser.bilans.models import (
    Achievement,
    Aspirations,
    Bilan,
    Experience,
    Funding,
    Phase,
    PortfolioItem,
)
from tisser.bilans.services.retention import bilan_working_documents_purge, bilans_due_for_purge
from tisser.bilans.tasks import bilans_retention_apply
from tisser.core.models import AuditEvent

CLOSED_AT = datetime(2023, 6, 30, 10, 0, tzinfo=timezone.get_fixed_timezone(0))


@pytest.fixture
def closed_bilan(people):
    with freeze_time("2023-01-10 09:00"):
        bilan = bilans.bilan_open(
            consultant=people["consultant"],
            beneficiary=people["beneficiary"],
            funding=Funding.CPF,
        )
    # Closing through the phases is covered elsewhere; here only the dates matter.
    Bilan.objects.filter(pk=bilan.pk).update(status=Phase.CLOSED, closed_at=CLOSED_AT)
    bilan.refresh_from_db()
    return bilan


def working_documents(bilan):
    Experience.objects.create(
        bilan=bilan, kind=Experience.Kind.JOB, title="Comptable", started_on=date(2015, 1, 1)
    )
    Achievement.objects.create(bilan=bilan, title="Clôture", situation="s", action="a", result="r")
    PortfolioItem.objects.create(bilan=bilan, kind="competence", code_ogr=1, label="X", level=2)
    Aspirations.objects.create(bilan=bilan, mobility="Lyon")
    for day in ("2023-03-01", "2024-03-01"):  # during the bilan, then after it
        with freeze_time(day):
            InventoryResponse.objects.create(
                user=bilan.beneficiary,
                organisation=bilan.organisation,
                kind=InventoryResponse.Kind.VALUES,
                version="v",
            )


def test_retention_date_is_three_years_after_the_end_by_default(closed_bilan, people):
    assert closed_bilan.retention_until == date(2026, 6, 30)
    with override_settings(TISSER_BILAN_RETENTION_YEARS=5):
        assert closed_bilan.retention_until == date(2028, 6, 30)


def test_an_open_bilan_has_no_retention_date_and_is_never_due(people):
    bilan = bilans.bilan_open(
        consultant=people["consultant"], beneficiary=people["beneficiary"], funding=Funding.CPF
    )
    assert bilan.retention_until is None
    with freeze_time("2040-01-01"):
        assert bilans_due_for_purge() == []


@pytest.mark.parametrize(("today", "due"), [("2026-06-29", False), ("2026-06-30", True)])
def test_due_on_the_retention_date_not_before(closed_bilan, today, due):
    with freeze_time(today):
        assert (closed_bilan in bilans_due_for_purge()) is due


def test_a_bilan_closed_without_a_date_is_never_due_nor_stops_the_others(closed_bilan, people):
    # given, next to a bilan due, one marked closed with no closing date (a row written by
    # hand or by an import: the service always dates a closing)
    undated = bilans.bilan_open(
        consultant=people["consultant"], beneficiary=people["beneficiary"], funding=Funding.CPF
    )
    Bilan.objects.filter(pk=undated.pk).update(status=Phase.CLOSED, closed_at=None)

    with freeze_time("2040-01-01"):
        due = bilans_due_for_purge()

    assert closed_bilan in due
    assert undated not in due


def test_purge_deletes_the_working_documents_and_keeps_the_bilan(closed_bilan):
    working_documents(closed_bilan)
    with freeze_time("2026-07-01"):
        report = bilan_working_documents_purge(bilan=closed_bilan)
    assert report.deleted["experiences"] == 1
    assert report.deleted["achievements"] == 1
    assert report.deleted["portfolio_items"] == 1
    assert report.deleted["aspirations"] == 1
    assert report.deleted["inventories"] == 1
    assert not Experience.objects.filter(bilan=closed_bilan).exists()
    # The inventory taken after the bilan is the person's own, not a document of this bilan.
    assert InventoryResponse.objects.filter(user=closed_bilan.beneficiary).count() == 1
    closed_bilan.refresh_from_db()
    assert closed_bilan.purged_at is not None
    event = AuditEvent.objects.get(action="bilan.retention_purge")
    assert event.data["deleted"]["experiences"] == 1


def test_purge_refuses_a_bilan_not_yet_due(closed_bilan):
    working_documents(closed_bilan)
    with freeze_time("2026-06-29"), pytest.raises(ValueError):
        bilan_working_documents_purge(bilan=closed_bilan)
    assert Experience.objects.filter(bilan=closed_bilan).exists()


def test_command_and_task_purge_once(closed_bilan, capsys):
    working_documents(closed_bilan)
    with freeze_time("2026-07-01"):
        call_command("bilans_retention", "--dry-run")
        assert Experience.objects.filter(bilan=closed_bilan).exists()
        call_command("bilans_retention")
        assert not Experience.objects.filter(bilan=closed_bilan).exists()
        assert bilans_retention_apply.call() == 0
        call_command("bilans_retention")
    out = capsys.readouterr().out
    assert "simulation" in out
    assert "documents de travail supprimés" in out
    assert "Aucun bilan" in out
    assert AuditEvent.objects.filter(action="bilan.retention_purge").count() == 1


def test_task_purges_what_is_due(closed_bilan):
    working_documents(closed_bilan)
    with freeze_time(closed_bilan.retention_until + timedelta(days=1)):
        assert bilans_retention_apply.call() == 1


def test_the_bilan_pages_state_how_long_documents_are_kept(client, people, closed_bilan):
    client.force_login(people["beneficiary"])
    html = client.get(reverse("bilans:mine")).content.decode()
    assert (
        "conservés jusqu&#x27;au 30 juin 2026" in html or "conservés jusqu'au 30 juin 2026" in html
    )

    Bilan.objects.filter(pk=closed_bilan.pk).update(purged_at=timezone.now())
    client.force_login(people["consultant"])
    html = client.get(reverse("bilans:detail", args=[closed_bilan.pk])).content.decode()
    assert "ont été supprimés le" in html


def test_an_open_bilan_announces_the_retention_period(client, people):
    bilan = bilans.bilan_open(
        consultant=people["consultant"], beneficiary=people["beneficiary"], funding=Funding.CPF
    )
    client.force_login(people["consultant"])
    html = client.get(reverse("bilans:detail", args=[bilan.pk])).content.decode()
    assert "conservés 3 ans après sa fin" in html


def closed_with_synthesis(people):
    """A bilan closed the real way (validated synthèse), then moved back in time."""
    from tests.bilans.helpers import closed_bilan as close

    bilan = close(people["consultant"], people["beneficiary"])
    Bilan.objects.filter(pk=bilan.pk).update(closed_at=CLOSED_AT)
    bilan.refresh_from_db()
    return bilan


def test_the_synthesis_is_purged_unless_its_owner_asked_to_keep_it(people):
    from tisser.bilans.models import Project, SessionNote, SynthesisDocument

    bilan = closed_with_synthesis(people)
    Project.objects.create(bilan=bilan, kind="training", title="Former", preferred=True)
    with freeze_time("2026-07-01"):
        report = bilan_working_documents_purge(bilan=bilan)
    assert report.deleted["synthesis"] == 1
    assert report.deleted["projects"] == 1
    assert not SynthesisDocument.objects.filter(bilan=bilan).exists()
    assert report.deleted["session_notes"] == SessionNote.objects.filter(bilan=bilan).count() == 0


def test_a_kept_synthesis_survives_the_purge(people):
    from tisser.bilans.models import SynthesisDocument

    bilan = closed_with_synthesis(people)
    bilans.synthesis_keep_set(beneficiary=bilan.beneficiary, document=bilan.synthesis, keep=True)
    with freeze_time("2026-07-01"):
        report = bilan_working_documents_purge(bilan=bilan)
    assert report.deleted["synthesis"] == 0
    assert SynthesisDocument.objects.get(bilan=bilan).keep_consented_at is not None
    assert AuditEvent.objects.filter(action="synthesis.keep").count() == 1


def test_only_the_owner_keeps_their_synthesis_and_may_change_their_mind(client, people):
    from django.core.exceptions import PermissionDenied

    bilan = closed_with_synthesis(people)
    with pytest.raises(PermissionDenied):
        bilans.synthesis_keep_set(
            beneficiary=people["consultant"], document=bilan.synthesis, keep=True
        )

    client.force_login(people["beneficiary"])
    page = reverse("bilans:synthesis_mine", args=[bilan.pk])
    assert "Conserver ma synthèse après cette durée" in client.get(page).content.decode()
    client.post(reverse("bilans:synthesis_keep", args=[bilan.pk]), {"keep": "1"})
    bilan.synthesis.refresh_from_db()
    assert bilan.synthesis.keep_consented_at is not None
    assert "Ne plus conserver ma synthèse" in client.get(page).content.decode()
    client.post(reverse("bilans:synthesis_keep", args=[bilan.pk]), {"keep": "0"})
    bilan.synthesis.refresh_from_db()
    assert bilan.synthesis.keep_consented_at is None
