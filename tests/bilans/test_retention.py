"""Destruction of a bilan's documents the day after its end (R6313-7, ADR 0014): what goes,
what an exception keeps and until when, what never goes (other bilans, other people, the
person's own checks), one transaction per bilan, management data after its own period, and the
anonymous outcome figures recorded before. Runs on SQLite and PostgreSQL."""

import io
from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from pypdf import PdfReader

from tests.bilans.helpers import closed_bilan as close_for_real
from tests.factories import member
from tisser.assessments import isolation
from tisser.assessments.models import InventoryResponse, IsolationCheck
from tisser.bilans import services as bilans
from tisser.bilans import working_documents
from tisser.bilans.models import (
    Achievement,
    Aspirations,
    Bilan,
    Experience,
    FinalDownload,
    Funding,
    KeepAgreement,
    Outcome,
    OutcomeRecord,
    Phase,
    PortfolioItem,
    Project,
    ProjectStep,
    SynthesisDocument,
)
from tisser.bilans.services.retention import (
    bilan_documents_destroy,
    bilans_due,
    own_isolation_checks,
    own_isolation_checks_erase,
    retention_apply,
)
from tisser.bilans.tasks import bilans_retention_apply
from tisser.core.enums import Role
from tisser.core.models import AuditEvent
from tisser.network.models import Contact

UTC = timezone.get_fixed_timezone(0)
OPENED_AT = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)
CLOSED_AT = datetime(2026, 6, 30, 10, 0, tzinfo=UTC)
DAY_AFTER = date(2026, 7, 1)


def ended(bilan: Bilan, *, closed_at=CLOSED_AT, outcome=Outcome.COMPLETED) -> Bilan:
    """Mark `bilan` ended at `closed_at` (the endings themselves are tested elsewhere: here only
    status, closed_at and outcome matter)."""
    Bilan.objects.filter(pk=bilan.pk).update(
        status=Phase.CLOSED, closed_at=closed_at, outcome=outcome
    )
    bilan.refresh_from_db()
    return bilan


def opened(consultant, beneficiary, at=OPENED_AT) -> Bilan:
    with freeze_time(at):
        return bilans.bilan_open(
            consultant=consultant, beneficiary=beneficiary, funding=Funding.CPF
        )


def check(user, moment, day, overall_answer=3) -> IsolationCheck:
    with freeze_time(day):
        return IsolationCheck.objects.create(
            user=user,
            organisation=user.memberships.first().organisation,
            moment=moment,
            version=isolation.VERSION,
            answers={},
            scores={isolation.OVERALL: overall_answer * 10},
        )


def documents(bilan: Bilan, day="2026-03-01") -> None:
    """One row of each kind of working document, written during the bilan."""
    Experience.objects.create(
        bilan=bilan, kind=Experience.Kind.JOB, title="Comptable", started_on=date(2015, 1, 1)
    )
    Achievement.objects.create(bilan=bilan, title="Clôture", situation="s", action="a", result="r")
    PortfolioItem.objects.create(bilan=bilan, kind="competence", code_ogr=1, label="X", level=2)
    Aspirations.objects.create(bilan=bilan, mobility="Lyon")
    project = Project.objects.create(bilan=bilan, kind="training", title="Former", preferred=True)
    ProjectStep.objects.create(project=project, title="Appeler l'OPCO", due_on=date(2026, 9, 1))
    with freeze_time(day):
        InventoryResponse.objects.create(
            user=bilan.beneficiary,
            organisation=bilan.organisation,
            kind=InventoryResponse.Kind.VALUES,
            version="v",
        )
    check(bilan.beneficiary, IsolationCheck.Moment.START, day, overall_answer=6)


def counts(bilan: Bilan) -> dict[str, int]:
    return {entry.kind: entry.count(bilan) for entry in working_documents.working_documents()}


@pytest.fixture
def bilan(people):
    bilan = opened(people["consultant"], people["beneficiary"])
    documents(bilan)
    return ended(bilan)


# --- When -------------------------------------------------------------------------------------


@pytest.mark.parametrize("outcome", list(Outcome))
def test_due_from_the_day_after_the_end_whatever_the_outcome(people, outcome):
    bilan = ended(opened(people["consultant"], people["beneficiary"]), outcome=outcome)

    assert bilan.documents_due_on == DAY_AFTER
    assert bilan not in bilans_due(today=date(2026, 6, 30))
    assert bilan in bilans_due(today=DAY_AFTER)
    with pytest.raises(ValueError):
        bilan_documents_destroy(bilan=bilan, today=date(2026, 6, 30))


def test_an_open_bilan_or_one_closed_without_a_date_is_never_due(people, organisation):
    open_one = opened(people["consultant"], people["beneficiary"])
    other = member(Role.BENEFICIARY, organisation, invited_by=people["consultant"])
    undated = opened(people["consultant"], other)
    Bilan.objects.filter(pk=undated.pk).update(status=Phase.CLOSED, closed_at=None)

    due = bilans_due(today=date(2040, 1, 1))

    assert open_one not in due
    assert undated not in due
    with pytest.raises(ValueError):
        bilan_documents_destroy(bilan=open_one, today=date(2040, 1, 1))


# --- What -------------------------------------------------------------------------------------


def test_everything_of_the_bilan_goes_and_nothing_else(people, organisation, bilan):
    person = people["beneficiary"]
    # given: a check the person took before any bilan, an inventory after this one,
    check(person, IsolationCheck.Moment.OTHER, "2025-12-01")
    with freeze_time("2026-08-01"):
        InventoryResponse.objects.create(
            user=person, organisation=organisation, kind=InventoryResponse.Kind.INTERESTS
        )
    # a second bilan of the same person, opened after the first, with its own documents,
    later = opened(people["consultant"], person, at=datetime(2026, 7, 10, 9, 0, tzinfo=UTC))
    documents(later, day="2026-07-20")
    # and another person's bilan, ended the same day, whose documents are not due yet
    someone = member(Role.BENEFICIARY, organisation, invited_by=people["consultant"])
    theirs = opened(people["consultant"], someone)
    documents(theirs)
    theirs = ended(theirs, closed_at=CLOSED_AT + timedelta(days=1))
    before = {later.pk: counts(later), theirs.pk: counts(theirs)}

    report = bilan_documents_destroy(bilan=bilan, today=DAY_AFTER)

    assert set(counts(bilan).values()) == {0}
    for kind in ("experiences", "achievements", "portfolio", "aspirations", "projects"):
        assert report.destroyed[kind] == 1, kind
    assert report.destroyed["inventories"] == 1
    assert report.destroyed["isolation_checks"] == 1
    assert not ProjectStep.objects.filter(project__bilan=bilan).exists()
    assert report.complete
    bilan.refresh_from_db()
    assert bilan.purged_at is not None
    # nothing outside the bilan
    assert counts(later) == before[later.pk]
    assert counts(theirs) == before[theirs.pk]
    assert IsolationCheck.objects.filter(user=person, moment="other").count() == 1
    assert InventoryResponse.objects.filter(user=person, kind="interests").count() == 1
    # the management data stays
    assert Bilan.objects.filter(pk=bilan.pk).exists()
    event = AuditEvent.objects.get(action="bilan.documents_destroy")
    assert event.data["destroyed"]["experiences"] == 1


def test_each_kind_reads_a_batch_of_bilans_as_it_reads_them_one_by_one(people, bilan):
    # given: the same person's next bilan (its own checks, and a follow-up check of the first
    # taken while it ran) and another person's bilan
    later = opened(people["consultant"], bilan.beneficiary, at=datetime(2026, 7, 10, tzinfo=UTC))
    documents(later, day="2026-07-20")
    check(bilan.beneficiary, IsolationCheck.Moment.PLUS_3_MONTHS, "2026-09-30")
    someone = member(Role.BENEFICIARY, bilan.organisation, invited_by=people["consultant"])
    theirs = opened(people["consultant"], someone)
    documents(theirs)
    batch = [bilan, ended(later, closed_at=datetime(2026, 10, 1, tzinfo=UTC)), theirs]

    for entry in working_documents.working_documents():
        one_by_one: dict[int, int] = {}
        for each in batch:
            for pk in entry.rows(each).values_list("pk", flat=True):
                one_by_one.setdefault(pk, each.pk)
        assert entry.owners(batch) == one_by_one, entry.kind
    # the follow-up check goes with the first bilan, as it would bilan after bilan
    assert len(working_documents._registry["isolation_checks"].owners(batch)) == 4


def test_the_synthesis_and_its_pdf_go_too(people):
    bilan = close_for_real(people["consultant"], people["beneficiary"])
    today = timezone.localdate() + timedelta(days=1)

    report = bilan_documents_destroy(bilan=bilan, today=today)

    assert report.destroyed["synthesis"] == 1
    assert not SynthesisDocument.objects.filter(bilan=bilan).exists()


def test_running_twice_is_harmless(bilan):
    bilan_documents_destroy(bilan=bilan, today=DAY_AFTER)
    bilan.refresh_from_db()

    assert bilans_due(today=DAY_AFTER + timedelta(days=3)) == []
    assert bilans_retention_apply.call() == 0
    assert AuditEvent.objects.filter(action="bilan.documents_destroy").count() == 1
    assert OutcomeRecord.objects.count() == 1


# --- Exceptions -------------------------------------------------------------------------------


def share_with_cep(bilan, *, to_cep=True, at="2026-06-20 10:00"):
    with freeze_time(at):
        return bilans.synthesis_share_create(
            beneficiary=bilan.beneficiary,
            document=bilan.synthesis,
            recipient=bilans.ShareRecipient(
                name="Inès Caron",
                email="ines.caron@cep.example.org",
                role="Conseillère en évolution professionnelle",
                purpose="Préparer mon dossier de formation",
                to_cep=to_cep,
            ),
        ).share


def test_a_synthesis_sent_to_a_cep_is_kept_one_year_from_the_share(people):
    bilan = close_for_real(people["consultant"], people["beneficiary"])
    documents(bilan, day=timezone.now().isoformat())
    share = share_with_cep(bilan, at=timezone.now().isoformat())
    shared_on = timezone.localdate(share.given_at)
    end = timezone.localdate(bilan.closed_at)

    report = bilan_documents_destroy(bilan=bilan, today=end + timedelta(days=1))

    assert report.kept == {"synthesis": shared_on + timedelta(days=365)}
    assert SynthesisDocument.objects.filter(bilan=bilan).exists()
    assert not Experience.objects.filter(bilan=bilan).exists()
    assert not report.complete
    # still there on the last day, gone the day after
    assert retention_apply(today=shared_on + timedelta(days=365)).documents[0].kept
    assert SynthesisDocument.objects.filter(bilan=bilan).exists()
    last = retention_apply(today=shared_on + timedelta(days=366)).documents[0]
    assert last.destroyed == {"synthesis": 1}
    assert not SynthesisDocument.objects.filter(bilan=bilan).exists()
    bilan.refresh_from_db()
    assert bilan.purged_at is not None


def test_a_share_to_anyone_else_or_revoked_keeps_nothing(people):
    bilan = close_for_real(people["consultant"], people["beneficiary"])
    share_with_cep(bilan, to_cep=False, at=timezone.now().isoformat())
    revoked = share_with_cep(bilan, at=timezone.now().isoformat())
    bilans.synthesis_share_revoke(beneficiary=bilan.beneficiary, share=revoked)

    report = bilan_documents_destroy(bilan=bilan, today=timezone.localdate() + timedelta(days=1))

    assert report.kept == {}
    assert not SynthesisDocument.objects.filter(bilan=bilan).exists()


def agree(bilan, kinds, *, until=None, need="Faire le point à 3 et 6 mois sur mon projet"):
    return bilans.keep_agreement_give(
        beneficiary=bilan.beneficiary,
        bilan=bilan,
        agreement=bilans.AgreementInput(kinds=kinds, need=need, until=until),
    )


def test_an_agreement_keeps_what_it_names_until_one_year_after_the_end(bilan):
    with freeze_time("2026-06-30 12:00"):
        agreement = agree(bilan, ["projects", "isolation_checks"])
    cap = date(2027, 6, 30)
    assert agreement.ends_on() == cap

    report = bilan_documents_destroy(bilan=bilan, today=DAY_AFTER)

    assert report.kept == {"projects": cap, "isolation_checks": cap}
    assert Project.objects.filter(bilan=bilan).exists()
    assert IsolationCheck.objects.filter(user=bilan.beneficiary).exists()
    assert not Experience.objects.filter(bilan=bilan).exists()
    # the 6-month follow-up check, taken after the end, belongs to the bilan it follows
    check(bilan.beneficiary, IsolationCheck.Moment.PLUS_6_MONTHS, "2026-12-30")
    assert not retention_apply(today=cap).documents[0].destroyed
    last = retention_apply(today=cap + timedelta(days=1)).documents[0]
    assert last.destroyed == {"projects": 1, "isolation_checks": 2}
    assert last.complete
    # the figures were taken before the checks went, follow-up included
    record = OutcomeRecord.objects.get()
    assert (record.isolation_start, record.isolation_plus_6_months) == (60, 30)


def test_an_agreement_with_a_date_ends_that_day(bilan):
    with freeze_time("2026-06-30 12:00"):
        agree(bilan, ["experiences"], until=date(2026, 9, 30))

    assert retention_apply(today=date(2026, 9, 30)).documents[0].kept == {
        "experiences": date(2026, 9, 30)
    }
    assert Experience.objects.filter(bilan=bilan).exists()
    retention_apply(today=date(2026, 10, 1))
    assert not Experience.objects.filter(bilan=bilan).exists()


def test_a_withdrawn_agreement_keeps_nothing(bilan):
    with freeze_time("2026-06-30 12:00"):
        agreement = agree(bilan, ["experiences"])
    bilans.keep_agreement_withdraw(
        beneficiary=bilan.beneficiary, agreement=agreement, expected_version=agreement.version
    )

    bilan_documents_destroy(bilan=bilan, today=DAY_AFTER)

    assert not Experience.objects.filter(bilan=bilan).exists()


@freeze_time("2026-06-30 12:00")
def test_an_agreement_is_written_capped_and_the_beneficiarys_own(bilan, people):
    with pytest.raises(ValidationError) as refused:
        agree(bilan, [], need=" ", until=date(2027, 7, 1))
    assert set(refused.value.message_dict) == {"kinds", "need", "until"}
    assert "30 juin 2027" in refused.value.message_dict["until"][0]
    with pytest.raises(ValidationError):
        agree(bilan, ["something_else"])
    with pytest.raises(PermissionDenied):
        bilans.keep_agreement_give(
            beneficiary=people["consultant"],
            bilan=bilan,
            agreement=bilans.AgreementInput(kinds=["experiences"], need="suivi"),
        )
    assert agree(bilan, ["experiences"], until=date(2027, 6, 30)).until == date(2027, 6, 30)


# --- One transaction per bilan ------------------------------------------------------------------


def test_a_failure_midway_destroys_nothing_of_that_bilan(bilan, people, organisation, monkeypatch):
    other = member(Role.BENEFICIARY, organisation, invited_by=people["consultant"])
    fine = opened(people["consultant"], other)
    documents(fine)
    fine = ended(fine)
    before = counts(bilan)

    def broken(target):
        if target.pk == bilan.pk:
            raise RuntimeError("disk full")
        return Project.objects.filter(bilan=target)

    registry = dict(working_documents._registry)
    # The projects come after the parcours, réussites, portfolio…: those are deleted first,
    # then rolled back.
    registry["projects"] = working_documents.WorkingDocuments(
        kind="projects", label="Projets", rows=broken
    )
    monkeypatch.setattr(working_documents, "_registry", registry)

    run = retention_apply(today=DAY_AFTER)
    monkeypatch.undo()

    assert run.failed == [bilan.pk]
    assert counts(bilan) == before
    bilan.refresh_from_db()
    assert bilan.purged_at is None and bilan.outcome_recorded_at is None
    # the other bilan went on
    assert not Experience.objects.filter(bilan=fine).exists()
    assert OutcomeRecord.objects.count() == 1


# --- Statistics and management data -------------------------------------------------------------


def test_the_outcome_figures_are_recorded_anonymously(bilan, organisation):
    check(bilan.beneficiary, IsolationCheck.Moment.END, "2026-06-25", overall_answer=4)
    for day in ("2025-11-01", "2026-04-01"):
        with freeze_time(day):
            Contact.objects.create(
                owner=bilan.beneficiary, organisation=organisation, last_name="Martin"
            )

    bilan_documents_destroy(bilan=bilan, today=DAY_AFTER)

    record = OutcomeRecord.objects.get()
    assert record.organisation == organisation
    assert record.ended_month == date(2026, 6, 1)
    assert record.outcome == Outcome.COMPLETED
    assert (record.isolation_start, record.isolation_end) == (60, 40)
    assert (record.network_start, record.network_end) == (1, 2)
    # nothing points back to the person or the bilan
    fields = {f.name for f in OutcomeRecord._meta.get_fields()}
    assert not fields & {"user", "beneficiary", "bilan", "created_at", "recorded_at"}
    assert not isinstance(record.pk, int)


@override_settings(TISSER_MANAGEMENT_RETENTION_YEARS=5)
def test_management_data_goes_after_its_own_period(bilan):
    bilan_documents_destroy(bilan=bilan, today=DAY_AFTER)
    bilan.refresh_from_db()
    assert bilan.management_kept_until == date(2031, 6, 30)

    assert retention_apply(today=date(2031, 6, 30)).management_deleted == []
    assert Bilan.objects.filter(pk=bilan.pk).exists()
    assert retention_apply(today=date(2031, 7, 1)).management_deleted == [bilan.pk]
    assert not Bilan.objects.filter(pk=bilan.pk).exists()
    assert OutcomeRecord.objects.count() == 1


# --- Command -----------------------------------------------------------------------------------


def test_the_command_lists_per_bilan_and_kind_on_a_dry_run(bilan):
    out = io.StringIO()
    call_command("bilans_retention", "--dry-run", "--date", "2026-07-01", stdout=out)

    text = out.getvalue()
    assert "Simulation" in text
    assert f"Bilan {bilan.pk} :" in text
    assert "Parcours (experiences) : 1 à détruire" in text
    assert Experience.objects.filter(bilan=bilan).exists()

    out = io.StringIO()
    call_command("bilans_retention", "--date", "2026-07-01", stdout=out)
    assert "Parcours (experiences) : 1 détruits" in out.getvalue()
    assert not Experience.objects.filter(bilan=bilan).exists()


# --- The person's own isolation checks -----------------------------------------------------------


def test_the_person_erases_their_checks_outside_any_bilan_but_not_those_of_a_bilan(people, client):
    person = people["beneficiary"]
    outside = check(person, IsolationCheck.Moment.OTHER, "2025-12-01")
    bilan = opened(people["consultant"], person)
    during = check(person, IsolationCheck.Moment.START, "2026-02-01")

    assert list(own_isolation_checks(person)) == [outside]
    client.force_login(person)
    page = client.get(reverse("assessments:isolation_history")).content.decode()
    assert "Effacer ces points" in page
    client.post(reverse("assessments:isolation_erase"), {"confirm": "1"})

    assert not IsolationCheck.objects.filter(pk=outside.pk).exists()
    assert IsolationCheck.objects.filter(pk=during.pk).exists()
    assert own_isolation_checks_erase(user=person) == 0
    assert bilan.pk


# --- Pages --------------------------------------------------------------------------------------


def test_the_beneficiary_downloads_their_results_before_the_end(client, people):
    bilan = opened(people["consultant"], people["beneficiary"])
    documents(bilan)
    client.force_login(people["beneficiary"])

    mine = client.get(reverse("bilans:mine")).content.decode()
    assert reverse("bilans:final_download", args=[bilan.pk]) in mine
    page = client.get(reverse("bilans:final_download", args=[bilan.pk]))
    assert page.status_code == 200
    response = client.get(reverse("bilans:results_pdf", args=[bilan.pk]))

    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Comptable" in text and "Clôture" in text and "Former" in text
    assert "Appeler l'OPCO" in text or "Appeler l’OPCO" in text
    assert FinalDownload.objects.filter(bilan=bilan, kind="results").count() == 1
    # the consultant's closing page shows it
    Bilan.objects.filter(pk=bilan.pk).update(status=Phase.CONCLUSION)
    client.force_login(people["consultant"])
    detail = client.get(reverse("bilans:detail", args=[bilan.pk])).content.decode()
    assert "Résultats détaillés (PDF) téléchargés le" in detail
    assert "Synthèse (PDF) : pas encore téléchargée." in detail


def test_the_agreement_form_keeps_what_was_typed_and_says_what_is_wrong(client, bilan):
    client.force_login(bilan.beneficiary)
    url = reverse("bilans:final_download", args=[bilan.pk])
    with freeze_time("2026-06-30 18:00"):
        response = client.post(url, {"keep-need": "Mon suivi à 3 mois", "keep-confirm": "on"})
        assert response.status_code == 400
        html = response.content.decode()
        assert "Cochez au moins un document à conserver." in html
        assert "Mon suivi à 3 mois" in html
        response = client.post(
            url,
            {"keep-kinds": ["projects"], "keep-need": "Mon suivi à 3 mois", "keep-confirm": "on"},
        )
        assert response.status_code == 302
        assert KeepAgreement.objects.get(bilan=bilan).kinds == ["projects"]
        mine = client.get(reverse("bilans:mine")).content.decode()
    assert (
        "conservés jusqu&#x27;au 30 juin 2027" in mine or "conservés jusqu'au 30 juin 2027" in mine
    )


def test_after_destruction_the_page_says_so(client, bilan):
    bilan_documents_destroy(bilan=bilan, today=DAY_AFTER)
    client.force_login(bilan.beneficiary)

    page = client.get(reverse("bilans:final_download", args=[bilan.pk])).content.decode()

    assert "ont été détruits le" in page
    assert client.get(reverse("bilans:results_pdf", args=[bilan.pk])).status_code == 404
    mine = client.get(reverse("bilans:mine")).content.decode()
    assert reverse("bilans:final_download", args=[bilan.pk]) not in mine


@pytest.mark.parametrize("downloaded", [True, False])
def test_after_destruction_the_consultant_is_told_when_and_what_the_person_took(
    client, bilan, downloaded
):
    if downloaded:
        FinalDownload.objects.create(bilan=bilan, kind="results", at=CLOSED_AT)
    bilan_documents_destroy(bilan=bilan, today=DAY_AFTER)
    client.force_login(bilan.consultant)

    detail = client.get(reverse("bilans:detail", args=[bilan.pk])).content.decode()

    assert "Les documents de ce bilan ont été détruits le" in detail
    assert "Proposé depuis" not in detail
    assert "pas encore téléchargé" not in detail
    if downloaded:
        assert "Résultats détaillés (PDF) téléchargés le 30 juin 2026." in detail
    else:
        assert "la personne ne les avait pas téléchargés." in detail
    assert "Synthèse (PDF)" not in detail  # there was none


def test_the_beneficiary_marks_a_share_as_sent_to_their_cep(client, people):
    bilan = close_for_real(people["consultant"], people["beneficiary"])
    client.force_login(bilan.beneficiary)

    client.post(
        reverse("bilans:synthesis_share_create", args=[bilan.pk]),
        {
            "share-recipient_name": "Inès Caron",
            "share-recipient_email": "ines.caron@cep.example.org",
            "share-recipient_role": "Conseillère en évolution professionnelle",
            "share-purpose": "Préparer ma formation",
            "share-to_cep": "on",
            "share-consent": "on",
        },
    )

    share = bilan.synthesis.shares.get()
    assert share.to_cep
    assert share.kept_until == timezone.localdate(share.given_at) + timedelta(days=365)
    mine = client.get(reverse("bilans:mine")).content.decode()
    assert "transmis à Inès Caron (conseil en évolution professionnelle)" in mine


def test_an_end_check_answered_after_the_end_within_the_reminders_window_is_the_bilans(
    people,
):
    from tisser.bilans import followup
    from tisser.bilans.working_documents import (
        END_ANSWER_WINDOW,
        isolation_checks_of,
        isolation_checks_taken,
    )

    assert END_ANSWER_WINDOW == followup.REMINDER_WINDOW
    bilan = ended(opened(people["consultant"], people["beneficiary"]))
    within = check(bilan.beneficiary, IsolationCheck.Moment.END, "2026-07-20")
    late = check(bilan.beneficiary, IsolationCheck.Moment.END, "2026-08-15")
    other = check(bilan.beneficiary, IsolationCheck.Moment.OTHER, "2026-07-05")

    # The query and its Python twin say the same.
    assert set(isolation_checks_of(bilan)) == {within}
    assert isolation_checks_taken([bilan])[bilan.pk] == [within]
    assert late.pk and other.pk
