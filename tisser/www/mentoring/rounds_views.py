"""Matching rounds of the coordination (/mentorat/coordination/tours/): the history and a
new round, the review of a round's proposals, then publish or discard it.

Rounds come through `MatchingRound.objects.visible_to`: another organisation's round, or any
round for someone who does not coordinate, is a 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Q, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from tisser.accounts.access import require_coordinator_of
from tisser.core.access import role_required
from tisser.core.enums import Role
from tisser.core.errors import StaleVersion
from tisser.mentoring import matching, services
from tisser.mentoring.access import access_round
from tisser.mentoring.models import (
    HelpKind,
    MatchingRound,
    MenteeProfile,
    MentorProfile,
    RoundProposal,
)
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


def _places_text(places, *, extra: int = 0) -> str:
    """A mentor's places left in the round, and when none, why: mentorships under way,
    people of this round, or no place opened (`extra`: a place the mentee holds with them
    already, which is theirs to keep)."""
    left = places.left + extra
    if left > 0:
        return ngettext("%(count)d place libre", "%(count)d places libres", left) % {"count": left}
    in_round = max(places.in_round - extra, 0)
    active = ngettext(
        "%(count)d mentorat en cours", "%(count)d mentorats en cours", places.active
    ) % {"count": places.active}
    held = ngettext("%(count)d personne de ce tour", "%(count)d personnes de ce tour", in_round) % {
        "count": in_round
    }
    if places.active and in_round:
        return _("complet : %(active)s et %(held)s") % {"active": active, "held": held}
    if places.active:
        return _("complet : %(active)s") % {"active": active}
    if in_round:
        return _("complet : %(held)s") % {"held": held}
    return _("complet : aucune place ouverte")


def _mentor_label(places, *, extra: int = 0, score: float | None = None) -> str:
    """The mentor's name, their compatibility with the mentee when the engine computed it,
    and their places left in the round."""
    parts = [places.mentor.user.get_full_name()]
    if score is not None:
        parts.append(_("compatibilité %(score)d %%") % {"score": round(100 * score)})
    parts.append(_places_text(places, extra=extra))
    return " — ".join(parts)


def _named_in_search(proposal, query: str) -> list[str]:
    """What to say of the mentors the proposal names already when the search matches their
    name: they are left out of the results, and "nobody matches" would be untrue."""
    words = query.casefold().split()
    if not words:
        return []

    def matches(mentor) -> bool:
        names = (mentor.user.first_name.casefold(), mentor.user.last_name.casefold())
        return all(any(word in name for name in names) for word in words)

    notes = []
    if proposal.proposed_mentor_id and matches(proposal.proposed_mentor):
        notes.append(
            _("%(name)s est déjà la personne proposée.")
            % {"name": proposal.proposed_mentor.user.get_full_name()}
        )
    if (
        proposal.decision == RoundProposal.Decision.OVERRIDDEN
        and proposal.mentor_id
        and proposal.mentor_id != proposal.proposed_mentor_id
        and matches(proposal.mentor)
    ):
        notes.append(
            _("%(name)s est déjà la personne choisie, cochée plus bas.")
            % {"name": proposal.mentor.user.get_full_name()}
        )
    return notes


PER_PAGE = 25
ALTERNATIVES = 10
SEARCH_PER_PAGE = 20


def _page_number(request) -> str:
    """The review page the coordinator was on (a query parameter, or a field posted back)."""
    value = request.POST.get("page") or request.GET.get("page") or "1"
    return value if value.isdigit() else "1"


def round_page_url(matching_round: MatchingRound, page: str, anchor: str = "") -> str:
    url = reverse("mentoring:round", kwargs={"round_id": matching_round.pk})
    if page and page != "1":
        url += f"?page={page}"
    return f"{url}#{anchor}" if anchor else url


def _review_context(request, matching_round, *, bound=None, conflict=None) -> dict:
    """Everything the review page shows: the round's figures (one aggregate query) and one
    page of its proposals, those with an engine's mentor first, with the places of the
    mentors they name; a constant number of queries whatever the size of the round. `bound`
    is (proposal id, the form that failed), shown in its row."""
    figures = round_reads.round_figures(matching_round=matching_round)
    # The page's ids are sorted with the mentee's name only; its 25 rows are then read with
    # their people. Sorting whole rows joined to every mentor and user made the database
    # join and sort every proposal of the round to keep 25.
    ordered_ids = matching_round.proposals.order_by(
        Case(When(proposed_mentor__isnull=True, then=Value(1)), default=Value(0)),
        "mentee__last_name",
        "mentee__first_name",
        "id",
    ).values_list("id", flat=True)
    paginator = Paginator(ordered_ids, PER_PAGE)
    paginator.count = figures["total"]  # counted with the figures: not asked again
    page_obj = paginator.get_page(_page_number(request))
    page_ids = list(page_obj.object_list)
    found = (
        matching_round.proposals.select_related(
            "mentee", "proposed_mentor__user", "mentor__user", "decided_by"
        )
        .order_by()
        .in_bulk(page_ids)
    )
    proposals = [found[pk] for pk in page_ids if pk in found]
    profiles = {
        profile.user_id: profile
        for profile in MenteeProfile.objects.filter(
            organisation_id=matching_round.organisation_id,
            user_id__in=[proposal.mentee_id for proposal in proposals],
        )
    }
    in_review = matching_round.status == MatchingRound.Status.REVIEW
    named = {proposal.mentor_id for proposal in proposals if proposal.mentor_id} | {
        proposal.proposed_mentor_id for proposal in proposals if proposal.proposed_mentor_id
    }
    places = (
        round_reads.round_places(matching_round=matching_round, mentor_ids=named)
        if in_review
        else {}
    )
    failures = {item["proposal"]: item for item in (matching_round.stats or {}).get("failed", [])}
    # Declared incompatibilities among the page's pairs (one query): a warning in the row.
    conflicts = (
        round_reads.round_conflicts(matching_round=matching_round, proposals=proposals)
        if in_review
        else set()
    )
    bound_id, bound_form = bound or (None, None)
    matched_rows, unmatched_rows = [], []
    for proposal in proposals:
        profile = profiles.get(proposal.mentee_id)
        # An override shows the pair chosen, with its own score and factors (computed when
        # chosen), not the engine's.
        chosen = proposal.decision == RoundProposal.Decision.OVERRIDDEN and proposal.mentor_id
        score = proposal.chosen_score if chosen else proposal.score
        failure = failures.get(proposal.pk)
        row = {
            "proposal": proposal,
            "chosen": bool(chosen),
            "cohort": profile.cohort if profile else "",
            "help_wanted": [HelpKind(value).label for value in getattr(profile, "help_wanted", [])],
            "factors": matching.explanation_labels(
                proposal.chosen_explanation if chosen else proposal.explanation,
                coordination=True,
            )[:3],
            "score": round(100 * score) if score is not None else None,
            "form": bound_form if proposal.pk == bound_id else None,
            "failure": round_reads.publish_failure_message(
                failure, proposal.mentor.user.get_full_name() if proposal.mentor else ""
            )
            if failure
            else None,
            "conflict": (proposal.mentee_id, proposal.mentor_id) in conflicts
            or (
                proposal.decision == RoundProposal.Decision.PENDING
                and (proposal.mentee_id, proposal.proposed_mentor_id) in conflicts
            ),
            "advice": ADVICE.get(proposal.unmatched_reason, ""),
        }
        (matched_rows if proposal.proposed_mentor_id else unmatched_rows).append(row)
    return {
        "round": matching_round,
        "in_review": in_review,
        "page_obj": page_obj,
        "page": str(page_obj.number),
        "matched_rows": matched_rows,
        "unmatched_rows": unmatched_rows,
        "matched_count": figures["matched"],
        "unmatched_count": figures["unmatched"],
        "capacity": [item for item in places.values() if item.in_round],
        "accepted_count": figures["decisions"][RoundProposal.Decision.ACCEPTED],
        "overridden_count": figures["decisions"][RoundProposal.Decision.OVERRIDDEN],
        "rejected_count": figures["decisions"][RoundProposal.Decision.REJECTED],
        "waiting": figures["waiting"],
        "conflict": conflict,
        "mentee_count": figures["total"],
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
    """A round: its proposals to review (or, once published, what became of them), a page at
    a time."""
    return _render_round(request, access_round(request.user, round_id))


def _choice_context(request, matching_round, proposal, form) -> dict:
    """The choice of another mentor for one proposal: the engine's best alternatives with a
    place left in this round, and the mentors whose name matches a search, a page at a
    time; the mentor posted back is kept among the choices."""
    query = " ".join(request.GET.get("q", "").split())[:100]
    alternatives = round_reads.round_alternatives(proposal=proposal, k=ALTERNATIVES)
    # The mentors the proposal names already are not "another mentor"; the one chosen so
    # far stays checked in its own group.
    named = round_reads.proposal_named(proposal)
    found_page = None
    found_ids: list[int] = []
    if query:
        available = (
            MentorProfile.objects.available()
            .filter(organisation_id=matching_round.organisation_id)
            .exclude(id__in=named)
        )
        for word in query.split():
            available = available.filter(
                Q(user__first_name__icontains=word) | Q(user__last_name__icontains=word)
            )
        found_page = Paginator(
            available.order_by("user__last_name", "user__first_name", "id").values_list(
                "id", flat=True
            ),
            SEARCH_PER_PAGE,
        ).get_page(request.GET.get("resultats"))
        found_ids = list(found_page.object_list)
    posted = form.data.get("mentor") if form.is_bound else None
    extra = [int(posted)] if posted and str(posted).isdigit() else []
    if proposal.decision == RoundProposal.Decision.OVERRIDDEN and proposal.mentor_id:
        extra.append(proposal.mentor_id)
    extra = [mentor_id for mentor_id in extra if mentor_id != proposal.proposed_mentor_id]
    places = round_reads.round_places(
        matching_round=matching_round, mentor_ids={*alternatives, *found_ids, *extra}
    )
    # The compatibility the engine computed: the alternatives', and the chosen pair's.
    scores = dict(alternatives)
    if proposal.decision == RoundProposal.Decision.OVERRIDDEN and proposal.chosen_score is not None:
        scores[proposal.mentor_id] = proposal.chosen_score
    # The mentee's own hold is theirs to give back: a mentor they hold keeps that place.
    held_here = proposal.mentor_id if proposal.decision in round_reads.HOLDING else None

    def choice(mentor_id):
        item = places.get(mentor_id)
        if item is None or not item.available or item.mentor.user_id == proposal.mentee_id:
            return None
        return (
            mentor_id,
            _mentor_label(
                item,
                extra=1 if mentor_id == held_here else 0,
                score=scores.get(mentor_id),
            ),
        )

    groups = [
        (_("Résultats de la recherche"), found_ids),
        (_("Les plus compatibles, avec une place libre"), list(alternatives)),
        (_("Mentor choisi·e jusqu'ici"), extra),
    ]
    seen: set[int] = set()
    choices = []
    for label, ids in groups:
        options = []
        for mentor_id in ids:
            option = choice(mentor_id)
            if option and mentor_id not in seen:
                seen.add(mentor_id)
                options.append(option)
        if options:
            choices.append((label, options))
    profile = MenteeProfile.objects.filter(
        organisation_id=matching_round.organisation_id, user_id=proposal.mentee_id
    ).first()
    return {
        "round": matching_round,
        "proposal": proposal,
        "form": form,
        "query": query,
        "found_page": found_page,
        "named_found": _named_in_search(proposal, query) if query else [],
        "proposed_score": round(100 * proposal.score) if proposal.score is not None else None,
        "chosen_score": round(100 * proposal.chosen_score)
        if proposal.chosen_score is not None
        else None,
        "choice_groups": choices,
        "checked": str(form["mentor"].value() or ""),
        "cohort": profile.cohort if profile else "",
        "help_wanted": [HelpKind(value).label for value in getattr(profile, "help_wanted", [])],
        "page": _page_number(request),
        "back": round_page_url(matching_round, _page_number(request), f"proposition-{proposal.pk}"),
    }


def _proposal(request, round_id: int, proposal_id: int):
    matching_round = access_round(request.user, round_id)
    proposal = get_object_or_404(
        matching_round.proposals.select_related(
            "round__organisation", "mentee", "proposed_mentor__user", "mentor__user"
        ),
        pk=proposal_id,
    )
    require_coordinator_of(request.user, matching_round.organisation)
    return matching_round, proposal


def _render_choice(request, matching_round, proposal, form, *, conflict=None, status=200):
    context = _choice_context(request, matching_round, proposal, form)
    context["conflict"] = conflict
    return render(request, "www/mentoring/rounds/choose.html", context, status=status)


@require_GET
def proposal_choose(request, round_id: int, proposal_id: int):
    """Choose another mentor for one proposal, with a reason: the page the review links
    each row to (no list of every mentor on the review itself)."""
    matching_round, proposal = _proposal(request, round_id, proposal_id)
    if matching_round.status != MatchingRound.Status.REVIEW:
        return redirect(round_url(matching_round))
    form = ProposalDecisionForm(
        organisation_id=matching_round.organisation_id,
        initial={
            "decision": ProposalDecisionForm.OVERRIDE,
            "version": matching_round.version,
            "mentor": proposal.mentor_id
            if proposal.decision == RoundProposal.Decision.OVERRIDDEN
            else None,
            "reason": proposal.override_reason,
        },
    )
    return _render_choice(request, matching_round, proposal, form)


@require_POST
def proposal_decide(request, round_id: int, proposal_id: int):
    matching_round, proposal = _proposal(request, round_id, proposal_id)
    form = ProposalDecisionForm(request.POST, organisation_id=matching_round.organisation_id)
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
            return redirect(
                round_page_url(matching_round, _page_number(request), f"proposition-{proposal.pk}")
            )
    matching_round.refresh_from_db()
    status = 409 if conflict else 400
    if form.data.get("decision") == ProposalDecisionForm.OVERRIDE:
        return _render_choice(
            request, matching_round, proposal, form, conflict=conflict, status=status
        )
    return _render_round(
        request, matching_round, bound=(proposal.pk, form), conflict=conflict, status=status
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
