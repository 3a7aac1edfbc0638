"""An enquête-métier's guide, notes and synthesis (/reseau/enquetes/<id>/…), the side by
side comparison of the enquêtes about one fiche, and the page "À faire".

Enquêtes come through `InformationalInterview.objects.owned_by` for what only their owner
does (prepare, write) and `visible_to` for what a consultant the person shares their network
with may read (the printable guide, the notes): anyone else gets a 404."""

from datetime import datetime, time

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from tisser.bilans.models import ShortlistEntry
from tisser.core.access import role_required
from tisser.core.enums import Role
from tisser.core.errors import StaleVersion
from tisser.network.access import access_interview, access_own_interview
from tisser.network.models import (
    GuideTheme,
    InformationalInterview,
    InterviewGuide,
    InterviewNote,
    InterviewQuestion,
    Stage,
    StageEvent,
)
from tisser.network.reminders import follow_up_delay, network_todos
from tisser.network.services import notes as notes_services
from tisser.network.services import preparation
from tisser.referentiel.models import Metier
from tisser.www.forms import ConflictRow, form_conflict_apply, form_errors_apply
from tisser.www.network.guides_forms import (
    GuideChooseForm,
    NotesForm,
    QuestionAddForm,
    SynthesisForm,
)
from tisser.www.network.guides_views import questions_by_theme, themes_with_add_forms

DONE_STAGES = (Stage.INTERVIEW_DONE, Stage.THANKED, Stage.NEXT_STEP)


def interview_url(interview: InformationalInterview) -> str:
    """Where an enquête's to-dos lead: the enquête's own page (steps, message, guide)."""
    return reverse("network:interview", kwargs={"interview_id": interview.pk})


def offered_guides(interview: InformationalInterview):
    return (
        InterviewGuide.objects.offered()
        .filter(organisation_id=interview.contact.organisation_id)
        .with_question_count()
        .order_by("title", "id")
    )


def _render_prepare(request, interview, *, choose_form=None, add_forms=None, status=200):
    guides = offered_guides(interview)
    context = {
        "interview": interview,
        "themes": themes_with_add_forms(interview.questions.all(), add_forms or {}),
        "choose_form": choose_form or GuideChooseForm(guides=guides),
        "has_guides": guides.exists(),
    }
    return render(request, "www/network/interview/prepare.html", context, status=status)


def interview_prepare(request, interview_id: int):
    """Prepare an enquête: start from a guide of the organisation, then add, reorder or
    remove questions, theme by theme."""
    interview = access_own_interview(request.user, interview_id)
    return _render_prepare(request, interview)


@require_POST
def interview_guide_apply(request, interview_id: int):
    interview = access_own_interview(request.user, interview_id)
    form = GuideChooseForm(request.POST, guides=offered_guides(interview))
    if not form.is_valid():
        return _render_prepare(request, interview, choose_form=form, status=400)
    added = preparation.interview_guide_apply(
        actor=request.user, interview=interview, guide=form.cleaned_data["guide"]
    )
    if added:
        messages.success(
            request,
            ngettext(
                "%(count)s question du guide ajoutée : gardez-la si elle vous parle.",
                "%(count)s questions du guide ajoutées : gardez celles qui vous parlent.",
                added,
            )
            % {"count": added},
        )
    else:
        messages.info(
            request, _("Toutes les questions de ce guide sont déjà dans votre préparation.")
        )
    return redirect("network:interview_prepare", interview_id=interview.pk)


@require_POST
def interview_question_add(request, interview_id: int):
    interview = access_own_interview(request.user, interview_id)
    theme = request.POST.get("theme", "")
    if theme not in GuideTheme.values:
        messages.error(request, _("Choisissez un thème de la liste."))
        return redirect("network:interview_prepare", interview_id=interview.pk)
    form = QuestionAddForm(request.POST, prefix=theme)
    if form.is_valid():
        try:
            preparation.interview_question_add(
                actor=request.user, interview=interview, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Votre question est ajoutée."))
            path = reverse("network:interview_prepare", kwargs={"interview_id": interview.pk})
            return redirect(f"{path}#theme-{theme}")
    return _render_prepare(request, interview, add_forms={theme: form}, status=400)


def _own_question(request, interview_id: int, question_id: int) -> InterviewQuestion:
    interview = access_own_interview(request.user, interview_id)
    return get_object_or_404(
        InterviewQuestion.objects.select_related("interview__contact"),
        interview=interview,
        pk=question_id,
    )


@require_POST
def interview_question_move(request, interview_id: int, question_id: int):
    question = _own_question(request, interview_id, question_id)
    direction = request.POST.get("direction", "")
    if not preparation.interview_question_move(
        actor=request.user, question=question, direction=direction
    ):
        messages.info(request, _("Cette question est déjà à cette extrémité de son thème."))
    path = reverse("network:interview_prepare", kwargs={"interview_id": interview_id})
    return redirect(f"{path}#question-{question.pk}")


@require_POST
def interview_question_delete(request, interview_id: int, question_id: int):
    question = _own_question(request, interview_id, question_id)
    preparation.interview_question_delete(actor=request.user, question=question)
    messages.success(request, _("La question « %(text)s » est retirée.") % {"text": question.text})
    path = reverse("network:interview_prepare", kwargs={"interview_id": interview_id})
    return redirect(f"{path}#theme-{question.theme}")


def interview_print(request, interview_id: int):
    """ "Mon guide pour l'entretien avec X": the prepared questions, ready to print."""
    interview = access_interview(request.user, interview_id)
    return render(
        request,
        "www/network/interview/print.html",
        {
            "interview": interview,
            "themes": [
                (theme, questions)
                for theme, questions in questions_by_theme(interview.questions.all())
                if questions
            ],
        },
    )


def candidate_metiers(interview: InformationalInterview):
    """The fiches a synthesis is likely to name: the enquête's, its contact's, the fiches
    the person shortlisted or aims at in their bilan's projects."""
    owner = interview.owner_id
    return Metier.objects.filter(
        Q(pk=interview.metier_id)
        | Q(pk=interview.contact.metier_id)
        | Q(pk__in=ShortlistEntry.objects.filter(bilan__beneficiary_id=owner).values("metier_id"))
        | Q(pk__in=notes_services.synthesis_projects(interview.owner).values("targets"))
    ).order_by("libelle", "code_rome")


def _synthesis_form(interview, data=None, *, initial=None):
    return SynthesisForm(
        data,
        projects=notes_services.synthesis_projects(interview.owner),
        metiers=candidate_metiers(interview),
        initial=initial
        or {
            "takeaways": interview.takeaways,
            "about_me": interview.about_me,
            "verdict": interview.verdict,
            "project": interview.project_id,
            "metier": interview.metier.code_rome if interview.metier else None,
            "version": interview.version,
        },
    )


def notes_conflict_apply(form: NotesForm, error: StaleVersion) -> list[ConflictRow]:
    """The notes of several themes at once: each conflicting theme's version field takes its
    saved version and gets a row of the conflict component (saved text, typed text)."""
    data = form.data.copy()
    rows = []
    for theme, (text, version) in error.current.items():
        data[f"version_{theme}"] = str(version)
        typed = form.cleaned_data.get(f"text_{theme}", "")
        rows.append(
            ConflictRow(label=GuideTheme(theme).label, saved=text or "—", typed=typed or "—")
        )
    form.data = data
    form.add_error(None, error)
    return rows


def _render_notes(
    request,
    interview,
    *,
    notes_form=None,
    notes_conflict=None,
    synthesis_form=None,
    synthesis_conflict=None,
    status=200,
):
    is_owner = interview.owner_id == request.user.pk
    saved = {note.theme: note for note in interview.notes.all()}
    questions = dict(questions_by_theme(interview.questions.all()))
    if is_owner:
        notes_form = notes_form or NotesForm(initial=NotesForm.initial_from(saved))
        synthesis_form = synthesis_form or _synthesis_form(interview)
    themes = [
        {
            "theme": theme,
            "questions": questions[theme],
            "note": saved.get(theme.value),
            "field": notes_form[f"text_{theme.value}"] if notes_form else None,
            "version_field": notes_form[f"version_{theme.value}"] if notes_form else None,
        }
        for theme in GuideTheme
    ]
    metier = interview.metier or interview.contact.metier
    comparable = (
        metier is not None
        and comparable_interviews(request.user, metier.code_rome).exclude(pk=interview.pk).exists()
    )
    return render(
        request,
        "www/network/interview/notes.html",
        {
            "interview": interview,
            "is_owner": is_owner,
            "themes": themes,
            "notes_form": notes_form,
            "notes_conflict": notes_conflict,
            "synthesis_form": synthesis_form,
            "synthesis_conflict": synthesis_conflict,
            "compare_metier": metier if comparable else None,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def interview_notes(request, interview_id: int):
    """The notes of an enquête, theme by theme, with the prepared questions above each
    (POST: save them), and its synthesis (saved by `interview_synthesis`)."""
    if request.method == "GET":
        return _render_notes(request, access_interview(request.user, interview_id))
    interview = access_own_interview(request.user, interview_id)
    form = NotesForm(request.POST)
    conflict = None
    if form.is_valid():
        try:
            changed = notes_services.interview_notes_save(
                actor=request.user,
                interview=interview,
                texts=form.texts(),
                versions=form.versions(),
            )
        except StaleVersion as error:
            # The person's text stays; the conflicting themes now start from the saved version.
            conflict = notes_conflict_apply(form, error)
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(
                request,
                _("Vos notes sont enregistrées.") if changed else _("Rien n'avait changé."),
            )
            return redirect("network:interview_notes", interview_id=interview.pk)
    return _render_notes(
        request,
        interview,
        notes_form=form,
        notes_conflict=conflict,
        status=409 if conflict else 400,
    )


@require_POST
def interview_synthesis(request, interview_id: int):
    interview = access_own_interview(request.user, interview_id)
    form = _synthesis_form(interview, request.POST)
    conflict = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            notes_services.interview_synthesis_save(
                actor=request.user,
                interview=interview,
                takeaways=data["takeaways"],
                about_me=data["about_me"],
                verdict=data["verdict"],
                project=data["project"],
                metier=form.chosen_metier(),
                expected_version=data["version"],
            )
        except StaleVersion as error:
            conflict = form_conflict_apply(form, error, fields=["takeaways", "about_me", "verdict"])
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Votre synthèse est enregistrée."))
            path = reverse("network:interview_notes", kwargs={"interview_id": interview.pk})
            return redirect(f"{path}#synthese")
    return _render_notes(
        request,
        interview,
        synthesis_form=form,
        synthesis_conflict=conflict,
        status=409 if conflict else 400,
    )


def comparable_interviews(user, code_rome: str):
    """`user`'s enquêtes about the fiche `code_rome` (theirs, or their contact's when the
    enquête names none) that went as far as the interview or hold notes."""
    return (
        InformationalInterview.objects.owned_by(user)
        .filter(
            Q(metier__code_rome=code_rome)
            | Q(metier__isnull=True, contact__metier__code_rome=code_rome)
        )
        .filter(Q(stage__in=DONE_STAGES) | Q(notes__isnull=False) | ~Q(takeaways=""))
        .distinct()
    )


@role_required(Role.BENEFICIARY)
def fiche_compare(request, code_rome: str):
    """The person's enquêtes about one fiche side by side: one column per enquête, one row
    per theme of notes, then the synthesis."""
    metier = get_object_or_404(Metier, code_rome=code_rome)
    interviews = list(
        comparable_interviews(request.user, code_rome)
        .select_related("contact")
        .prefetch_related(
            Prefetch("notes", queryset=InterviewNote.objects.all()),
            Prefetch(
                "events",
                queryset=StageEvent.objects.filter(stage=Stage.INTERVIEW_DONE),
                to_attr="done_events",
            ),
        )
        .order_by("stage_changed_at", "pk")
    )
    columns = []
    for interview in interviews:
        held = interview.meeting_at or (
            interview.done_events[0].at if interview.done_events else None
        )
        columns.append(
            {
                "interview": interview,
                "held": held,
                "notes": {note.theme: note.text for note in interview.notes.all()},
            }
        )
    rows = [
        {
            "label": theme.label,
            "cells": [(column, column["notes"].get(theme.value, "")) for column in columns],
        }
        for theme in GuideTheme
    ]
    rows.append(
        {
            "label": _("Ce que je retiens"),
            "cells": [(column, column["interview"].takeaways) for column in columns],
        }
    )
    return render(
        request,
        "www/network/interview/compare.html",
        {"metier": metier, "columns": columns, "rows": rows},
    )


@role_required(Role.BENEFICIARY)
def todos(request):
    """What the person's enquêtes call for today: follow up, thank, ask for another contact."""
    today = timezone.localdate()
    return render(
        request,
        "www/network/interview/todos.html",
        {
            "todos": network_todos(request.user, today),
            "start_of_today": timezone.make_aware(datetime.combine(today, time.min)),
            "follow_up_days": follow_up_delay().days,
        },
    )
