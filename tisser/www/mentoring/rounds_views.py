"""Matching rounds of the coordination (/mentorat/coordination/tours/): the history and a
new round, the review of a round's proposals, then publish or discard it.

Rounds come through `MatchingRound.objects.visible_to`: another organisation's round, or any
round for someone who does not coordinate, is a 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from tisser.core.access import role_required
from tisser.core.enums import Role
from tisser.core.errors import StaleVersion
from tisser.mentoring import matching, services
from tisser.mentoring.models import HelpKind, MatchingRound, MenteeProfile, RoundProposal
from tisser.mentoring.services import rounds as round_reads
from tisser.www.forms import form_errors_apply
from tisser.www.mentoring.rounds_forms import (
    ProposalDecisionForm,
    RoundRunForm,
    RoundVersionForm,
)

ADVICE = {
    RoundProposal.Unmatched.NO_COMPATIBLE_MENTOR: gettext_lazy(
        "Aucun·e mentor ne remplit les conditions indispensables (langue, présentiel ou "
        "distance, incompatibilités, même employeur). Vous pouvez choisir un·e mentor à la "
        "main avec un motif, revoir ses souhaits avec la personne, ou inviter de nouveaux "
        "mentors et la garder pour le prochain tour."
    ),
    RoundProposal.Unmatched.CAPACITY_EXHAUSTED: gettext_lazy(
        "Des mentors lui conviendraient, mais toutes leurs places sont prises. Vous pouvez "
        "choisir un·e autre mentor avec un motif, demander à un·e mentor compatible "
        "d'accueillir une personne de plus, ou la garder pour le prochain tour."
    ),
}


def access_round(user, round_id: int) -> MatchingRound:
    return get_object_or_404(
        MatchingRound.objects.visible_to(user).select_related(
            "organisation", "created_by", "published_by"
        ),
        pk=round_id,
    )


def round_url(matching_round: MatchingRound, anchor: str = "") -> str:
    url = reverse("mentoring:round", kwargs={"round_id": matching_round.pk})
    return f"{url}#{anchor}" if anchor else url


# History and new round ------------------------------------------------------------------


def _history_rows(rounds) -> list[dict]:
    rows = []
    for item in rounds:
        stats = item.stats or {}
        unmatched = stats.get("unmatched", {})
        rows.append(
            {
                "round": item,
                "mentees": stats.get("mentees", 0),
                "matched": stats.get("matched", 0),
                "unmatched": [
                    (reason.label, unmatched.get(reason.value, 0))
                    for reason in RoundProposal.Unmatched
                ],
                "published": stats.get("published"),
                "failed": len(stats.get("failed", [])),
            }
        )
    return rows


def _render_rounds(request, *, form=None, status=200):
    organisation = request.membership.organisation
    everyone = round_reads.round_mentees(organisation=organisation).count()
    cohorts = round_reads.round_cohorts(organisation=organisation)
    rounds = (
        MatchingRound.objects.visible_to(request.user)
        .filter(organisation=organisation)
        .select_related("created_by", "published_by")
    )
    in_review = next((item for item in rounds if item.status == MatchingRound.Status.REVIEW), None)
    context = {
        "rows": _history_rows(rounds),
        "in_review": in_review,
        "everyone": everyone,
        "mentors_with_room": round_reads.mentors_with_room_count(organisation=organisation),
        "form": form or RoundRunForm(cohorts=cohorts, everyone=everyone),
    }
    return render(request, "www/mentoring/rounds/list.html", context, status=status)


@role_required(Role.COORDINATOR)
@require_GET
def rounds(request):
    """The organisation's rounds, newest first, and the form that runs a new one."""
    return _render_rounds(request)


@role_required(Role.COORDINATOR)
@require_POST
def round_create(request):
    organisation = request.membership.organisation
    everyone = round_reads.round_mentees(organisation=organisation).count()
    form = RoundRunForm(
        request.POST,
        cohorts=round_reads.round_cohorts(organisation=organisation),
        everyone=everyone,
    )
    if form.is_valid():
        try:
            matching_round = services.round_run(
                organisation=organisation, cohort=form.cleaned_data["cohort"], by=request.user
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(
                request,
                _("Le tour est calculé : relisez chaque proposition, puis publiez."),
            )
            return redirect(round_url(matching_round))
    return _render_rounds(request, form=form, status=400)


# Review -------------------------------------------------------------------------------------


def _mentor_label(places) -> str:
    name = places.mentor.user.get_full_name()
    if places.left <= 0:
        return _("%(name)s — complet dans ce tour") % {"name": name}
    return ngettext(
        "%(name)s — %(count)d place libre",
        "%(name)s — %(count)d places libres",
        places.left,
    ) % {"name": name, "count": places.left}


def _review_context(request, matching_round, *, bound=None, conflict=None) -> dict:
    """Everything the review page shows. `bound` is (proposal id, the form that failed),
    shown in its row with what the coordinator typed."""
    proposals = list(
        matching_round.proposals.select_related(
            "mentee", "proposed_mentor__user", "mentor__user", "decided_by"
        )
    )
    profiles = {
        profile.user_id: profile
        for profile in MenteeProfile.objects.filter(
            organisation_id=matching_round.organisation_id,
            user_id__in=[proposal.mentee_id for proposal in proposals],
        )
    }
    in_review = matching_round.status == MatchingRound.Status.REVIEW
    places = round_reads.round_places(matching_round=matching_round) if in_review else {}
    choosable = [item for item in places.values() if item.available]
    mentor_choices = [(item.mentor.pk, _mentor_label(item)) for item in choosable]
    mentor_profiles = {item.mentor.pk: item.mentor for item in choosable}
    failures = {
        item["proposal"]: item["message"] for item in (matching_round.stats or {}).get("failed", [])
    }
    bound_id, bound_form = bound or (None, None)
    matched_rows, unmatched_rows = [], []
    for proposal in proposals:
        profile = profiles.get(proposal.mentee_id)
        form = None
        if in_review:
            form = (
                bound_form
                if proposal.pk == bound_id
                else ProposalDecisionForm(
                    mentors=mentor_choices,
                    profiles=mentor_profiles,
                    auto_id=f"p{proposal.pk}_%s",
                    initial={
                        "mentor": proposal.mentor_id
                        if proposal.decision == RoundProposal.Decision.OVERRIDDEN
                        else None,
                        "reason": proposal.override_reason,
                    },
                )
            )
        row = {
            "proposal": proposal,
            "cohort": profile.cohort if profile else "",
            "help_wanted": [HelpKind(value).label for value in getattr(profile, "help_wanted", [])],
            "factors": matching.explanation_labels(proposal.explanation)[:3],
            "score": round(100 * proposal.score) if proposal.score is not None else None,
            "form": form,
            "open": proposal.pk == bound_id,
            "failure": failures.get(proposal.pk),
            "advice": ADVICE.get(proposal.unmatched_reason, ""),
        }
        (matched_rows if proposal.proposed_mentor_id else unmatched_rows).append(row)
    decisions = dict.fromkeys(RoundProposal.Decision.values, 0)
    for proposal in proposals:
        decisions[proposal.decision] += 1
    waiting = sum(
        1
        for proposal in proposals
        if proposal.decision == RoundProposal.Decision.PENDING and proposal.mentor_id
    )
    return {
        "round": matching_round,
        "in_review": in_review,
        "matched_rows": matched_rows,
        "unmatched_rows": unmatched_rows,
        "capacity": [item for item in places.values() if item.in_round],
        "decisions": [
            (RoundProposal.Decision(value).label, count) for value, count in decisions.items()
        ],
        "waiting": waiting,
        "conflict": conflict,
        "mentee_count": len(proposals),
    }


def _render_round(request, matching_round, *, status=200, **kwargs):
    return render(
        request,
        "www/mentoring/rounds/review.html",
        _review_context(request, matching_round, **kwargs),
        status=status,
    )


@require_GET
def round_view(request, round_id: int):
    """A round: its proposals to review (or, once published, what became of them)."""
    return _render_round(request, access_round(request.user, round_id))


@require_POST
def proposal_decide(request, round_id: int, proposal_id: int):
    matching_round = access_round(request.user, round_id)
    proposal = get_object_or_404(
        matching_round.proposals.select_related("round__organisation"), pk=proposal_id
    )
    round_reads.coordinator_check(user=request.user, organisation=matching_round.organisation)
    places = round_reads.round_places(matching_round=matching_round)
    choosable = [item for item in places.values() if item.available]
    form = ProposalDecisionForm(
        request.POST,
        mentors=[(item.mentor.pk, _mentor_label(item)) for item in choosable],
        profiles={item.mentor.pk: item.mentor for item in choosable},
        auto_id=f"p{proposal.pk}_%s",
    )
    conflict = None
    if form.is_valid():
        try:
            services.proposal_decide(proposal=proposal, by=request.user, **form.service_arguments())
        except StaleVersion as error:
            conflict = error.messages[0]
        except ValidationError as error:
            if getattr(error, "code", None) == "not_in_review":
                messages.error(request, error.messages[0])
                return redirect(round_url(matching_round))
            form_errors_apply(form, error)
        else:
            messages.success(
                request,
                _("Décision enregistrée pour %(name)s.")
                % {"name": proposal.mentee.get_full_name()},
            )
            return redirect(round_url(matching_round, f"proposition-{proposal.pk}"))
    matching_round.refresh_from_db()
    return _render_round(
        request,
        matching_round,
        bound=(proposal.pk, form),
        conflict=conflict,
        status=409 if conflict else 400,
    )


def _round_action(request, round_id: int, action, success):
    """Run a whole-round service with the version the page was built from; its French
    message otherwise."""
    matching_round = access_round(request.user, round_id)
    form = RoundVersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("La page était incomplète : rechargez-la et recommencez."))
        return redirect(round_url(matching_round))
    try:
        result = action(
            matching_round=matching_round,
            by=request.user,
            expected_version=form.cleaned_data["version"],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        success(result)
    return redirect(round_url(matching_round))


@require_POST
def round_accept_all(request, round_id: int):
    def success(count):
        messages.success(
            request,
            ngettext("%(count)d proposition acceptée.", "%(count)d propositions acceptées.", count)
            % {"count": count},
        )

    return _round_action(request, round_id, services.round_accept_all, success)


@require_POST
def round_publish(request, round_id: int):
    def success(report):
        messages.success(
            request,
            ngettext(
                "Tour publié : %(count)d mentorat commence, les deux personnes sont prévenues.",
                "Tour publié : %(count)d mentorats commencent, chaque personne est prévenue.",
                len(report.published),
            )
            % {"count": len(report.published)},
        )
        for failure in report.failed:
            messages.error(
                request,
                _("Non publié : %(mentee)s avec %(mentor)s — %(message)s")
                % {
                    "mentee": failure.proposal.mentee.get_full_name(),
                    "mentor": failure.proposal.mentor.user.get_full_name(),
                    "message": failure.message,
                },
            )

    return _round_action(request, round_id, services.round_publish, success)


@require_POST
def round_discard(request, round_id: int):
    def success(_result):
        messages.success(request, _("Le tour est abandonné : rien n'a été publié."))

    return _round_action(request, round_id, services.round_discard, success)
