"""Shortlist, dismissed fiches and projects: the services' rules."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from tests.exploration_helpers import (  # noqa: F401 - fixtures: bilan, rome
    bilan_close,
    bilan_fixture,
    rome_fixture,
)
from tisser.bilans import services as bilans
from tisser.bilans.models import (
    CheckItem,
    CheckStatus,
    DismissedFiche,
    Project,
    ProjectKind,
    ShortlistEntry,
    StepStatus,
)
from tisser.core.errors import StaleVersion
from tisser.core.models import AuditEvent
from tisser.referentiel.models import Metier


@pytest.fixture
def metiers(rome):
    return {metier.code_rome: metier for metier in Metier.objects.all()}


@pytest.fixture
def beneficiary(people):
    return people["beneficiary"]


# --- Shortlist and dismissed fiches ----------------------------------------------------------


def test_a_fiche_kept_to_explore_is_audited_and_kept_once(bilan, beneficiary, metiers):
    # when
    entry = bilans.shortlist_add(actor=beneficiary, bilan=bilan, metier=metiers["K1901"])
    again = bilans.shortlist_add(actor=beneficiary, bilan=bilan, metier=metiers["K1901"])

    # then
    assert again == entry
    assert entry.status == ShortlistEntry.Status.TO_EXPLORE
    assert AuditEvent.objects.filter(action="shortlist.add").count() == 1


def test_keeping_a_dismissed_fiche_proposes_it_again(bilan, beneficiary, metiers):
    bilans.fiche_dismiss(actor=beneficiary, bilan=bilan, metier=metiers["K1901"])

    bilans.shortlist_add(actor=beneficiary, bilan=bilan, metier=metiers["K1901"])

    assert not DismissedFiche.objects.exists()


def test_a_shortlisted_fiche_is_not_dismissed_behind_the_persons_back(bilan, beneficiary, metiers):
    bilans.shortlist_add(actor=beneficiary, bilan=bilan, metier=metiers["K1901"])

    with pytest.raises(ValidationError) as error:
        bilans.fiche_dismiss(actor=beneficiary, bilan=bilan, metier=metiers["K1901"])

    assert error.value.code == "shortlisted"
    assert not DismissedFiche.objects.exists()


def test_dismiss_then_restore(bilan, beneficiary, metiers):
    bilans.fiche_dismiss(actor=beneficiary, bilan=bilan, metier=metiers["D1901"])
    bilans.fiche_dismiss(actor=beneficiary, bilan=bilan, metier=metiers["D1901"])
    assert DismissedFiche.objects.count() == 1

    bilans.fiche_restore(actor=beneficiary, bilan=bilan, metier=metiers["D1901"])

    assert not DismissedFiche.objects.exists()
    assert list(
        AuditEvent.objects.filter(action__startswith="fiche.")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["fiche.dismiss", "fiche.restore"]


def test_a_note_saved_from_a_stale_page_is_refused_with_the_saved_one(bilan, beneficiary, metiers):
    # given: two tabs opened at version 1; the first saves
    entry = bilans.shortlist_add(actor=beneficiary, bilan=bilan, metier=metiers["K1901"])
    bilans.shortlist_update(
        actor=beneficiary,
        entry=entry,
        note="Rencontrer une animatrice",
        status=ShortlistEntry.Status.TO_EXPLORE,
        expected_version=1,
    )

    # when: the second tab saves
    with pytest.raises(StaleVersion) as conflict:
        bilans.shortlist_update(
            actor=beneficiary,
            entry=entry,
            note="Autre chose",
            status=ShortlistEntry.Status.EXPLORED,
            expected_version=1,
        )

    # then
    assert conflict.value.saved("note", "status") == {
        "note": "Rencontrer une animatrice",
        "status": "to_explore",
    }
    assert conflict.value.version == 2
    entry.refresh_from_db()
    assert entry.note == "Rencontrer une animatrice"


def test_remove_from_the_shortlist(bilan, beneficiary, metiers):
    entry = bilans.shortlist_add(actor=beneficiary, bilan=bilan, metier=metiers["K1901"])

    bilans.shortlist_remove(actor=beneficiary, entry=entry)

    assert not ShortlistEntry.objects.exists()


@pytest.mark.parametrize("role", ["consultant", "mentor", "coordinator"])
def test_only_the_beneficiary_explores(bilan, people, metiers, role):
    with pytest.raises(PermissionDenied):
        bilans.shortlist_add(actor=people[role], bilan=bilan, metier=metiers["K1901"])
    with pytest.raises(PermissionDenied):
        bilans.fiche_dismiss(actor=people[role], bilan=bilan, metier=metiers["K1901"])
    with pytest.raises(PermissionDenied):
        bilans.project_create(
            actor=people[role], bilan=bilan, kind=ProjectKind.TRAINING, title="Projet"
        )


def test_a_closed_bilan_is_read_only(bilan, beneficiary, metiers):
    entry = bilans.shortlist_add(actor=beneficiary, bilan=bilan, metier=metiers["K1901"])
    project = bilans.project_create(
        actor=beneficiary, bilan=bilan, kind=ProjectKind.TRAINING, title="Projet"
    )
    bilan_close(bilan)
    entry.refresh_from_db()
    project.refresh_from_db()

    for write in (
        lambda: bilans.shortlist_add(actor=beneficiary, bilan=bilan, metier=metiers["D1901"]),
        lambda: bilans.shortlist_remove(actor=beneficiary, entry=entry),
        lambda: bilans.fiche_dismiss(actor=beneficiary, bilan=bilan, metier=metiers["D1901"]),
        lambda: bilans.project_create(
            actor=beneficiary, bilan=bilan, kind=ProjectKind.TRAINING, title="Autre"
        ),
        lambda: bilans.project_set_preferred(actor=beneficiary, project=project),
        lambda: bilans.project_step_add(
            actor=beneficiary, project=project, title="Étape", due_on=date.today()
        ),
        lambda: bilans.project_delete(actor=beneficiary, project=project),
    ):
        with pytest.raises(ValidationError) as error:
            write()
        assert error.value.code == "closed"


# --- Projects --------------------------------------------------------------------------------


def project_make(bilan, beneficiary, title="Projet", **kwargs) -> Project:
    return bilans.project_create(
        actor=beneficiary,
        bilan=bilan,
        kind=kwargs.pop("kind", ProjectKind.RECONVERSION),
        title=title,
        **kwargs,
    )


def test_a_project_starts_with_its_six_point_checklist_and_the_first_is_preferred(
    bilan, beneficiary, metiers
):
    # when
    first = project_make(
        bilan, beneficiary, "Animer des ateliers", targets=[metiers["K1901"], metiers["K1902"]]
    )
    second = project_make(bilan, beneficiary, "Ouvrir une épicerie", kind=ProjectKind.BUSINESS)

    # then
    assert first.preferred and not second.preferred
    assert sorted(first.checks.values_list("item", flat=True)) == sorted(CheckItem.values)
    assert set(first.checks.values_list("status", flat=True)) == {CheckStatus.TODO}
    assert sorted(first.targets.values_list("code_rome", flat=True)) == ["K1901", "K1902"]
    assert AuditEvent.objects.filter(action="project.create").count() == 2


@pytest.mark.parametrize(
    ("kind", "title", "field"),
    [("", "Projet", "kind"), ("reconversion", "   ", "title"), ("autre", "Projet", "kind")],
)
def test_a_project_needs_a_kind_and_a_title(bilan, beneficiary, kind, title, field):
    with pytest.raises(ValidationError) as error:
        bilans.project_create(actor=beneficiary, bilan=bilan, kind=kind, title=title)

    assert field in error.value.message_dict
    assert not Project.objects.exists()


def test_at_most_five_target_fiches(bilan, beneficiary, metiers):
    with pytest.raises(ValidationError) as error:
        project_make(bilan, beneficiary, targets=list(metiers.values()))

    assert "targets" in error.value.message_dict


def test_one_preferred_project_at_a_time(bilan, beneficiary):
    first = project_make(bilan, beneficiary, "Premier")
    second = project_make(bilan, beneficiary, "Second")

    bilans.project_set_preferred(actor=beneficiary, project=second)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.preferred, second.preferred) == (False, True)
    assert Project.objects.filter(bilan=bilan, preferred=True).count() == 1


def test_the_database_refuses_two_preferred_projects(bilan, beneficiary):
    project_make(bilan, beneficiary, "Premier")
    second = project_make(bilan, beneficiary, "Second")

    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=second.pk).update(preferred=True)


def test_deleting_the_preferred_project_hands_the_mark_to_the_oldest_other(bilan, beneficiary):
    first = project_make(bilan, beneficiary, "Premier")
    second = project_make(bilan, beneficiary, "Second")
    project_make(bilan, beneficiary, "Troisième")

    bilans.project_delete(actor=beneficiary, project=first)

    assert list(Project.objects.filter(preferred=True)) == [second]


def test_a_project_edited_from_a_stale_page_is_refused(bilan, beneficiary, metiers):
    project = project_make(bilan, beneficiary, "Premier")
    bilans.project_update(
        actor=beneficiary,
        project=project,
        kind=ProjectKind.TRAINING,
        title="Se former",
        motivation="Apprendre",
        targets=[metiers["K1901"]],
        expected_version=1,
    )

    with pytest.raises(StaleVersion) as conflict:
        bilans.project_update(
            actor=beneficiary,
            project=project,
            kind=ProjectKind.RECONVERSION,
            title="Autre",
            motivation="",
            targets=[],
            expected_version=1,
        )

    assert conflict.value.saved("kind", "title", "motivation") == {
        "kind": "training",
        "title": "Se former",
        "motivation": "Apprendre",
    }
    project.refresh_from_db()
    assert project.title == "Se former"
    assert list(project.targets.values_list("code_rome", flat=True)) == ["K1901"]


def test_a_checklist_point_is_updated_with_a_version_check(bilan, beneficiary):
    project = project_make(bilan, beneficiary)
    check = project.checks.get(item=CheckItem.FINANCING)

    bilans.project_check_update(
        actor=beneficiary,
        check=check,
        status=CheckStatus.IN_PROGRESS,
        note="CPF à vérifier",
        expected_version=1,
    )
    with pytest.raises(StaleVersion):
        bilans.project_check_update(
            actor=beneficiary, check=check, status=CheckStatus.DONE, note="", expected_version=1
        )

    check.refresh_from_db()
    assert (check.status, check.note, check.version) == ("in_progress", "CPF à vérifier", 2)


def test_steps_are_added_completed_reopened_and_removed(bilan, beneficiary):
    project = project_make(bilan, beneficiary)
    step = bilans.project_step_add(
        actor=beneficiary,
        project=project,
        title="Rencontrer une aide-soignante",
        due_on=date.today() + timedelta(days=10),
    )
    assert (step.status, step.done_at) == (StepStatus.TODO, None)

    bilans.project_step_complete(actor=beneficiary, step=step)
    assert step.status == StepStatus.DONE and step.done_at is not None

    bilans.project_step_update(
        actor=beneficiary,
        step=step,
        title=step.title,
        due_on=step.due_on,
        status=StepStatus.IN_PROGRESS,
        expected_version=step.version,
    )
    assert (step.status, step.done_at) == (StepStatus.IN_PROGRESS, None)

    bilans.project_step_remove(actor=beneficiary, step=step)
    assert not project.steps.exists()


def test_a_step_needs_a_title_and_a_date(bilan, beneficiary):
    project = project_make(bilan, beneficiary)

    with pytest.raises(ValidationError) as error:
        bilans.project_step_add(actor=beneficiary, project=project, title=" ", due_on=None)

    assert set(error.value.message_dict) == {"title", "due_on"}


def test_an_overdue_step_is_an_open_one_past_its_date(bilan, beneficiary):
    project = project_make(bilan, beneficiary)
    today = date(2026, 5, 10)
    late = bilans.project_step_add(
        actor=beneficiary, project=project, title="En retard", due_on=date(2026, 5, 1)
    )
    done = bilans.project_step_add(
        actor=beneficiary, project=project, title="Faite", due_on=date(2026, 5, 1)
    )
    bilans.project_step_complete(actor=beneficiary, step=done)

    assert late.is_overdue(today)
    assert not done.is_overdue(today)


def test_projects_summary_for_the_synthesis(bilan, beneficiary, metiers, django_assert_num_queries):
    # given
    other = project_make(bilan, beneficiary, "Ouvrir une épicerie", kind=ProjectKind.BUSINESS)
    preferred = project_make(
        bilan,
        beneficiary,
        "Animer des ateliers",
        kind=ProjectKind.TRAINING,
        motivation="Transmettre",
        targets=[metiers["K1901"]],
    )
    bilans.project_set_preferred(actor=beneficiary, project=preferred)
    bilans.project_step_add(
        actor=beneficiary, project=preferred, title="Certificat", due_on=date(2026, 9, 1)
    )
    dropped = bilans.project_step_add(
        actor=beneficiary, project=preferred, title="Abandonnée", due_on=date(2026, 8, 1)
    )
    bilans.project_step_update(
        actor=beneficiary,
        step=dropped,
        title=dropped.title,
        due_on=dropped.due_on,
        status=StepStatus.ABANDONED,
        expected_version=1,
    )

    # when
    with django_assert_num_queries(4):
        summary = bilans.projects_summary(bilan)

    # then
    assert [s.title for s in summary] == ["Animer des ateliers", other.title]
    first = summary[0]
    assert first.preferred and first.kind_label == "Formation"
    assert first.targets == (("K1901", "Animateur / Animatrice d'ateliers numériques"),)
    assert [step.title for step in first.steps] == ["Certificat"]
    assert first.checklist[0] == ("Enquêtes-métiers réalisées", "À faire", "")
    assert len(first.checklist) == 6
