"""The organisation's interview guides (/reseau/guides/): coordinators and consultants keep
them, beneficiaries read the active ones. Guides come through
`InterviewGuide.objects.visible_to`: another organisation's guide is a 404; a guide someone
may read but not change answers 403 to a write (the services check it)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tisser.core.access import role_required
from tisser.core.enums import Role
from tisser.core.errors import StaleVersion
from tisser.network.models import GUIDE_EDITOR_ROLES, GuideQuestion, GuideTheme, InterviewGuide
from tisser.network.services import guides as services
from tisser.www.forms import form_conflict_apply, form_errors_apply
from tisser.www.network.guides_forms import (
    GuideEditForm,
    GuideForm,
    QuestionAddForm,
    QuestionEditForm,
)


def is_editor(request) -> bool:
    return request.membership is not None and request.membership.role in GUIDE_EDITOR_ROLES


def guide_url(guide: InterviewGuide) -> str:
    return reverse("network:guide", kwargs={"guide_id": guide.pk})


def access_guide(user, guide_id: int) -> InterviewGuide:
    return get_object_or_404(
        InterviewGuide.objects.visible_to(user).select_related("organisation"), pk=guide_id
    )


def access_guide_question(user, question_id: int) -> GuideQuestion:
    return get_object_or_404(
        GuideQuestion.objects.filter(
            guide__in=InterviewGuide.objects.visible_to(user)
        ).select_related("guide__organisation"),
        pk=question_id,
    )


def questions_by_theme(questions) -> list[tuple[GuideTheme, list]]:
    """Every theme, in its order, with its questions (possibly none)."""
    grouped: dict[str, list] = {theme.value: [] for theme in GuideTheme}
    for question in questions:
        grouped[question.theme].append(question)
    return [(theme, grouped[theme.value]) for theme in GuideTheme]


def themes_with_add_forms(questions, add_forms: dict | None) -> list[tuple]:
    """(theme, its questions, the form adding one to it) for every theme; `add_forms` holds
    the bound form of a theme whose addition failed. Without `add_forms`, no form at all."""
    if add_forms is None:
        return [(theme, rows, None) for theme, rows in questions_by_theme(questions)]
    return [
        (
            theme,
            rows,
            add_forms.get(theme.value)
            or QuestionAddForm(prefix=theme.value, initial={"theme": theme.value}),
        )
        for theme, rows in questions_by_theme(questions)
    ]


@role_required(Role.BENEFICIARY, *GUIDE_EDITOR_ROLES)
def guides(request):
    """The guides of the person's organisation. The first coordinator or consultant to open
    it in an organisation without any guide installs the default one."""
    organisation = request.membership.organisation
    editor = is_editor(request)
    if editor and services.interview_guide_install_default(organisation=organisation):
        messages.info(
            request,
            _("Un premier guide d'entretien a été installé pour votre organisme : adaptez-le."),
        )
    rows = (
        InterviewGuide.objects.visible_to(request.user)
        .filter(organisation=organisation)
        .with_question_count()
    )
    return render(request, "www/network/guides/list.html", {"guides": rows, "is_editor": editor})


@role_required(*GUIDE_EDITOR_ROLES)
@require_http_methods(["GET", "POST"])
def guide_create(request):
    form = GuideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            guide = services.interview_guide_create(
                actor=request.user,
                organisation=request.membership.organisation,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Le guide est créé : ajoutez-lui des questions."))
            return redirect("network:guide", guide_id=guide.pk)
    return render(
        request,
        "www/network/guides/create.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


def _render_guide(request, guide, *, edit_form=None, add_forms=None, conflict=None, status=200):
    editable = InterviewGuide.objects.editable_by(request.user).filter(pk=guide.pk).exists()
    context = {
        "guide": guide,
        "is_editor": editable,
        "themes": themes_with_add_forms(
            guide.questions.all(), (add_forms or {}) if editable else None
        ),
        "conflict": conflict,
    }
    if editable:
        context["edit_form"] = edit_form or GuideEditForm(
            initial={
                "title": guide.title,
                "description": guide.description,
                "is_active": guide.is_active,
                "version": guide.version,
            }
        )
    return render(request, "www/network/guides/detail.html", context, status=status)


@require_http_methods(["GET", "POST"])
def guide(request, guide_id: int):
    """A guide: read by everyone it is visible to; its editors change its title,
    description and whether beneficiaries are offered it (POST), and its questions."""
    guide = access_guide(request.user, guide_id)
    if request.method == "GET":
        return _render_guide(request, guide)
    form = GuideEditForm(request.POST)
    conflict = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.interview_guide_update(
                actor=request.user,
                guide=guide,
                title=data["title"],
                description=data["description"],
                is_active=data["is_active"],
                expected_version=data["version"],
            )
        except StaleVersion as error:
            conflict = form_conflict_apply(form, error)
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Le guide est enregistré."))
            return redirect("network:guide", guide_id=guide.pk)
    guide.refresh_from_db()
    return _render_guide(
        request, guide, edit_form=form, conflict=conflict, status=409 if conflict else 400
    )


@require_POST
def guide_question_add(request, guide_id: int):
    guide = access_guide(request.user, guide_id)
    services.guide_editor_check(user=request.user, organisation=guide.organisation)
    theme = request.POST.get("theme", "")
    if theme not in GuideTheme.values:
        messages.error(request, _("Choisissez un thème de la liste."))
        return redirect(guide_url(guide))
    form = QuestionAddForm(request.POST, prefix=theme)
    if form.is_valid():
        try:
            services.guide_question_add(actor=request.user, guide=guide, **form.cleaned_data)
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("La question est ajoutée."))
            return redirect(f"{guide_url(guide)}#theme-{theme}")
    return _render_guide(request, guide, add_forms={theme: form}, status=400)


@require_http_methods(["GET", "POST"])
def guide_question_edit(request, question_id: int):
    question = access_guide_question(request.user, question_id)
    guide = question.guide
    services.guide_editor_check(user=request.user, organisation=guide.organisation)
    conflict = None
    if request.method == "POST":
        form = QuestionEditForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.guide_question_update(
                    actor=request.user,
                    question=question,
                    theme=data["theme"],
                    text=data["text"],
                    expected_version=data["version"],
                )
            except StaleVersion as error:
                conflict = form_conflict_apply(form, error)
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                messages.success(request, _("La question est enregistrée."))
                return redirect(f"{guide_url(guide)}#theme-{data['theme']}")
        status = 409 if conflict else 400
    else:
        form = QuestionEditForm(
            initial={"theme": question.theme, "text": question.text, "version": question.version}
        )
        status = 200
    return render(
        request,
        "www/network/guides/question_edit.html",
        {"guide": guide, "question": question, "form": form, "conflict": conflict},
        status=status,
    )


@require_POST
def guide_question_move(request, question_id: int):
    question = access_guide_question(request.user, question_id)
    direction = request.POST.get("direction", "")
    if not services.guide_question_move(actor=request.user, question=question, direction=direction):
        messages.info(request, _("Cette question est déjà à cette extrémité de son thème."))
    return redirect(f"{guide_url(question.guide)}#question-{question.pk}")


@require_POST
def guide_question_delete(request, question_id: int):
    question = access_guide_question(request.user, question_id)
    guide = question.guide
    services.guide_question_delete(actor=request.user, question=question)
    messages.success(
        request,
        _("La question « %(text)s » est retirée du guide.") % {"text": question.text},
    )
    return redirect(f"{guide_url(guide)}#theme-{question.theme}")
