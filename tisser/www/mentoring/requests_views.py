"""A mentee's suggestions and requests, a mentor's answers. Every object is fetched through
`visible_to`; a request is only ever shown to its mentee and its mentor (anyone else: 404)."""

import math

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tisser.core.access import role_required
from tisser.core.dates import french_date
from tisser.core.enums import Role
from tisser.core.french import de
from tisser.mentoring import matching, services
from tisser.mentoring.models import (
    HelpKind,
    Language,
    MenteeProfile,
    MentorProfile,
    Mentorship,
    MentorshipRequest,
    availability_labels,
    availability_overlap,
)
from tisser.mentoring.sharing import shared_needs
from tisser.www.forms import form_errors_apply
from tisser.www.mentoring.requests_forms import AnswerForm, RequestForm

# The needs page belongs to the profiles' slice; its URL name is not known here.
NEEDS_PATH = "/mentorat/mes-besoins/"
SUGGESTIONS = 5


def _is_beneficiary(request) -> bool:
    return request.membership is not None and request.membership.role == Role.BENEFICIARY


def _own_needs(request) -> MenteeProfile | None:
    if not _is_beneficiary(request):
        return None
    return (
        MenteeProfile.objects.visible_to(request.user)
        .filter(user=request.user, organisation=request.membership.organisation)
        .select_related("user", "organisation")
        .first()
    )


def _mentor_card(mentor: MentorProfile, needs: MenteeProfile | None) -> dict:
    """What a mentee reads of a mentor (never the employer)."""
    return {
        "mentor": mentor,
        "fiches": sorted(
            {*mentor.current_fiches.all(), *mentor.past_fiches.all()}, key=lambda m: m.code_rome
        ),
        "help": [str(HelpKind(kind).label) for kind in mentor.help_offered if kind in HelpKind],
        "languages": [str(Language(code).label) for code in mentor.languages if code in Language],
        "common_slots": (
            availability_overlap(mentor.availability, needs.availability) if needs else []
        ),
    }


def _empty_reason(needs: MenteeProfile) -> str:
    pool = matching.mentor_pool(needs.organisation)
    if not any(mentor.capacity > mentor.active_count for mentor in pool):
        return "no_room"
    return "too_narrow"


@role_required(Role.BENEFICIARY)
@require_GET
def suggestions(request):
    needs = _own_needs(request)
    context = {"needs": needs, "needs_path": NEEDS_PATH, "rows": [], "empty_reason": ""}
    if needs is not None and needs.seeking:
        found = matching.suggestions_for(needs, k=SUGGESTIONS)
        prefetch_related_objects([item.mentor for item in found], "user")
        pending = set(
            MentorshipRequest.objects.pending()
            .filter(mentee=request.user)
            .values_list("mentor_id", flat=True)
        )
        context["rows"] = [
            _mentor_card(item.mentor, needs)
            | {
                "score": round(100 * item.score),
                "explanation": matching.explanation_labels(item.explanation),
                "pending": item.mentor.pk in pending,
                "heading_id": f"why-{item.mentor.pk}",
            }
            for item in found
        ]
        if not found:
            context["empty_reason"] = _empty_reason(needs)
    return render(request, "www/mentoring/requests/suggestions.html", context)


def _visible_mentor(request, profile_id: int) -> MentorProfile:
    return get_object_or_404(
        MentorProfile.objects.visible_to(request.user)
        .select_related("user")
        .prefetch_related("current_fiches", "past_fiches", "domaines", "skills", "sectors"),
        pk=profile_id,
    )


@require_GET
def mentor_detail(request, profile_id: int):
    mentor = _visible_mentor(request, profile_id)
    needs = _own_needs(request)
    context = _mentor_card(mentor, needs) | {
        "needs": needs,
        "needs_path": NEEDS_PATH,
        "is_beneficiary": _is_beneficiary(request),
        "availability": availability_labels(mentor.availability),
        "room": services.mentor_room(mentor),
        "refusal": (
            services.mentorship_request_refusal(mentee=request.user, mentor=mentor)
            if needs is not None
            else None
        ),
    }
    return render(request, "www/mentoring/requests/mentor_detail.html", context)


@require_http_methods(["GET", "POST"])
def request_create(request, profile_id: int):
    mentor = _visible_mentor(request, profile_id)
    if not _is_beneficiary(request):
        raise Http404
    needs = _own_needs(request)
    context = {"mentor": mentor, "needs": needs, "needs_path": NEEDS_PATH}
    if needs is None:
        return render(request, "www/mentoring/requests/request_form.html", context)
    explained = services.mentorship_request_explain(mentee_profile=needs, mentor=mentor)
    if request.method == "POST":
        form = RequestForm(request.POST)
        if form.is_valid():
            try:
                sent = services.mentorship_request_create(
                    mentee=request.user, mentor=mentor, message=form.cleaned_data["message"]
                )
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "Votre demande est envoyée à %(name)s, qui a jusqu'au %(date)s pour "
                        "répondre. Vous serez prévenu·e de sa réponse."
                    )
                    % {
                        "name": mentor.user.get_full_name(),
                        "date": french_date(timezone.localtime(sent.respond_by), "l j F"),
                    },
                )
                return redirect("mentoring:request_detail", request_id=sent.pk)
        refusal = None
    else:
        form = RequestForm(
            initial={
                "message": services.mentorship_request_draft(
                    mentee_profile=needs, mentor=mentor, explanation=explained.rows
                )
            }
        )
        refusal = services.mentorship_request_refusal(mentee=request.user, mentor=mentor)
    context |= {
        "form": form,
        "refusal": refusal,
        "explanation": matching.explanation_labels(explained.rows),
        "score": round(100 * explained.score),
    }
    return render(request, "www/mentoring/requests/request_form.html", context)


def _days_left(item: MentorshipRequest, now) -> int:
    return max(0, math.ceil((item.respond_by - now).total_seconds() / 86400))


def _row(item: MentorshipRequest, now) -> dict:
    waiting = item.status == MentorshipRequest.Status.PENDING
    return {
        "item": item,
        "pending": waiting and item.respond_by > now,
        "overdue": waiting and item.respond_by <= now,
        "days_left": _days_left(item, now),
    }


@role_required(Role.BENEFICIARY, Role.MENTOR)
@require_GET
def request_list(request):
    now = timezone.now()
    visible = MentorshipRequest.objects.visible_to(request.user)
    as_mentor = request.membership.role == Role.MENTOR
    if as_mentor:
        found = visible.filter(mentor__user=request.user).select_related("mentee")
    else:
        found = visible.filter(mentee=request.user).select_related("mentor__user")
    found = list(found.filter(organisation=request.membership.organisation))
    waiting = sorted(
        (item for item in found if item.status == MentorshipRequest.Status.PENDING),
        key=lambda item: (item.respond_by, item.pk),
    )
    answered = [item for item in found if item.status != MentorshipRequest.Status.PENDING]
    return render(
        request,
        "www/mentoring/requests/request_list.html",
        {
            "as_mentor": as_mentor,
            "waiting": [_row(item, now) for item in waiting],
            "answered": [_row(item, now) for item in answered],
            "max_pending": services.MAX_PENDING_REQUESTS,
        },
    )


def _own_request(request, request_id: int) -> MentorshipRequest:
    """The request if the signed-in person is its mentee or its mentor (404 otherwise: the
    coordination follows requests elsewhere, as management data)."""
    return get_object_or_404(
        MentorshipRequest.objects.visible_to(request.user)
        .filter(Q(mentee=request.user) | Q(mentor__user=request.user))
        .select_related("mentee", "mentor__user", "organisation"),
        pk=request_id,
    )


def _render_detail(request, item: MentorshipRequest, *, accept_form=None, decline_form=None):
    now = timezone.now()
    as_mentor = item.mentor.user_id == request.user.pk
    context = _row(item, now) | {
        "as_mentor": as_mentor,
        "explanation": matching.explanation_labels(item.explanation),
        "score": None if item.score is None else round(100 * item.score),
        "mentorship": Mentorship.objects.filter(request=item).first(),
    }
    if as_mentor:
        needs = (
            MenteeProfile.objects.filter(user=item.mentee, organisation=item.organisation)
            .select_related("user")
            .first()
        )
        context |= {
            "shared": shared_needs(needs) if needs is not None else None,
            "room": services.mentor_room(item.mentor),
            "accept_form": accept_form or AnswerForm(action="accept"),
            "decline_form": decline_form or AnswerForm(action="decline"),
        }
    return render(request, "www/mentoring/requests/request_detail.html", context)


def _no_longer_pending(request, item: MentorshipRequest, error: ValidationError):
    # Answered, withdrawn or expired meanwhile: the answer forms are gone from the page.
    messages.error(request, error.messages[0])
    return redirect("mentoring:request_detail", request_id=item.pk)


@require_GET
def request_detail(request, request_id: int):
    return _render_detail(request, _own_request(request, request_id))


@require_POST
def request_accept(request, request_id: int):
    item = _own_request(request, request_id)
    form = AnswerForm(request.POST, action="accept")
    if form.is_valid():
        try:
            mentorship = services.mentorship_request_accept(
                mentorship_request=item, by=request.user, answer=form.cleaned_data["answer"]
            )
        except ValidationError as error:
            # CapacityReached included: the request stays pending, the message is shown
            # next to what the mentor typed.
            if getattr(error, "code", None) == "not_pending":
                return _no_longer_pending(request, item, error)
            form_errors_apply(form, error)
        else:
            messages.success(
                request,
                _(
                    "Vous avez accepté la demande %(de_name)s : votre mentorat commence. "
                    "Un message prévient %(name)s. Première étape : convenir ensemble de la charte."
                )
                % {"name": item.mentee.get_full_name(), "de_name": de(item.mentee.get_full_name())},
            )
            return redirect("mentoring:mentorship", mentorship_id=mentorship.pk)
    return _render_detail(request, item, accept_form=form)


@require_POST
def request_decline(request, request_id: int):
    item = _own_request(request, request_id)
    form = AnswerForm(request.POST, action="decline")
    if form.is_valid():
        try:
            services.mentorship_request_decline(
                mentorship_request=item, by=request.user, answer=form.cleaned_data["answer"]
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "not_pending":
                return _no_longer_pending(request, item, error)
            form_errors_apply(form, error)
        else:
            messages.success(
                request,
                _("Vous avez décliné la demande %(de_name)s ; un message l'en prévient.")
                % {"de_name": de(item.mentee.get_full_name())},
            )
            return redirect("mentoring:requests")
    return _render_detail(request, item, decline_form=form)


@require_POST
def request_withdraw(request, request_id: int):
    item = _own_request(request, request_id)
    try:
        services.mentorship_request_withdraw(mentorship_request=item, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("mentoring:request_detail", request_id=item.pk)
    messages.success(
        request,
        _("Votre demande à %(name)s est retirée.") % {"name": item.mentor.user.get_full_name()},
    )
    return redirect("mentoring:requests")
