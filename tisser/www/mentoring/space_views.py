"""The mentorship space (/mentorat/relations/<id>/…): the two members' page — agreement, goals,
the next monthly meeting, news and thanks, feedback, close or extend — and the coordination's
health overview (/mentorat/coordination/sante/).

Every space page fetches the mentorship among those the person takes part in: someone else's
mentorship, the coordination included, gets a 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from tisser.core.access import role_required
from tisser.core.dates import french_date
from tisser.core.enums import Role
from tisser.core.errors import StaleVersion
from tisser.meetings.models import Occurrence
from tisser.mentoring import services
from tisser.mentoring.access import access_goal, access_mentorship
from tisser.mentoring.health import (
    INACTIVE_DAYS,
    health_figures,
    health_queryset,
    health_row,
    ratings,
)
from tisser.mentoring.models import Agreement, Feedback, Mentorship, ProgressUpdate
from tisser.www.confirmation import confirmation_asked
from tisser.www.forms import form_conflict_apply, form_errors_apply
from tisser.www.mentoring.space_forms import (
    AgreementForm,
    CloseForm,
    ExtendForm,
    FeedbackForm,
    GoalForm,
    PauseForm,
    ResumeForm,
    UpdateForm,
)

FEED_SIZE = 30


def _agreement(mentorship: Mentorship) -> Agreement | None:
    return Agreement.objects.filter(mentorship=mentorship).first()


def _feedback_stages(mentorship: Mentorship, user) -> list[dict]:
    given = {
        feedback.stage: feedback
        for feedback in Feedback.objects.filter(mentorship=mentorship, author=user)
    }
    stages = []
    for stage in Feedback.Stage:
        stages.append(
            {
                "stage": stage,
                "given": given.get(stage),
                "open": services.feedback_is_open(mentorship, stage),
                "opens_at": services.feedback_opens_at(mentorship, stage),
            }
        )
    return stages


def space_context(request, mentorship: Mentorship, **forms) -> dict:
    user = request.user
    is_mentee = user.pk == mentorship.mentee_id
    goals = list(mentorship.goals.all())
    next_meeting = None
    if mentorship.series_id is not None:
        next_meeting = (
            Occurrence.objects.visible_to(user)
            .filter(
                series_id=mentorship.series_id,
                status=Occurrence.Status.SCHEDULED,
                end__gte=timezone.now(),
            )
            .prefetch_related("agenda")
            .order_by("start", "pk")
            .first()
        )
    active = mentorship.status == Mentorship.Status.ACTIVE
    return {
        "mentorship": mentorship,
        "is_mentee": is_mentee,
        "other": mentorship.mentor.user if is_mentee else mentorship.mentee,
        "active": active,
        "agreement": _agreement(mentorship),
        "goals": goals,
        "next_meeting": next_meeting,
        "updates": mentorship.updates.select_related("author", "goal")[:FEED_SIZE],
        "feedback_stages": _feedback_stages(mentorship, user),
        "goal_form": forms.get("goal_form") or GoalForm(),
        "update_form": forms.get("update_form")
        or UpdateForm(goals=mentorship.goals.all(), is_mentee=is_mentee),
        "close_form": forms.get("close_form") or CloseForm(initial={"version": mentorship.version}),
        "extend_form": forms.get("extend_form")
        or ExtendForm(initial={"version": mentorship.version}),
        "pause_form": forms.get("pause_form") or PauseForm(initial={"version": mentorship.version}),
        "resume_form": forms.get("resume_form")
        or ResumeForm(initial={"version": mentorship.version}),
    }


def render_space(request, mentorship: Mentorship, *, status: int = 200, **forms):
    return render(
        request,
        "www/mentoring/space/detail.html",
        space_context(request, mentorship, **forms),
        status=status,
    )


def mentorship_detail(request, mentorship_id: int):
    mentorship = access_mentorship(request.user, mentorship_id)
    return render_space(request, mentorship)


# -- the agreement ------------------------------------------------------------------------------


AGREEMENT_CONFLICT_FIELDS = [
    "goals_summary",
    "mentee_expectations",
    "mentor_commitment",
    "duration_months",
    "confidentiality",
    "first_meeting_date",
]


def _agreement_display(agreement: Agreement | None):
    """The saved first meeting (a date and time on the model, two fields on the form)."""

    def display(name, value):
        if name == "first_meeting_date" and agreement and agreement.first_meeting_at:
            return timezone.localtime(agreement.first_meeting_at)
        return value

    return display


@require_http_methods(["GET", "POST"])
def agreement(request, mentorship_id: int):
    mentorship = access_mentorship(request.user, mentorship_id)
    current = _agreement(mentorship)
    editable = mentorship.status == Mentorship.Status.ACTIVE
    conflict = None
    status = 200
    if request.method == "POST" and editable:
        form = AgreementForm(request.POST)
        if form.is_valid():
            try:
                _saved, cleared = services.agreement_save(
                    actor=request.user,
                    mentorship=mentorship,
                    data=form.to_data(),
                    expected_version=form.cleaned_data["version"],
                )
            except StaleVersion as error:
                conflict = form_conflict_apply(
                    form,
                    error,
                    fields=AGREEMENT_CONFLICT_FIELDS,
                    display=_agreement_display(error.current),
                )
                if error.current is None:
                    # Deleted meanwhile: the next save starts a new agreement.
                    conflict = []
                    data = form.data.copy()
                    data["version"] = ""
                    form.data = data
                status = 409
            except ValidationError as error:
                form_errors_apply(form, error)
                status = 400
            else:
                if cleared:
                    messages.success(
                        request,
                        _(
                            "La charte est enregistrée. Comme elle a changé, les signatures "
                            "sont effacées : chacun·e la signe à nouveau."
                        ),
                    )
                else:
                    messages.success(
                        request, _("La charte est enregistrée. Relisez-la puis signez-la.")
                    )
                return redirect("mentoring:agreement", mentorship_id=mentorship.pk)
        else:
            status = 400
    else:
        form = AgreementForm(initial=AgreementForm.initial_from(current))
    is_mentee = request.user.pk == mentorship.mentee_id
    return render(
        request,
        "www/mentoring/space/agreement.html",
        {
            "mentorship": mentorship,
            "agreement": current,
            "form": form,
            "editable": editable,
            "conflict": conflict,
            "is_mentee": is_mentee,
            "signed_by_me": current is not None
            and (current.mentee_signed_at if is_mentee else current.mentor_signed_at),
        },
        status=status,
    )


@require_POST
def agreement_sign(request, mentorship_id: int):
    mentorship = access_mentorship(request.user, mentorship_id)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        signed = services.agreement_sign(
            actor=request.user, mentorship=mentorship, expected_version=version
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("mentoring:agreement", mentorship_id=mentorship.pk)
    if signed.is_signed:
        messages.success(
            request,
            _(
                "La charte est signée par vous deux. Vos rencontres sont planifiées dans "
                "Rencontres : préparez la première en ajoutant vos points à l'ordre du jour."
            ),
        )
    else:
        messages.success(request, _("Vous avez signé la charte. Elle attend l'autre signature."))
    return redirect("mentoring:mentorship", mentorship_id=mentorship.pk)


# -- goals --------------------------------------------------------------------------------------


@require_POST
def goal_add(request, mentorship_id: int):
    mentorship = access_mentorship(request.user, mentorship_id)
    form = GoalForm(request.POST)
    if form.is_valid():
        try:
            services.goal_add(
                actor=request.user,
                mentorship=mentorship,
                title=form.cleaned_data["title"],
                success_criteria=form.cleaned_data["success_criteria"],
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("L'objectif est ajouté."))
            return redirect("mentoring:mentorship", mentorship_id=mentorship.pk)
    return render_space(request, mentorship, status=400, goal_form=form)


@require_http_methods(["GET", "POST"])
def goal_edit(request, goal_id: int):
    goal = access_goal(request.user, goal_id)
    mentorship = goal.mentorship
    conflict = None
    status = 200
    if request.method == "POST":
        form = GoalForm(request.POST)
        form.fields["status"].required = True
        if form.is_valid():
            try:
                services.goal_update(
                    actor=request.user,
                    goal=goal,
                    title=form.cleaned_data["title"],
                    success_criteria=form.cleaned_data["success_criteria"],
                    status=form.cleaned_data["status"],
                    expected_version=form.cleaned_data["version"] or 0,
                )
            except StaleVersion as error:
                conflict = form_conflict_apply(form, error)
                status = 409
            except ValidationError as error:
                form_errors_apply(form, error)
                status = 400
            else:
                messages.success(request, _("L'objectif est enregistré."))
                return redirect("mentoring:mentorship", mentorship_id=mentorship.pk)
        else:
            status = 400
    else:
        form = GoalForm(
            initial={
                "version": goal.version,
                "title": goal.title,
                "success_criteria": goal.success_criteria,
                "status": goal.status,
            }
        )
        form.fields["status"].required = True
    return render(
        request,
        "www/mentoring/space/goal_edit.html",
        {
            "goal": goal,
            "mentorship": mentorship,
            "form": form,
            "conflict": conflict,
            "editable": mentorship.status == Mentorship.Status.ACTIVE,
        },
        status=status,
    )


# -- typed messages -----------------------------------------------------------------------------

SENT = {
    ProgressUpdate.Kind.ENCOURAGEMENT: gettext_lazy("Votre encouragement est envoyé à %(name)s."),
    ProgressUpdate.Kind.QUESTION: gettext_lazy("Votre question est envoyée à %(name)s."),
    ProgressUpdate.Kind.THANKS: gettext_lazy("Votre remerciement est envoyé à %(name)s."),
    ProgressUpdate.Kind.UPDATE: gettext_lazy("Vos nouvelles sont envoyées à %(name)s."),
}


@require_POST
def update_add(request, mentorship_id: int):
    mentorship = access_mentorship(request.user, mentorship_id)
    is_mentee = request.user.pk == mentorship.mentee_id
    form = UpdateForm(request.POST, goals=mentorship.goals.all(), is_mentee=is_mentee)
    if form.is_valid():
        try:
            update = services.progress_update_post(
                actor=request.user,
                mentorship=mentorship,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                goal=form.cleaned_data.get("goal"),
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            other = mentorship.mentor.user if is_mentee else mentorship.mentee
            messages.success(request, SENT[update.kind] % {"name": other.get_full_name()})
            return redirect("mentoring:mentorship", mentorship_id=mentorship.pk)
    return render_space(request, mentorship, status=400, update_form=form)


# -- feedback -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def feedback(request, mentorship_id: int, stage: str):
    mentorship = access_mentorship(request.user, mentorship_id)
    if stage not in Feedback.Stage.values:
        raise Http404
    stage = Feedback.Stage(stage)
    given = Feedback.objects.filter(mentorship=mentorship, author=request.user, stage=stage).first()
    is_open = services.feedback_is_open(mentorship, stage)
    status = 200
    form = FeedbackForm()
    if request.method == "POST" and given is None:
        form = FeedbackForm(request.POST)
        if form.is_valid():
            try:
                services.feedback_give(
                    actor=request.user, mentorship=mentorship, stage=stage, **form.cleaned_data
                )
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                messages.success(request, _("Merci pour votre avis."))
                return redirect("mentoring:mentorship", mentorship_id=mentorship.pk)
        status = 400
    return render(
        request,
        "www/mentoring/space/feedback.html",
        {
            "mentorship": mentorship,
            "stage": stage,
            "given": given,
            "is_open": is_open,
            "opens_at": services.feedback_opens_at(mentorship, stage),
            "form": form,
        },
        status=status,
    )


# -- close or extend ----------------------------------------------------------------------------


def _refreshed(form, mentorship: Mentorship):
    """The form as typed, carrying the current version: a second try after a conflict works."""
    mentorship.refresh_from_db()
    data = form.data.copy()
    data[form.add_prefix("version")] = mentorship.version
    form.data = data
    return form


@require_POST
def close(request, mentorship_id: int):
    mentorship = access_mentorship(request.user, mentorship_id)
    form = CloseForm(request.POST)
    if form.is_valid():
        other = _other(request.user, mentorship)
        asked = confirmation_asked(
            request,
            question=_("Terminer le mentorat avec %(name)s ?") % {"name": other},
            consequences=[
                _("Le mentorat ne pourra pas reprendre : il faudrait en commencer un autre."),
                _("Les rencontres à venir sont annulées et %(name)s reçoit un message.")
                % {"name": other},
                _("Vous pourrez ensuite donner votre avis sur le mentorat."),
            ],
            confirm_label=_("Oui, terminer le mentorat"),
            cancel_url=reverse("mentoring:mentorship", args=[mentorship.pk]),
            cancel_label=_("Non, revenir au mentorat"),
        )
        if asked is not None:
            return asked
        try:
            services.mentorship_close(
                actor=request.user,
                mentorship=mentorship,
                summary=form.cleaned_data["summary"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(
                request,
                _("Le mentorat est terminé. Merci de donner votre avis : il aide l'organisme."),
            )
            return redirect("mentoring:feedback", mentorship_id=mentorship.pk, stage="end")
    return render_space(request, mentorship, status=400, close_form=_refreshed(form, mentorship))


@require_POST
def extend(request, mentorship_id: int):
    mentorship = access_mentorship(request.user, mentorship_id)
    form = ExtendForm(request.POST)
    if form.is_valid():
        try:
            extended = services.mentorship_extend(
                actor=request.user,
                mentorship=mentorship,
                months=form.cleaned_data["months"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(
                request,
                _("Le mentorat est prolongé jusqu'au %(date)s.")
                % {"date": french_date(extended.planned_end, "j F Y")},
            )
            return redirect("mentoring:mentorship", mentorship_id=mentorship.pk)
    return render_space(request, mentorship, status=400, extend_form=_refreshed(form, mentorship))


@require_POST
def pause(request, mentorship_id: int):
    mentorship = access_mentorship(request.user, mentorship_id)
    form = PauseForm(request.POST)
    if form.is_valid():
        other = _other(request.user, mentorship)
        asked = confirmation_asked(
            request,
            question=_("Mettre en pause le mentorat avec %(name)s ?") % {"name": other},
            consequences=[
                _(
                    "Les rencontres à venir sont annulées et aucune n'est planifiée tant que "
                    "le mentorat ne reprend pas."
                ),
                _("Un message prévient %(name)s, avec le motif si vous en donnez un.")
                % {"name": other},
                _("Le mentorat garde sa place : vous pourrez le reprendre ici."),
            ],
            confirm_label=_("Oui, mettre en pause"),
            cancel_url=reverse("mentoring:mentorship", args=[mentorship.pk]),
            cancel_label=_("Non, revenir au mentorat"),
        )
        if asked is not None:
            return asked
        try:
            _paused, cancelled = services.mentorship_pause(
                actor=request.user,
                mentorship=mentorship,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            text = _("Le mentorat est en pause ; un message prévient %(name)s.") % {"name": other}
            if cancelled:
                text += " " + ngettext(
                    "La rencontre prévue est annulée.",
                    "Les %(count)s rencontres prévues sont annulées.",
                    cancelled,
                ) % {"count": cancelled}
            messages.success(request, text)
            return redirect("mentoring:mentorship", mentorship_id=mentorship.pk)
    return render_space(request, mentorship, status=400, pause_form=_refreshed(form, mentorship))


@require_POST
def resume(request, mentorship_id: int):
    mentorship = access_mentorship(request.user, mentorship_id)
    form = ResumeForm(request.POST)
    if form.is_valid():
        try:
            _resumed, next_start = services.mentorship_resume(
                actor=request.user,
                mentorship=mentorship,
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            other = _other(request.user, mentorship)
            text = _("Le mentorat reprend ; un message prévient %(name)s.") % {"name": other}
            if next_start is not None:
                text += " " + _("Prochaine rencontre : %(date)s.") % {
                    "date": french_date(timezone.localtime(next_start), "l j F Y, H:i")
                }
            messages.success(request, text)
            return redirect("mentoring:mentorship", mentorship_id=mentorship.pk)
    return render_space(request, mentorship, status=400, resume_form=_refreshed(form, mentorship))


def _other(user, mentorship: Mentorship) -> str:
    other = mentorship.mentor.user if user.pk == mentorship.mentee_id else mentorship.mentee
    return other.get_full_name() or other.email


# -- the coordination's overview ----------------------------------------------------------------


HEALTH_PER_PAGE = 50


@role_required(Role.COORDINATOR)
def health(request):
    """The organisation's mentorships, a page at a time, with the figures of all of them
    (aggregates in the database): a constant number of queries whatever their number."""
    organisation = request.membership.organisation
    now = timezone.now()
    page_obj = Paginator(health_queryset(organisation, now=now), HEALTH_PER_PAGE).get_page(
        request.GET.get("page")
    )
    figures = health_figures(organisation, now=now)
    return render(
        request,
        "www/mentoring/space/health.html",
        {
            "rows": [health_row(item, now=now) for item in page_obj.object_list],
            "page_obj": page_obj,
            "ratings": [
                (Feedback.Stage(stage).label, figure)
                for stage, figure in ratings(organisation).items()
            ],
            "inactive_days": INACTIVE_DAYS,
            "inactive_count": figures["inactive"],
            "active_count": figures["active"],
        },
    )
