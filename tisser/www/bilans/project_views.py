"""The beneficiary's projects: list (preferred first), detail with the feasibility checklist
and the action plan, forms. The beneficiary writes; their consultant reads; anyone else gets
a 404; a closed bilan is read-only."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tisser.bilans import services as bilans
from tisser.bilans.models import (
    Bilan,
    CheckItem,
    CheckStatus,
    Project,
    ProjectCheck,
    ProjectStep,
    ShortlistEntry,
)
from tisser.core.errors import StaleVersion
from tisser.referentiel.models import Metier
from tisser.www.bilans.exploration_forms import CheckForm, ProjectForm, StepAddForm, StepForm
from tisser.www.bilans.exploration_views import (
    access_bilan_part,
    access_own_bilan,
    can_edit,
    exploration_context,
)
from tisser.www.forms import form_conflict_apply, form_errors_apply

CHECK_ORDER = {item: position for position, item in enumerate(CheckItem.values)}


def access_project(bilan: Bilan, project_id: int) -> Project:
    return get_object_or_404(Project.objects.filter(bilan=bilan), pk=project_id)


def project_rows(project: Project, today) -> dict:
    """A prefetched project with its checklist in order and its steps, overdue marked."""
    checks = sorted(project.checks.all(), key=lambda check: CHECK_ORDER.get(check.item, 99))
    steps = [{"step": step, "overdue": step.is_overdue(today)} for step in project.steps.all()]
    done = sum(check.status == CheckStatus.DONE for check in checks)
    return {
        "project": project,
        "checks": checks,
        "checks_done": done,
        "checks_total": len(checks),
        "steps": steps,
        "overdue_count": sum(row["overdue"] for row in steps),
        "open_steps": sum(row["step"].is_open for row in steps),
    }


def projects(request, bilan_id: int):
    bilan = access_bilan_part(request.user, bilan_id)
    today = timezone.localdate()
    context = exploration_context(request, bilan)
    context["rows"] = [
        project_rows(project, today) for project in bilans.projects_with_details(bilan)
    ]
    return render(request, "www/bilans/exploration/projects.html", context)


def target_choices(bilan: Bilan, project: Project | None = None):
    """The fiches a project may target with a tick: the shortlist, and the project's own."""
    codes = ShortlistEntry.objects.filter(bilan=bilan).values("metier_id")
    chosen = Metier.objects.filter(pk__in=codes)
    if project is not None:
        chosen = chosen | Metier.objects.filter(pk__in=project.targets.values("pk"))
    return chosen.order_by("libelle", "code_rome").distinct()


@require_http_methods(["GET", "POST"])
def project_create(request, bilan_id: int):
    bilan = access_own_bilan(request.user, bilan_id)
    if not can_edit(request.user, bilan):
        messages.error(request, _("Ce bilan est terminé : il se consulte mais ne se modifie plus."))
        return redirect("bilans:projects", bilan_id=bilan.pk)
    choices = target_choices(bilan)
    initial = {"version": 1}
    code = request.GET.get("metier", "").upper()
    if code and choices.filter(code_rome=code).exists():
        initial["targets"] = list(choices.filter(code_rome=code))
    elif code and Metier.objects.filter(code_rome=code).exists():
        initial["other_codes"] = code
    form = ProjectForm(request.POST or None, choices=choices, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project = bilans.project_create(
                actor=request.user,
                bilan=bilan,
                kind=data["kind"],
                title=data["title"],
                motivation=data["motivation"],
                targets=data["all_targets"],
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Votre projet est créé."))
            return redirect("bilans:project", bilan_id=bilan.pk, project_id=project.pk)
    context = exploration_context(request, bilan)
    context.update(form=form, project=None)
    return render(
        request,
        "www/bilans/exploration/project_form.html",
        context,
        status=400 if form.is_bound else 200,
    )


def render_project(request, bilan: Bilan, project: Project, *, forms=None, status=200):
    """The project page; `forms` holds forms being corrected: {"check": (id, form),
    "step": form, "conflict": {...}}."""
    forms = forms or {}
    project = bilans.projects_with_details(bilan).get(pk=project.pk)
    today = timezone.localdate()
    row = project_rows(project, today)
    editable = can_edit(request.user, bilan)
    bound_check = forms.get("check")
    checks = []
    for check in row["checks"]:
        is_bound = bool(bound_check) and bound_check[0] == check.pk
        form = None
        if editable:
            if is_bound:
                form = bound_check[1]
            else:
                form = CheckForm(
                    prefix=f"check-{check.pk}",
                    initial={"status": check.status, "note": check.note, "version": check.version},
                )
        checks.append(
            {
                "check": check,
                "label": CheckItem(check.item).label,
                "form": form,
                "conflict": forms.get("conflict")
                if bound_check and bound_check[0] == check.pk
                else None,
            }
        )
    context = exploration_context(request, bilan)
    context.update(
        row,
        checks=checks,
        step_form=(forms.get("step") or StepAddForm()) if editable else None,
        today=today,
    )
    return render(request, "www/bilans/exploration/project_detail.html", context, status=status)


def project_detail(request, bilan_id: int, project_id: int):
    bilan = access_bilan_part(request.user, bilan_id)
    return render_project(request, bilan, access_project(bilan, project_id))


@require_http_methods(["GET", "POST"])
def project_update(request, bilan_id: int, project_id: int):
    bilan = access_own_bilan(request.user, bilan_id)
    project = access_project(bilan, project_id)
    if not can_edit(request.user, bilan):
        messages.error(request, _("Ce bilan est terminé : il se consulte mais ne se modifie plus."))
        return redirect("bilans:project", bilan_id=bilan.pk, project_id=project.pk)
    choices = target_choices(bilan, project)
    chosen = list(project.targets.all())
    in_choices = set(choices.values_list("pk", flat=True))
    form = ProjectForm(
        request.POST or None,
        choices=choices,
        initial={
            "kind": project.kind,
            "title": project.title,
            "motivation": project.motivation,
            "targets": [m for m in chosen if m.pk in in_choices],
            "other_codes": ", ".join(m.code_rome for m in chosen if m.pk not in in_choices),
            "version": project.version,
        },
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            bilans.project_update(
                actor=request.user,
                project=project,
                kind=data["kind"],
                title=data["title"],
                motivation=data["motivation"],
                targets=data["all_targets"],
                expected_version=data["version"],
            )
        except StaleVersion as error:
            conflict = form_conflict_apply(form, error, fields=["kind", "title", "motivation"])
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Votre projet est enregistré."))
            return redirect("bilans:project", bilan_id=bilan.pk, project_id=project.pk)
    context = exploration_context(request, bilan)
    context.update(form=form, project=project, conflict=conflict)
    status = 200 if not form.is_bound else (409 if conflict else 400)
    return render(request, "www/bilans/exploration/project_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def project_delete(request, bilan_id: int, project_id: int):
    bilan = access_own_bilan(request.user, bilan_id)
    project = access_project(bilan, project_id)
    if not can_edit(request.user, bilan):
        messages.error(request, _("Ce bilan est terminé : il se consulte mais ne se modifie plus."))
        return redirect("bilans:project", bilan_id=bilan.pk, project_id=project.pk)
    if request.method == "POST":
        try:
            bilans.project_delete(actor=request.user, project=project)
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
            return redirect("bilans:project", bilan_id=bilan.pk, project_id=project.pk)
        messages.success(
            request, _("Le projet « %(title)s » est supprimé.") % {"title": project.title}
        )
        return redirect("bilans:projects", bilan_id=bilan.pk)
    context = exploration_context(request, bilan)
    context["project"] = project
    return render(request, "www/bilans/exploration/project_delete.html", context)


@require_POST
def project_prefer(request, bilan_id: int, project_id: int):
    bilan = access_own_bilan(request.user, bilan_id)
    project = access_project(bilan, project_id)
    try:
        bilans.project_set_preferred(actor=request.user, project=project)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(
            request,
            _("« %(title)s » est désormais votre projet privilégié.") % {"title": project.title},
        )
    return redirect("bilans:projects", bilan_id=bilan.pk)


@require_POST
def check_update(request, bilan_id: int, project_id: int, check_id: int):
    bilan = access_own_bilan(request.user, bilan_id)
    project = access_project(bilan, project_id)
    check = get_object_or_404(ProjectCheck.objects.filter(project=project), pk=check_id)
    form = CheckForm(request.POST, prefix=f"check-{check.pk}")
    conflict = None
    if form.is_valid():
        try:
            bilans.project_check_update(
                actor=request.user,
                check=check,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersion as error:
            conflict = form_conflict_apply(form, error)
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(
                request, _("« %(item)s » est enregistré.") % {"item": CheckItem(check.item).label}
            )
            url = reverse("bilans:project", args=[bilan.pk, project.pk])
            return redirect(f"{url}#check-{check.pk}")
    return render_project(
        request,
        bilan,
        project,
        forms={"check": (check.pk, form), "conflict": conflict},
        status=409 if conflict else 400,
    )


@require_POST
def step_add(request, bilan_id: int, project_id: int):
    bilan = access_own_bilan(request.user, bilan_id)
    project = access_project(bilan, project_id)
    form = StepAddForm(request.POST)
    if form.is_valid():
        try:
            bilans.project_step_add(
                actor=request.user,
                project=project,
                title=form.cleaned_data["title"],
                due_on=form.cleaned_data["due_on"],
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("L'étape est ajoutée au plan d'action."))
            url = reverse("bilans:project", args=[bilan.pk, project.pk])
            return redirect(f"{url}#steps-title")
    return render_project(request, bilan, project, forms={"step": form}, status=400)


def access_step(project: Project, step_id: int) -> ProjectStep:
    return get_object_or_404(
        ProjectStep.objects.filter(project=project).select_related("project__bilan"), pk=step_id
    )


@require_http_methods(["GET", "POST"])
def step_update(request, bilan_id: int, project_id: int, step_id: int):
    bilan = access_own_bilan(request.user, bilan_id)
    project = access_project(bilan, project_id)
    step = access_step(project, step_id)
    form = StepForm(
        request.POST or None,
        initial={
            "title": step.title,
            "due_on": step.due_on,
            "status": step.status,
            "version": step.version,
        },
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            bilans.project_step_update(
                actor=request.user,
                step=step,
                title=data["title"],
                due_on=data["due_on"],
                status=data["status"],
                expected_version=data["version"],
            )
        except StaleVersion as error:
            conflict = form_conflict_apply(form, error)
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("L'étape est enregistrée."))
            url = reverse("bilans:project", args=[bilan.pk, project.pk])
            return redirect(f"{url}#steps-title")
    context = exploration_context(request, bilan)
    context.update(form=form, project=project, step=step, conflict=conflict)
    status = 200 if not form.is_bound else (409 if conflict else 400)
    return render(request, "www/bilans/exploration/step_form.html", context, status=status)


@require_POST
def step_complete(request, bilan_id: int, project_id: int, step_id: int):
    bilan = access_own_bilan(request.user, bilan_id)
    project = access_project(bilan, project_id)
    step = access_step(project, step_id)
    try:
        bilans.project_step_complete(actor=request.user, step=step)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("Bravo : « %(title)s » est fait.") % {"title": step.title})
    url = reverse("bilans:project", args=[bilan.pk, project.pk])
    return redirect(f"{url}#steps-title")


@require_POST
def step_remove(request, bilan_id: int, project_id: int, step_id: int):
    bilan = access_own_bilan(request.user, bilan_id)
    project = access_project(bilan, project_id)
    step = access_step(project, step_id)
    try:
        bilans.project_step_remove(actor=request.user, step=step)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("L'étape « %(title)s » est supprimée.") % {"title": step.title})
    url = reverse("bilans:project", args=[bilan.pk, project.pk])
    return redirect(f"{url}#steps-title")
