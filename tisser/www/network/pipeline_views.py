"""The enquêtes-métiers of the beneficiary: a board (one column per step, each card with
"Passer à : …" buttons — no drag and drop), a list (next action, overdue ones said in words),
the page of one enquête (its dated steps, the first message to send, its outcome) and the
forms that move it. Someone else's enquête is a 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tisser.bilans.models import Project
from tisser.core.access import role_required
from tisser.core.enums import Role
from tisser.network import services
from tisser.network.access import access_contact, access_own_interview
from tisser.network.messages import LINKEDIN_MAX, approach_message
from tisser.network.models import STAGE_ORDER, InformationalInterview, Stage
from tisser.referentiel.models import Metier
from tisser.www.confirmation import safe_next
from tisser.www.forms import form_errors_apply
from tisser.www.network.contacts_forms import (
    AdvanceForm,
    InterviewFilterForm,
    InterviewStartForm,
    OutcomeForm,
    ReferredForm,
)
from tisser.www.network.contacts_views import (
    own_interviews,
    picker_context,
)

Outcome = InformationalInterview.Outcome
BOARD_CARDS = 10  # cards shown per column of the board
LIST_PAGE_SIZE = 25


def own_projects(user):
    return Project.objects.visible_to(user).filter(bilan__beneficiary=user).order_by("title")


def filtered_interviews(request):
    """The person's enquêtes, filtered by fiche, and the filter form."""
    interviews = own_interviews(request.user)
    fiches = Metier.objects.filter(pk__in=interviews.values("metier_id")).order_by("libelle")
    filters = InterviewFilterForm(request.GET or None, fiches=list(fiches))
    shown = interviews.order_by("stage_changed_at", "id")
    if filters.is_valid() and filters.cleaned_data["fiche"]:
        shown = shown.filter(metier__code_rome=filters.cleaned_data["fiche"])
    return filters, shown


def interview_rows(interviews, today) -> list[dict]:
    return [
        {
            "interview": interview,
            "action": services.interview_next_action(interview, today),
            "next_stages": services.interview_next_stages(interview),
        }
        for interview in interviews
    ]


@role_required(Role.BENEFICIARY)
def interview_board(request):
    """One column per step, each with its count (one GROUP BY) and its oldest cards (those
    waiting longest, `BOARD_CARDS` at most, numbered by a window function); the list shows
    them all."""
    filters, shown = filtered_interviews(request)
    counts = dict(shown.order_by().values_list("stage").annotate(count=Count("id")))
    first = (
        shown.annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("stage")],
                order_by=[F("stage_changed_at").asc(), F("id").asc()],
            )
        )
        .filter(rank__lte=BOARD_CARDS)
        .select_related("contact", "metier")
        .defer("takeaways", "about_me", "contact__notes")
    )
    rows = interview_rows(first, timezone.localdate())
    columns = [
        {
            "stage": stage,
            "rows": [row for row in rows if row["interview"].stage == stage],
            "count": counts.get(stage.value, 0),
        }
        for stage in STAGE_ORDER
    ]
    return render(
        request,
        "www/network/interview_board.html",
        {
            "filters": filters,
            "columns": columns,
            "count": sum(counts.values()),
            "here": request.get_full_path(),
            "meeting_stage": Stage.MEETING_SET,
        },
    )


@role_required(Role.BENEFICIARY)
def interview_list(request):
    """Overdue ones first, then the oldest step first. Whether each is overdue is read from
    five columns of every enquête; the page's rows only are read whole."""
    filters, shown = filtered_interviews(request)
    today = timezone.localdate()
    light = shown.only("id", "stage", "outcome", "stage_changed_at", "meeting_at")
    order = sorted(
        light,
        key=lambda interview: (
            services.interview_overdue(interview, today) is None,
            interview.stage_changed_at,
        ),
    )
    page = Paginator([interview.pk for interview in order], LIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    by_id = shown.select_related("contact", "metier").in_bulk(list(page.object_list))
    rows = interview_rows([by_id[pk] for pk in page.object_list if pk in by_id], today)
    return render(
        request,
        "www/network/interview_list.html",
        {
            "filters": filters,
            "rows": rows,
            "page_obj": page,
            "here": request.get_full_path(),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.BENEFICIARY)
def interview_create(request, contact_id: int):
    contact = access_contact(request.user, contact_id)
    projects = own_projects(request.user)
    searching = request.method == "POST" and "metier_search" in request.POST
    if request.method == "POST" and not searching:
        form = InterviewStartForm(request.POST, projects=projects)
        if form.is_valid():
            try:
                interview = services.interview_start(
                    owner=request.user,
                    contact=contact,
                    metier=form.cleaned_data["metier"],
                    project=form.cleaned_data["project"],
                )
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                messages.success(request, _("L'enquête-métier est commencée."))
                return redirect("network:interview", interview_id=interview.pk)
        status = 400
        data = form.data
    else:
        data = request.POST if searching else request.GET
        code = data.get("metier", "") or (contact.metier.code_rome if contact.metier_id else "")
        initial = {"metier": code, "project": data.get("project") or None}
        if data.get("projet", "").isdigit():
            initial["project"] = int(data["projet"])
        form = InterviewStartForm(initial=initial, projects=projects)
        data = initial
        status = 200
    picker = picker_context(
        request.user,
        selected=str(data.get("metier") or ""),
        query=str(data.get("metier_q") or "") if searching else "",
    )
    return render(
        request,
        "www/network/interview_create.html",
        {"contact": contact, "form": form, "picker": picker},
        status=status,
    )


def render_interview(request, interview, *, advance_form=None, outcome_forms=None, status=200):
    today = timezone.localdate()
    next_stages = services.interview_next_stages(interview)
    if advance_form is None and next_stages:
        advance_form = AdvanceForm(stages=next_stages, initial={"to_stage": next_stages[0]})
    outcome_form, referred_form = outcome_forms or (
        OutcomeForm(initial={"outcome": interview.outcome}),
        ReferredForm(prefix="referred"),
    )
    message = approach_message(interview.contact, interview, request.user)
    return render(
        request,
        "www/network/interview_detail.html",
        {
            "interview": interview,
            "contact": interview.contact,
            "events": interview.events.all(),
            "action": services.interview_next_action(interview, today),
            "advance_form": advance_form,
            "outcome_form": outcome_form,
            "referred_form": referred_form,
            "can_undo": interview.events.count() > 1,
            "message": message,
            "linkedin_max": LINKEDIN_MAX,
        },
        status=status,
    )


@role_required(Role.BENEFICIARY)
def interview_detail(request, interview_id: int):
    return render_interview(request, access_own_interview(request.user, interview_id))


@require_POST
@role_required(Role.BENEFICIARY)
def interview_advance(request, interview_id: int):
    interview = access_own_interview(request.user, interview_id)
    form = AdvanceForm(request.POST, stages=services.stages_after(interview.stage))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.interview_advance(
                actor=request.user,
                interview=interview,
                to_stage=data["to_stage"],
                at=data["at"],
                meeting_at=data["meeting_at"],
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(
                request,
                _("%(contact)s : étape « %(stage)s » notée.")
                % {"contact": interview.contact, "stage": interview.get_stage_display()},
            )
            return redirect(safe_next(request, reverse("network:interview", args=[interview.pk])))
    elif "to_stage" in form.errors and request.POST.get("to_stage") in Stage.values:
        # A stale button (the enquête moved meanwhile, in another tab): say so plainly.
        form.errors["to_stage"] = form.error_class(
            [
                _("L'enquête en est déjà à l'étape « %(stage)s » : choisissez une étape suivante.")
                % {"stage": interview.get_stage_display()}
            ]
        )
    if not services.stages_after(interview.stage):
        messages.error(request, form.errors["to_stage"][0])
        return redirect("network:interview", interview_id=interview.pk)
    return render_interview(request, interview, advance_form=form, status=400)


@require_POST
@role_required(Role.BENEFICIARY)
def interview_undo(request, interview_id: int):
    interview = access_own_interview(request.user, interview_id)
    try:
        removed = services.interview_stage_undo(actor=request.user, interview=interview)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("L'étape « %(removed)s » est annulée : l'enquête revient à « %(stage)s ».")
            % {"removed": removed.label, "stage": interview.get_stage_display()},
        )
    return redirect(safe_next(request, reverse("network:interview", args=[interview.pk])))


@require_POST
@role_required(Role.BENEFICIARY)
def interview_outcome(request, interview_id: int):
    interview = access_own_interview(request.user, interview_id)
    form = OutcomeForm(request.POST)
    referred_form = ReferredForm(request.POST, prefix="referred")
    if form.is_valid() and referred_form.is_valid():
        outcome = form.cleaned_data["outcome"]
        referred = (
            referred_form.to_data()
            if outcome == Outcome.REFERRAL and not referred_form.is_empty()
            else None
        )
        try:
            created = services.interview_outcome_set(
                actor=request.user, interview=interview, outcome=outcome, referred=referred
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "outcome" not in error.error_dict:
                form_errors_apply(referred_form, error)
            else:
                form_errors_apply(form, error)
        else:
            if created is not None:
                messages.success(
                    request,
                    _("%(name)s est dans vos contacts ; la mise en relation vient de %(by)s.")
                    % {"name": created, "by": interview.contact},
                )
            else:
                messages.success(request, _("La suite de l'enquête est notée."))
            return redirect("network:interview", interview_id=interview.pk)
    interview.refresh_from_db()
    return render_interview(request, interview, outcome_forms=(form, referred_form), status=400)
