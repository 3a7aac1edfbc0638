"""The stakeholders' appraisals (Qualiopi indicator 30, issue #18): the coordinator's results
and questionnaires, the invitation of an employer or a funder, the consultant's appraisal of a
bilan they led, and the public page an invited employer or funder answers from (no account).

Someone else's questionnaire, question or bilan is a 404; the services check again."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from tisser.bilans.access import access_bilan_run
from tisser.bilans.models import Bilan
from tisser.bilans.stats import bilan_stats
from tisser.core.access import role_required
from tisser.core.dates import french_date
from tisser.core.enums import Role
from tisser.core.errors import StaleVersion
from tisser.quality.appraisal_results import LOW_RATING, appraisal_results
from tisser.quality.models import (
    INVITED_AUDIENCES,
    Appraisal,
    AppraisalInvitation,
    Audience,
    Question,
    Questionnaire,
)
from tisser.quality.services import appraisals as service
from tisser.www.forms import form_errors_apply
from tisser.www.quality.appraisals_forms import (
    AnswersForm,
    InvitationForm,
    QuestionAddForm,
    QuestionEditForm,
)
from tisser.www.quality.spam import client_address

PER_PAGE = 25
# The public page: at most this many requests a minute from one address (a modest guard
# against guessing links and flooding), counted like the public forms' posts (`spam`).
PUBLIC_RATE = "30/m"


def action_create_url(reference: str) -> str:
    """The page that opens an improvement action prompted by a low appraisal, prefilled."""
    query = urlencode({"origine": "appreciation", "reference": reference[:120]})
    return f"{reverse('quality:action_new')}?{query}"


# --- Results ---------------------------------------------------------------------------------


@role_required(Role.COORDINATOR)
@require_http_methods(["GET"])
def results(request):
    organisation = request.membership.organisation
    audiences = appraisal_results(coordinator=request.user, organisation=organisation)
    for audience in audiences:
        for item in audience.questions:
            item.action_url = (
                action_create_url(
                    _("%(audience)s — « %(question)s » : des notes de 2/5 ou moins")
                    % {"audience": audience.label, "question": item.question.text}
                )
                if item.low_count
                else ""
            )
    invitations = (
        AppraisalInvitation.objects.filter(organisation=organisation)
        .select_related("bilan__beneficiary")
        .order_by("-created_at", "-pk")
    )
    page_obj = Paginator(invitations, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "www/quality/appraisals/results.html",
        {
            "audiences": audiences,
            "stats": bilan_stats(coordinator=request.user, organisation=organisation),
            "page_obj": page_obj,
            "now": timezone.now(),
            "low_rating": LOW_RATING,
        },
    )


# --- Questionnaires --------------------------------------------------------------------------


def _questionnaire(request, audience: str) -> Questionnaire:
    if audience not in Audience.values:
        raise Http404
    questionnaire = service.questionnaire_of(
        organisation=request.membership.organisation, audience=audience
    )
    return get_object_or_404(Questionnaire.objects.visible_to(request.user), pk=questionnaire.pk)


def _render_questionnaire(request, questionnaire, *, add_form=None, errors=None, status=200):
    questions = list(questionnaire.questions.order_by("position", "pk"))
    return render(
        request,
        "www/quality/appraisals/questionnaire.html",
        {
            "questionnaire": questionnaire,
            "asked": [q for q in questions if q.retired_at is None],
            "retired": [q for q in questions if q.retired_at is not None],
            "add_form": add_form or QuestionAddForm(initial={"version": questionnaire.version}),
            "edit_errors": errors or {},
            "audiences": Audience,
        },
        status=status,
    )


@role_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def questionnaire(request, audience: str):
    questionnaire = _questionnaire(request, audience)
    if request.method == "GET":
        return _render_questionnaire(request, questionnaire)
    form = QuestionAddForm(request.POST)
    if form.is_valid():
        try:
            service.question_add(
                coordinator=request.user,
                questionnaire=questionnaire,
                expected_version=form.cleaned_data["version"],
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
            )
        except StaleVersion as error:
            data = form.data.copy()
            data["version"] = questionnaire.__class__.objects.get(pk=questionnaire.pk).version
            form = QuestionAddForm(data)
            form.is_valid()
            form.add_error(None, str(error.message))
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("La question a été ajoutée."))
            return redirect("quality:appraisal_questionnaire", audience=audience)
    questionnaire.refresh_from_db()
    return _render_questionnaire(request, questionnaire, add_form=form, status=400)


@role_required(Role.COORDINATOR)
@require_POST
def question_edit(request, question_id: int):
    question = get_object_or_404(
        Question.objects.filter(
            questionnaire__in=Questionnaire.objects.visible_to(request.user),
            questionnaire__organisation=request.membership.organisation,
        ).select_related("questionnaire"),
        pk=question_id,
    )
    questionnaire = question.questionnaire
    form = QuestionEditForm(request.POST)
    if not form.is_valid():
        raise Http404
    action = form.cleaned_data["action"]
    expected = form.cleaned_data["version"]
    try:
        if action == "reword":
            service.question_reword(
                coordinator=request.user,
                question=question,
                expected_version=expected,
                text=form.cleaned_data["text"],
            )
            done = _(
                "La question a été reformulée ; les réponses déjà données gardent leur formulation."
            )
        elif action == "retire":
            service.question_retire(
                coordinator=request.user, question=question, expected_version=expected
            )
            done = _("La question n'est plus posée ; ses réponses restent dans les résultats.")
        else:
            service.question_move(
                coordinator=request.user,
                question=question,
                expected_version=expected,
                up=action == "up",
            )
            done = _("L'ordre des questions a été modifié.")
    except StaleVersion as error:
        messages.error(request, str(error.message))
    except ValidationError as error:
        questionnaire.refresh_from_db()
        text = " ".join(
            message
            for messages_ in getattr(error, "message_dict", {"": error.messages}).values()
            for message in messages_
        )
        return _render_questionnaire(request, questionnaire, errors={question.pk: text}, status=400)
    else:
        messages.success(request, done)
    return redirect("quality:appraisal_questionnaire", audience=questionnaire.audience)


# --- Invitations -----------------------------------------------------------------------------


def _invitable_bilans(request):
    """The bilans `request.user` may ask an appraisal about, and the audiences."""
    membership = request.membership
    bilans = Bilan.objects.visible_to(request.user).filter(
        organisation_id=membership.organisation_id
    )
    if membership.role == Role.COORDINATOR:
        audiences = INVITED_AUDIENCES
    else:
        bilans = bilans.filter(consultant=request.user, convention__isnull=False)
        audiences = (Audience.EMPLOYER,)
    bilans = bilans.select_related("beneficiary").order_by(
        F("closed_at").desc(nulls_last=True), "-opened_at", "-pk"
    )[:300]
    return bilans, audiences


def _bilan_label(bilan: Bilan) -> str:
    if bilan.closed_at:
        return _("%(name)s — terminé le %(date)s") % {
            "name": bilan.beneficiary.get_full_name() or bilan.beneficiary.email,
            "date": french_date(timezone.localdate(bilan.closed_at), "j F Y"),
        }
    return _("%(name)s — en cours (%(phase)s)") % {
        "name": bilan.beneficiary.get_full_name() or bilan.beneficiary.email,
        "phase": bilan.get_status_display(),
    }


@role_required(Role.COORDINATOR, Role.CONSULTANT)
@require_http_methods(["GET", "POST"])
def invite(request):
    bilans, audiences = _invitable_bilans(request)
    bilans = list(bilans)
    by_id = {bilan.pk: bilan for bilan in bilans}
    initial = {}
    asked = request.GET.get("bilan", "")
    if asked.isdigit() and int(asked) in by_id:
        initial["bilan"] = int(asked)
        convention = getattr(by_id[int(asked)], "convention", None)
        if convention is not None:
            initial["recipient_name"] = convention.employer_name
    form = InvitationForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        bilans=[(bilan.pk, _bilan_label(bilan)) for bilan in bilans],
        audiences=audiences,
    )
    if request.method == "POST" and form.is_valid():
        try:
            service.appraisal_invitation_create(
                actor=request.user,
                bilan=by_id[form.cleaned_data["bilan"]],
                draft=service.InvitationDraft(
                    audience=form.cleaned_data["audience"],
                    email=form.cleaned_data["email"],
                    recipient_name=form.cleaned_data["recipient_name"],
                ),
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(
                request,
                _("L'invitation part par e-mail à %(email)s ; son lien vaut %(days)s jours.")
                % {"email": form.cleaned_data["email"], "days": service.LINK_DAYS},
            )
            if request.membership.role == Role.COORDINATOR:
                return redirect("quality:appraisals")
            return redirect("bilans:detail", bilan_id=form.cleaned_data["bilan"])
    return render(
        request,
        "www/quality/appraisals/invite.html",
        {"form": form, "has_bilans": bool(bilans)},
        status=400 if form.errors else 200,
    )


@role_required(Role.COORDINATOR)
@require_POST
def invitation_resend(request, invitation_id: int):
    invitation = get_object_or_404(
        AppraisalInvitation.objects.visible_to(request.user).filter(
            organisation_id=request.membership.organisation_id
        ),
        pk=invitation_id,
    )
    try:
        service.appraisal_invitation_resend(actor=request.user, invitation=invitation)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(
            request,
            _("Relance envoyée à %(email)s, avec un nouveau lien.") % {"email": invitation.email},
        )
    return redirect(reverse("quality:appraisals") + "#invitations")


# --- The consultant's appraisal of a bilan -------------------------------------------------


@role_required(Role.CONSULTANT)
@require_http_methods(["GET", "POST"])
def consultant_appraisal(request, bilan_id: int):
    bilan = access_bilan_run(request.user, bilan_id)
    given = Appraisal.objects.filter(bilan=bilan, audience=Audience.CONSULTANT).first()
    questions = []
    form = None
    if given is None and service.consultant_appraisal_open(bilan):
        questionnaire = service.questionnaire_of(
            organisation=bilan.organisation_id, audience=Audience.CONSULTANT
        )
        questions = service.questions_asked(questionnaire)
        form = AnswersForm(request.POST if request.method == "POST" else None, questions=questions)
        if request.method == "POST" and form.is_valid():
            try:
                service.consultant_appraisal_submit(
                    consultant=request.user, bilan=bilan, answers=form.cleaned_data
                )
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                messages.success(request, _("Merci : votre appréciation du bilan est enregistrée."))
                return redirect("bilans:detail", bilan_id=bilan.pk)
    elif request.method == "POST":
        return redirect("quality:appraisal_consultant", bilan_id=bilan.pk)
    return render(
        request,
        "www/quality/appraisals/consultant.html",
        {"bilan": bilan, "given": given, "form": form},
        status=400 if form is not None and form.errors else 200,
    )


# --- The public page of an invited employer or funder -----------------------------------------


def _private(response):
    # The link's secret is in the address: never sent to another site. "same-origin" rather
    # than "no-referrer", with which browsers send `Origin: null` on the form's POST and
    # Django's CSRF check refuses it.
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    return response


@login_not_required
@require_http_methods(["GET", "POST"])
@ratelimit(group="quality.public_appraisal", key=client_address, rate=PUBLIC_RATE, block=False)
def public_appraisal(request, token: str):
    if getattr(request, "limited", False):
        return _private(render(request, "www/quality/appraisals/public_slow_down.html", status=429))
    try:
        invitation = service.appraisal_invitation_resolve(raw_token=token)
    except service.AppraisalLinkUnknown:
        return _private(
            render(
                request, "www/quality/appraisals/public_gone.html", {"unknown": True}, status=404
            )
        )
    except service.AppraisalLinkGone as gone:
        return _private(
            render(
                request,
                "www/quality/appraisals/public_gone.html",
                {"invitation": gone.invitation},
                status=410,
            )
        )
    questionnaire = service.questionnaire_of(
        organisation=invitation.organisation_id, audience=invitation.audience
    )
    form = AnswersForm(
        request.POST if request.method == "POST" else None,
        questions=service.questions_asked(questionnaire),
    )
    if request.method == "POST" and form.is_valid():
        try:
            service.appraisal_answer_by_link(raw_token=token, answers=form.cleaned_data)
        except (service.AppraisalLinkUnknown, service.AppraisalLinkGone):
            return _private(
                render(
                    request,
                    "www/quality/appraisals/public_gone.html",
                    {"invitation": invitation},
                    status=410,
                )
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            return _private(
                render(
                    request, "www/quality/appraisals/public_thanks.html", {"invitation": invitation}
                )
            )
    return _private(
        render(
            request,
            "www/quality/appraisals/public.html",
            {
                "invitation": invitation,
                "person": service.person_short(invitation.bilan),
                "form": form,
            },
            status=400 if form.errors else 200,
        )
    )
