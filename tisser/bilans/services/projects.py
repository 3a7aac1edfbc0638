"""The beneficiary's projects: creating and editing them, the preferred one, the feasibility
checklist and the action plan; and `projects_summary`, what the document de synthèse uses.

Only the beneficiary writes (their consultant reads); a closed bilan is read-only. Every
write is in the audit log; edits of free text carry a version check (StaleVersion)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Prefetch
from django.utils.timezone import now
from django.utils.translation import gettext as _

from tisser.accounts.models import User
from tisser.bilans.models import (
    Bilan,
    CheckItem,
    CheckStatus,
    Project,
    ProjectCheck,
    ProjectKind,
    ProjectStep,
    StepStatus,
)
from tisser.bilans.services.exploration import STALE_MESSAGE, require_beneficiary_writer
from tisser.core.audit import audit_record
from tisser.core.versioning import version_bump
from tisser.referentiel.models import Metier

MAX_TARGETS = 5
TITLE_MAX = 200


def _project_clean(*, kind: str, title: str, targets: list[Metier]) -> str:
    errors: dict[str, list[str]] = {}
    title = title.strip()
    if kind not in ProjectKind.values:
        errors["kind"] = [_("Choisissez le type de projet.")]
    if not title:
        errors["title"] = [_("Donnez un intitulé à votre projet.")]
    elif len(title) > TITLE_MAX:
        errors["title"] = [_("L'intitulé tient en 200 caractères au plus.")]
    if len(targets) > MAX_TARGETS:
        errors["targets"] = [
            _("Choisissez au plus %(count)d métiers visés.") % {"count": MAX_TARGETS}
        ]
    if errors:
        raise ValidationError(errors)
    return title


def _audit(actor: User, action: str, target, bilan: Bilan, **data) -> None:
    audit_record(
        actor=actor, action=action, target=target, organisation=bilan.organisation, data=data
    )


def project_create(
    *,
    actor: User,
    bilan: Bilan,
    kind: ProjectKind | str,
    title: str,
    motivation: str = "",
    targets: Iterable[Metier] = (),
) -> Project:
    """Create a project with its six-point feasibility checklist, all "à faire". The first
    project of a bilan is its preferred one (a single project is the one the person
    pursues); later ones are not until `project_set_preferred` says so."""
    require_beneficiary_writer(actor, bilan)
    targets = list(dict.fromkeys(targets))
    title = _project_clean(kind=kind, title=title, targets=targets)
    with transaction.atomic():
        locked = Bilan.objects.select_for_update().get(pk=bilan.pk)
        project = Project.objects.create(
            bilan=locked,
            kind=kind,
            title=title,
            motivation=motivation.strip(),
            preferred=not Project.objects.filter(bilan=locked, preferred=True).exists(),
        )
        project.targets.set(targets)
        ProjectCheck.objects.bulk_create(
            ProjectCheck(project=project, item=item) for item in CheckItem.values
        )
        _audit(
            actor,
            "project.create",
            project,
            bilan,
            kind=str(kind),
            targets=[metier.code_rome for metier in targets],
        )
    return project


def project_update(
    *,
    actor: User,
    project: Project,
    kind: ProjectKind | str,
    title: str,
    motivation: str,
    targets: Iterable[Metier],
    expected_version: int,
) -> Project:
    """Change a project's type, title, motivation and target fiches. StaleVersion when it
    changed since `expected_version`."""
    bilan = project.bilan
    require_beneficiary_writer(actor, bilan)
    targets = list(dict.fromkeys(targets))
    title = _project_clean(kind=kind, title=title, targets=targets)
    with transaction.atomic():
        version_bump(
            project,
            expected=expected_version,
            message=STALE_MESSAGE,
            kind=kind,
            title=title,
            motivation=motivation.strip(),
            updated_at=now(),
        )
        project.targets.set(targets)
        _audit(actor, "project.update", project, bilan, version=expected_version + 1)
    project.refresh_from_db()
    return project


def project_delete(*, actor: User, project: Project) -> None:
    """Delete a project with its checklist and steps. When it was the preferred one, the
    oldest remaining project (if any) becomes preferred, so that a bilan with projects
    always shows which one comes first."""
    bilan = project.bilan
    require_beneficiary_writer(actor, bilan)
    with transaction.atomic():
        Bilan.objects.select_for_update().get(pk=bilan.pk)
        was_preferred = Project.objects.filter(pk=project.pk, preferred=True).exists()
        _audit(actor, "project.delete", project, bilan, title=project.title)
        project.delete()
        if was_preferred:
            successor = Project.objects.filter(bilan=bilan).order_by("created_at", "id").first()
            if successor is not None:
                Project.objects.filter(pk=successor.pk).update(preferred=True)


def project_set_preferred(*, actor: User, project: Project) -> Project:
    """Make `project` the bilan's preferred project; the previous one stops being it. At
    most one preferred project per bilan: enforced here under a lock on the bilan, and by
    the database's partial unique constraint."""
    bilan = project.bilan
    require_beneficiary_writer(actor, bilan)
    with transaction.atomic():
        Bilan.objects.select_for_update().get(pk=bilan.pk)
        Project.objects.filter(bilan=bilan, preferred=True).exclude(pk=project.pk).update(
            preferred=False
        )
        Project.objects.filter(pk=project.pk).update(preferred=True)
        _audit(actor, "project.set_preferred", project, bilan)
    project.refresh_from_db()
    return project


def project_check_update(
    *,
    actor: User,
    check: ProjectCheck,
    status: CheckStatus | str,
    note: str,
    expected_version: int,
) -> ProjectCheck:
    """Set the status and note of one point of the feasibility checklist."""
    bilan = check.project.bilan
    require_beneficiary_writer(actor, bilan)
    if status not in CheckStatus.values:
        raise ValidationError({"status": [_("Choisissez où en est ce point.")]})
    with transaction.atomic():
        version_bump(
            check,
            expected=expected_version,
            message=STALE_MESSAGE,
            status=status,
            note=note.strip(),
            updated_at=now(),
        )
        _audit(actor, "project.check_update", check.project, bilan, item=check.item, status=status)
    check.refresh_from_db()
    return check


def _step_clean(*, title: str, due_on: date | None) -> str:
    errors: dict[str, list[str]] = {}
    title = title.strip()
    if not title:
        errors["title"] = [_("Décrivez l'étape en quelques mots.")]
    elif len(title) > TITLE_MAX:
        errors["title"] = [_("L'étape tient en 200 caractères au plus.")]
    if due_on is None:
        errors["due_on"] = [_("Donnez une date d'échéance à cette étape.")]
    if errors:
        raise ValidationError(errors)
    return title


def project_step_add(*, actor: User, project: Project, title: str, due_on: date) -> ProjectStep:
    """Add a dated step, "à faire", to the project's action plan. A date in the past is
    accepted (a step already under way may be recorded late); the page shows it overdue."""
    bilan = project.bilan
    require_beneficiary_writer(actor, bilan)
    title = _step_clean(title=title, due_on=due_on)
    with transaction.atomic():
        step = ProjectStep.objects.create(project=project, title=title, due_on=due_on)
        _audit(actor, "project.step_add", project, bilan, step_id=step.pk)
    return step


def project_step_update(
    *,
    actor: User,
    step: ProjectStep,
    title: str,
    due_on: date | None,
    status: StepStatus | str,
    expected_version: int,
) -> ProjectStep:
    """Change a step's wording, date and status. `done_at` is set when it becomes done and
    cleared when it is reopened or abandoned."""
    bilan = step.project.bilan
    require_beneficiary_writer(actor, bilan)
    title = _step_clean(title=title, due_on=due_on)
    if status not in StepStatus.values:
        raise ValidationError({"status": [_("Choisissez l'état de l'étape.")]})
    with transaction.atomic():
        current = ProjectStep.objects.select_for_update().filter(pk=step.pk).first()
        if current is None:
            raise ValidationError(_("Cette étape a été supprimée."))
        done_at = (current.done_at or now()) if status == StepStatus.DONE else None
        version_bump(
            current,
            expected=expected_version,
            message=STALE_MESSAGE,
            title=title,
            due_on=due_on,
            status=status,
            done_at=done_at,
        )
        _audit(actor, "project.step_update", step.project, bilan, step_id=step.pk, status=status)
    step.refresh_from_db()
    return step


def project_step_complete(*, actor: User, step: ProjectStep) -> ProjectStep:
    """Mark a step done now (done already: nothing changes)."""
    bilan = step.project.bilan
    require_beneficiary_writer(actor, bilan)
    with transaction.atomic():
        changed = (
            ProjectStep.objects.filter(pk=step.pk)
            .exclude(status=StepStatus.DONE)
            .update(status=StepStatus.DONE, done_at=now(), version=F("version") + 1)
        )
        if changed:
            _audit(actor, "project.step_complete", step.project, bilan, step_id=step.pk)
    step.refresh_from_db()
    return step


def project_step_remove(*, actor: User, step: ProjectStep) -> None:
    bilan = step.project.bilan
    require_beneficiary_writer(actor, bilan)
    with transaction.atomic():
        _audit(actor, "project.step_remove", step.project, bilan, title=step.title)
        step.delete()


# --- Read models -----------------------------------------------------------------------------


def projects_with_details(bilan: Bilan):
    """The bilan's projects, preferred first, with their targets, checklist and steps
    prefetched (four queries)."""
    return (
        Project.objects.filter(bilan=bilan)
        .order_by("-preferred", "created_at", "id")
        .prefetch_related(
            Prefetch("targets", queryset=Metier.objects.order_by("code_rome")),
            Prefetch("checks", queryset=ProjectCheck.objects.order_by("id")),
            Prefetch("steps", queryset=ProjectStep.objects.order_by("due_on", "id")),
        )
    )


@dataclass(frozen=True)
class StepSummary:
    title: str
    due_on: date
    status: str  # a StepStatus value
    status_label: str


@dataclass(frozen=True)
class ProjectSummary:
    """A project as the document de synthèse states it."""

    title: str
    kind: str  # a ProjectKind value
    kind_label: str
    preferred: bool
    motivation: str
    targets: tuple[tuple[str, str], ...]  # (code ROME, libellé)
    checklist: tuple[tuple[str, str, str], ...]  # (point, état, note), checklist order
    steps: tuple[StepSummary, ...]  # by due date; abandoned steps left out


def projects_summary(bilan: Bilan) -> list[ProjectSummary]:
    """The bilan's projects, preferred first, for the synthèse's third section ("le ou les
    projets et leurs principales étapes"), in four queries. No permission check: callers
    have fetched `bilan` through `Bilan.objects.visible_to`."""
    summaries = []
    for project in projects_with_details(bilan):
        checks = {check.item: check for check in project.checks.all()}
        summaries.append(
            ProjectSummary(
                title=project.title,
                kind=project.kind,
                kind_label=str(ProjectKind(project.kind).label),
                preferred=project.preferred,
                motivation=project.motivation,
                targets=tuple((m.code_rome, m.libelle) for m in project.targets.all()),
                checklist=tuple(
                    (
                        str(CheckItem(item).label),
                        str(CheckStatus(checks[item].status).label),
                        checks[item].note,
                    )
                    for item in CheckItem.values
                    if item in checks
                ),
                steps=tuple(
                    StepSummary(
                        title=step.title,
                        due_on=step.due_on,
                        status=step.status,
                        status_label=str(StepStatus(step.status).label),
                    )
                    for step in project.steps.all()
                    if step.status != StepStatus.ABANDONED
                ),
            )
        )
    return summaries
