"""Matching rounds: the coordination runs the engine for a cohort, reviews each proposal
(accept, reject, or override with a reason), then publishes the accepted pairs as
mentorships.

Every write checks that `by` coordinates the round's organisation, locks the round row and
compares its `version` with the one the coordinator's page was built from: two coordinators
reviewing the same round never overwrite each other silently (`StaleVersion`)."""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tisser.accounts.access import require_coordinator_of
from tisser.accounts.models import Membership, Organisation, User
from tisser.core.audit import audit_record
from tisser.core.enums import Role
from tisser.core.versioning import version_bump, version_require
from tisser.mentoring import matching
from tisser.mentoring.models import (
    DeclaredConflict,
    MatchingRound,
    MenteeProfile,
    MentorProfile,
    Mentorship,
    MentorshipRequest,
    RoundProposal,
)
from tisser.mentoring.notice_kinds import MentoringNotice
from tisser.mentoring.services.mentorships import mentorship_start
from tisser.mentoring.services.requests import mentorship_request_explain
from tisser.notifications.content import absolute_url
from tisser.notifications.models import Channel, Notification
from tisser.notifications.services import channels_for, notification_get_or_create
from tisser.notifications.tasks import notification_deliver

REASON_MAX = 500
# Where a published pair finds its mentorship; a plain path, made absolute in e-mails.
SPACE_PATH = "/mentorat/"
# Decisions that hold one of the mentor's places in the round.
HOLDING = (
    RoundProposal.Decision.PENDING,
    RoundProposal.Decision.ACCEPTED,
    RoundProposal.Decision.OVERRIDDEN,
)


# The mentee profile's fields a round reads (`matching.mentees_needs`, `_round_store`).
ROUND_MENTEE_FIELDS = (
    "user_id",
    "bilan_id",
    "help_wanted",
    "availability",
    "languages",
    "mode",
    "departement",
    "employer",
)

# A declared incompatibility between the mentee and the mentor a proposal names.
CONFLICT_MESSAGE = gettext_lazy(
    "Une incompatibilité est déclarée entre ces deux personnes : écartez cette proposition "
    "ou choisissez un·e autre mentor."
)

# A round changed by another coordinator since the page was built (StaleVersion, ADR 0007).
ROUND_STALE_MESSAGE = gettext_lazy(
    "Une autre personne de la coordination a modifié ce tour pendant votre "
    "relecture. Rien n'a été enregistré : relisez l'état à jour ci-dessous, "
    "puis recommencez."
)


@dataclass(frozen=True)
class MentorPlaces:
    """A mentor's places in a round: capacity, active mentorships, places held by the round's
    current choices, and what is left after them."""

    mentor: MentorProfile
    capacity: int
    active: int
    in_round: int
    available: bool

    @property
    def left(self) -> int:
        return self.capacity - self.active - self.in_round


@dataclass(frozen=True)
class PublishFailure:
    proposal: RoundProposal
    message: str
    code: str = ""


@dataclass(frozen=True)
class PublishReport:
    published: list[RoundProposal]
    failed: list[PublishFailure]


# Reads ------------------------------------------------------------------------------------


def round_mentees(*, organisation: Organisation, cohort: str = ""):
    """Who a round would match: the organisation's beneficiaries who are looking for a mentor
    (`seeking`), have no active mentorship and no request waiting for an answer; only those
    of `cohort` when it is not empty."""
    active = Mentorship.objects.filter(
        organisation=organisation, mentee=OuterRef("user"), status=Mentorship.Status.ACTIVE
    )
    pending = MentorshipRequest.objects.filter(
        organisation=organisation,
        mentee=OuterRef("user"),
        status=MentorshipRequest.Status.PENDING,
    )
    beneficiary = Membership.objects.filter(
        user=OuterRef("user"),
        organisation=organisation,
        role=Role.BENEFICIARY,
        is_active=True,
    )
    mentees = MenteeProfile.objects.filter(
        Exists(beneficiary),
        ~Exists(active),
        ~Exists(pending),
        organisation=organisation,
        seeking=True,
        user__is_active=True,
    )
    if cohort:
        mentees = mentees.filter(cohort=cohort)
    return mentees.order_by("user_id")


def round_cohorts(*, organisation: Organisation) -> list[tuple[str, int]]:
    """The distinct non-empty cohorts of the organisation's mentee profiles, each with the
    number of people a round would match in it now."""
    counted = dict(
        round_mentees(organisation=organisation)
        .exclude(cohort="")
        .order_by()
        .values_list("cohort")
        .annotate(count=Count("id"))
    )
    names = (
        MenteeProfile.objects.filter(organisation=organisation)
        .exclude(cohort="")
        .order_by("cohort")
        .values_list("cohort", flat=True)
        .distinct()
    )
    return [(name, counted.get(name, 0)) for name in names]


def mentors_with_room_count(*, organisation: Organisation) -> int:
    """How many available mentors of the organisation have at least one place left."""
    return (
        MentorProfile.objects.available()
        .filter(organisation=organisation)
        .annotate(
            active_count=Count(
                "mentorships", filter=Q(mentorships__status=Mentorship.Status.ACTIVE)
            )
        )
        .filter(capacity__gt=F("active_count"))
        .count()
    )


def round_places(*, matching_round: MatchingRound, mentor_ids=None) -> dict[int, MentorPlaces]:
    """Places of every mentor a coordinator may choose in this round (validated, unpaused,
    active mentors of the organisation) and of every mentor the round already names, by
    profile id, after the round's current choices (pending, accepted or overridden). Only
    the profiles of `mentor_ids` when given (a page of the review, a choice): three queries
    whatever the size of the round."""
    holding = matching_round.proposals.filter(decision__in=HOLDING, mentor__isnull=False)
    organisation = matching_round.organisation_id
    available = MentorProfile.objects.available().filter(organisation_id=organisation)
    if mentor_ids is not None:
        mentor_ids = list(mentor_ids)
        holding = holding.filter(mentor_id__in=mentor_ids)
        available = available.filter(id__in=mentor_ids)
    in_round = dict(holding.order_by().values_list("mentor_id").annotate(count=Count("id")))
    available_ids = set(available.values_list("id", flat=True))
    profiles = (
        MentorProfile.objects.filter(
            Q(id__in=available_ids) | Q(id__in=in_round.keys()), organisation_id=organisation
        )
        .select_related("user")
        .annotate(
            active_count=Count(
                "mentorships", filter=Q(mentorships__status=Mentorship.Status.ACTIVE)
            )
        )
        .order_by("user__last_name", "user__first_name", "id")
    )
    return {
        profile.pk: MentorPlaces(
            mentor=profile,
            capacity=profile.capacity,
            active=profile.active_count,
            in_round=in_round.get(profile.pk, 0),
            available=profile.pk in available_ids,
        )
        for profile in profiles
    }


def round_figures(*, matching_round: MatchingRound) -> dict:
    """The round's counts in one aggregate query: proposals, those with an engine's mentor,
    each decision, and those with a mentor still to review."""
    Decision = RoundProposal.Decision
    found = matching_round.proposals.order_by().aggregate(
        total=Count("id"),
        matched=Count("id", filter=Q(proposed_mentor__isnull=False)),
        waiting=Count("id", filter=Q(decision=Decision.PENDING, mentor__isnull=False)),
        **{value: Count("id", filter=Q(decision=value)) for value in Decision.values},
    )
    return {
        "total": found["total"],
        "matched": found["matched"],
        "unmatched": found["total"] - found["matched"],
        "waiting": found["waiting"],
        "decisions": {value: found[value] for value in Decision.values},
    }


def round_alternatives(*, proposal: RoundProposal, k: int = 10) -> dict[int, float]:
    """The `k` mentors most compatible with the proposal's mentee who
    still have a place in this round (the engine's suggestions: the pool cached per process,
    the places left after active mentorships and the round's choices, the mentee's own hold
    given back), best first; never a mentor they are excluded from, nor the mentor the
    proposal names already (the engine's or the one chosen: an alternative is another
    mentor). Profile id → the engine's compatibility score (0–1, as a proposal's `score`),
    best first."""
    matching_round = proposal.round
    organisation = matching_round.organisation
    profile = (
        MenteeProfile.objects.filter(organisation=organisation, user_id=proposal.mentee_id)
        .select_related("bilan")
        .first()
    )
    if profile is None:
        return {}
    index = matching.get_pool_index(organisation)
    if not len(index):
        return {}
    named = proposal_named(proposal)
    room = matching.pool_room(organisation, index)
    held = dict(
        matching_round.proposals.filter(decision__in=HOLDING, mentor__isnull=False)
        .exclude(pk=proposal.pk)
        .order_by()
        .values_list("mentor_id")
        .annotate(count=Count("id"))
    )
    for mentor_id, count in held.items():
        position = index.position.get(mentor_id)
        if position is not None:
            room[position] -= count
    found = matching.suggest_mentors(
        matching.mentee_needs(profile),
        index,
        matching.weights(),
        k=k + len(named),
        exclusions=matching.exclusions(organisation, [proposal.mentee_id]),
        room=room,
    )
    kept = [item for item in found if item.mentor_id not in named][:k]
    return {item.mentor_id: item.score for item in kept}


def proposal_named(proposal: RoundProposal) -> set[int]:
    """The mentors a proposal names already (the engine's and the one chosen instead): not
    offered again as "another mentor"."""
    return {
        mentor_id for mentor_id in (proposal.proposed_mentor_id, proposal.mentor_id) if mentor_id
    }


def round_conflicts(*, matching_round: MatchingRound, proposals) -> set[tuple[int, int]]:
    """The (mentee user id, mentor profile id) pairs among `proposals` (the engine's and the
    chosen mentor of each) with a declared incompatibility: one query for a page."""
    pairs = {
        (proposal.mentee_id, mentor_id)
        for proposal in proposals
        for mentor_id in (proposal.proposed_mentor_id, proposal.mentor_id)
        if mentor_id
    }
    if not pairs:
        return set()
    found = DeclaredConflict.objects.filter(
        organisation_id=matching_round.organisation_id,
        mentee_id__in={mentee for mentee, _mentor in pairs},
        mentor_id__in={mentor for _mentee, mentor in pairs},
    ).values_list("mentee_id", "mentor_id")
    return set(found) & pairs


# Writes -----------------------------------------------------------------------------------


def _locked_round(*, matching_round: MatchingRound, by: User, expected_version: int):
    """The round row, locked, after the permission, state and version checks."""
    require_coordinator_of(by, matching_round.organisation)
    locked = MatchingRound.objects.select_for_update().get(pk=matching_round.pk)
    if locked.status != MatchingRound.Status.REVIEW:
        raise ValidationError(
            _("Ce tour n'est plus en relecture : il a été publié ou abandonné."),
            code="not_in_review",
        )
    version_require(locked, expected=expected_version, message=ROUND_STALE_MESSAGE)
    return locked


def _bump(locked: MatchingRound, **fields) -> None:
    """Write `fields` and the round's next version (the row is locked and checked)."""
    version_bump(locked, expected=locked.version, message=ROUND_STALE_MESSAGE, **fields)


def _review_refuse(organisation: Organisation) -> None:
    if MatchingRound.objects.filter(
        organisation=organisation, status=MatchingRound.Status.REVIEW
    ).exists():
        raise ValidationError(
            _(
                "Un tour est déjà en relecture : publiez-le ou abandonnez-le avant d'en "
                "lancer un nouveau."
            ),
            code="review_exists",
        )


def round_run(*, organisation: Organisation, cohort: str, by: User) -> MatchingRound:
    """Run a round for `cohort` ("" for everyone looking for a mentor): the engine's
    proposal for each mentee (a mentor and a score with its top factors, or the reason none
    was found) is stored for review, with the weights used and the round's figures.

    Refused while another round of the organisation is in review, when nobody is to be
    matched and when no mentor has a place left. The engine runs before the write
    transaction (it may take seconds; ADR 0010), which checks again that no round went into
    review meanwhile; a mentor filled up meanwhile is caught when the round is published."""
    require_coordinator_of(by, organisation)
    _review_refuse(organisation)
    # What the engine's needs and the stored proposals read, and nothing more: no user row
    # (the engine knows ids), no free text.
    mentees = list(
        round_mentees(organisation=organisation, cohort=cohort).only(*ROUND_MENTEE_FIELDS)
    )
    if not mentees:
        raise ValidationError(
            _(
                "Personne à apparier : aucune personne de ce groupe ne cherche de mentor "
                "sans en avoir déjà un ou sans attendre une réponse à sa demande."
            ),
            code="no_mentee",
        )
    if not mentors_with_room_count(organisation=organisation):
        raise ValidationError(
            _(
                "Aucun·e mentor disponible : aucun profil validé et actif n'a de place libre. "
                "Validez des profils ou demandez aux mentors d'augmenter leur capacité."
            ),
            code="no_mentor",
        )
    weights = matching.weights()
    started = time.perf_counter()
    result = matching.round_compute(organisation, mentees)
    seconds = time.perf_counter() - started
    unmatched = {reason.value: 0 for reason in RoundProposal.Unmatched}
    for item in result.unmatched:
        unmatched[item.reason.value] += 1
    with transaction.atomic():
        # One round in review per organisation: the organisation row serialises two
        # coordinators storing one at the same moment.
        Organisation.objects.select_for_update().get(pk=organisation.pk)
        _review_refuse(organisation)
        return _round_store(
            organisation=organisation,
            cohort=cohort,
            by=by,
            mentees=mentees,
            weights=weights,
            result=result,
            stats_extra={"seconds": round(seconds, 3), "unmatched": unmatched},
        )


def _round_store(*, organisation, cohort, by, mentees, weights, result, stats_extra):
    """The round and its proposals, inside round_run's transaction."""
    matching_round = MatchingRound.objects.create(
        organisation=organisation,
        cohort=cohort,
        weights=dataclasses.asdict(weights),
        stats={
            "mentees": len(mentees),
            "matched": len(result.matches),
            "unmatched": stats_extra["unmatched"],
            "seconds": stats_extra["seconds"],
            "objective": result.objective,
            "candidate_arcs": result.candidate_arcs,
            # Exact unless pruned (a round beyond EXACT_MAX_ARCS pairs, ADR 0026); pruned,
            # how many more pairs and how much more objective the optimum may hold.
            "pruned": result.pruned,
            "exact": result.exact,
            "more_pairs_at_most": result.more_pairs_at_most,
            "more_objective_at_most": result.more_objective_at_most,
        },
        created_by=by,
    )
    matches = {match.mentee_id: match for match in result.matches}
    reasons = {item.mentee_id: item.reason.value for item in result.unmatched}
    RoundProposal.objects.bulk_create(
        [
            RoundProposal(
                round=matching_round,
                mentee_id=profile.user_id,
                proposed_mentor_id=match.mentor_id if match else None,
                mentor_id=match.mentor_id if match else None,
                score=match.score if match else None,
                explanation=matching.explanation_rows(match.top_factors) if match else [],
                unmatched_reason="" if match else reasons.get(profile.user_id, ""),
            )
            for profile in mentees
            for match in [matches.get(profile.user_id)]
        ]
    )
    audit_record(
        actor=by,
        action="matching_round.run",
        target=matching_round,
        organisation=organisation,
        data={"cohort": cohort, **matching_round.stats},
    )
    return matching_round


@transaction.atomic
def proposal_decide(
    *,
    proposal: RoundProposal,
    decision: RoundProposal.Decision,
    by: User,
    expected_version: int,
    mentor: MentorProfile | None = None,
    reason: str = "",
) -> RoundProposal:
    """Accept the engine's mentor, reject the proposal (the mentee stays without a mentor
    this round), or override it with another available mentor and a reason. An override
    needs a mentor with a place left after the round's other choices and no declared
    conflict with the mentee. A decision may be changed while the round is in review."""
    locked = _locked_round(matching_round=proposal.round, by=by, expected_version=expected_version)
    proposal = RoundProposal.objects.select_for_update().get(pk=proposal.pk, round=locked)
    if decision == RoundProposal.Decision.ACCEPTED:
        if proposal.proposed_mentor_id is None:
            raise ValidationError(
                _(
                    "Le moteur n'a proposé aucun·e mentor à cette personne : choisissez-en "
                    "un·e à la main, avec un motif."
                ),
                code="nothing_to_accept",
            )
        if DeclaredConflict.objects.filter(
            mentee_id=proposal.mentee_id, mentor_id=proposal.proposed_mentor_id
        ).exists():
            raise ValidationError(CONFLICT_MESSAGE, code="conflict")
        chosen, reason = proposal.proposed_mentor, ""
    elif decision == RoundProposal.Decision.REJECTED:
        chosen, reason = None, ""
    elif decision == RoundProposal.Decision.OVERRIDDEN:
        chosen = _override_check(proposal=proposal, mentor=mentor, reason=reason)
        reason = " ".join(reason.split())
    else:
        raise ValidationError(_("Choisissez une décision."), code="decision")
    proposal.decision = decision
    proposal.mentor = chosen
    proposal.override_reason = reason
    proposal.chosen_score, proposal.chosen_explanation = None, []
    if decision == RoundProposal.Decision.OVERRIDDEN and chosen is not None:
        explained = _pair_explain(proposal, chosen)
        if explained is not None:
            proposal.chosen_score, proposal.chosen_explanation = explained.score, explained.rows
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    proposal.save(
        update_fields=[
            "decision",
            "mentor",
            "override_reason",
            "chosen_score",
            "chosen_explanation",
            "decided_by",
            "decided_at",
        ]
    )
    _bump(locked)
    audit_record(
        actor=by,
        action="round_proposal.decide",
        target=proposal,
        organisation=locked.organisation,
        data={"round": locked.pk, "decision": decision, "mentor": chosen and chosen.pk},
    )
    return proposal


def _pair_explain(proposal: RoundProposal, mentor: MentorProfile):
    """The score and top factors of the mentee with the mentor the coordination chose, as the
    engine computes them (None without the mentee's profile)."""
    profile = (
        MenteeProfile.objects.filter(
            organisation_id=proposal.round.organisation_id, user_id=proposal.mentee_id
        )
        .select_related("bilan")
        .first()
    )
    if profile is None:
        return None
    return mentorship_request_explain(mentee_profile=profile, mentor=mentor)


def _override_check(*, proposal: RoundProposal, mentor: MentorProfile | None, reason: str):
    errors: dict[str, str] = {}
    if not " ".join(reason.split()):
        errors["reason"] = _("Indiquez le motif de la modification.")
    elif len(reason) > REASON_MAX:
        errors["reason"] = _("Le motif tient en %(max)d caractères au plus.") % {"max": REASON_MAX}
    if mentor is None:
        errors["mentor"] = _("Choisissez un·e mentor.")
    else:
        mentor = (
            MentorProfile.objects.available()
            .filter(organisation_id=proposal.round.organisation_id, pk=mentor.pk)
            .select_related("user")
            .first()
        )
        if mentor is None:
            errors["mentor"] = _(
                "Ce profil n'est plus disponible (en pause ou pas validé) : choisissez-en un autre."
            )
        elif mentor.user_id == proposal.mentee_id:
            errors["mentor"] = _("Une personne ne peut pas être son propre mentor.")
        elif DeclaredConflict.objects.filter(mentee_id=proposal.mentee_id, mentor=mentor).exists():
            errors["mentor"] = _(
                "Une incompatibilité est déclarée entre ces deux personnes : choisissez un·e "
                "autre mentor."
            )
        else:
            places = round_places(matching_round=proposal.round, mentor_ids=[mentor.pk]).get(
                mentor.pk
            )
            held_here = proposal.mentor_id == mentor.pk and proposal.decision in HOLDING
            if places is None or places.left + (1 if held_here else 0) <= 0:
                errors["mentor"] = _(
                    "%(name)s n'a plus de place dans ce tour : ses places sont déjà prises "
                    "par ses mentorats en cours et les choix de ce tour. Choisissez un·e "
                    "autre mentor ou libérez une de ses places."
                ) % {"name": mentor.user.get_full_name()}
    if errors:
        raise ValidationError(errors)
    return mentor


@transaction.atomic
def round_accept_all(*, matching_round: MatchingRound, by: User, expected_version: int) -> int:
    """Accept every proposal still to review that has a mentor; returns how many. A pair
    with a declared incompatibility stays to review (`proposal_decide` refuses to accept it)."""
    locked = _locked_round(matching_round=matching_round, by=by, expected_version=expected_version)
    conflict = DeclaredConflict.objects.filter(mentee=OuterRef("mentee"), mentor=OuterRef("mentor"))
    accepted = locked.proposals.filter(
        ~Exists(conflict), decision=RoundProposal.Decision.PENDING, mentor__isnull=False
    ).update(decision=RoundProposal.Decision.ACCEPTED, decided_by=by, decided_at=timezone.now())
    _bump(locked)
    audit_record(
        actor=by,
        action="matching_round.accept_all",
        target=locked,
        organisation=locked.organisation,
        data={"accepted": accepted},
    )
    return accepted


@transaction.atomic
def round_discard(*, matching_round: MatchingRound, by: User, expected_version: int) -> None:
    """Abandon a round in review: nothing is published, the history keeps it."""
    locked = _locked_round(matching_round=matching_round, by=by, expected_version=expected_version)
    _bump(locked, status=MatchingRound.Status.DISCARDED)
    audit_record(
        actor=by, action="matching_round.discard", target=locked, organisation=locked.organisation
    )


@transaction.atomic
def round_publish(
    *, matching_round: MatchingRound, by: User, expected_version: int
) -> PublishReport:
    """Turn every accepted or overridden proposal into a mentorship (`mentorship_start`),
    each in its own savepoint: a pair that can no longer start (the mentor's last place
    taken by a request meanwhile, a paused mentor, a mentee who found a mentor since) is
    reported and left out, the others are published and both people are notified. Refused
    while a proposal with a mentor is still to review."""
    locked = _locked_round(matching_round=matching_round, by=by, expected_version=expected_version)
    waiting = locked.proposals.filter(
        decision=RoundProposal.Decision.PENDING, mentor__isnull=False
    ).count()
    if waiting:
        raise ValidationError(
            ngettext(
                "%(count)d proposition reste à relire : acceptez-la, modifiez-la ou "
                "écartez-la avant de publier.",
                "%(count)d propositions restent à relire : acceptez-les, modifiez-les ou "
                "écartez-les avant de publier.",
                waiting,
            )
            % {"count": waiting},
            code="pending",
        )
    chosen = list(
        locked.proposals.filter(
            decision__in=[RoundProposal.Decision.ACCEPTED, RoundProposal.Decision.OVERRIDDEN],
            mentor__isnull=False,
        ).select_related("mentee", "mentor__user", "mentor__organisation")
    )
    published: list[RoundProposal] = []
    failed: list[PublishFailure] = []
    for proposal in chosen:
        try:
            with transaction.atomic():
                if Mentorship.objects.filter(
                    mentee=proposal.mentee, status=Mentorship.Status.ACTIVE
                ).exists():
                    raise ValidationError(
                        _("cette personne a commencé un autre mentorat entre-temps."),
                        code="mentee_paired",
                    )
                mentorship = mentorship_start(
                    mentee=proposal.mentee,
                    mentor=proposal.mentor,
                    origin=Mentorship.Origin.ROUND,
                    by=by,
                )
                proposal.mentorship = mentorship
                proposal.save(update_fields=["mentorship"])
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, ValidationError):
                message, code = " ".join(error.messages), getattr(error, "code", None) or ""
            else:
                message, code = _("ce mentorat n'est pas possible."), "denied"
            failed.append(PublishFailure(proposal=proposal, message=message, code=code))
        else:
            published.append(proposal)
            _notify_started(mentorship)
    stats = {
        **locked.stats,
        "published": len(published),
        # The code says why in the reader's language (publish_failure_message); the
        # message, in the publisher's, is kept for the history.
        "failed": [
            {"proposal": item.proposal.pk, "code": item.code, "message": item.message}
            for item in failed
        ],
    }
    _bump(
        locked,
        status=MatchingRound.Status.PUBLISHED,
        published_by=by,
        published_at=timezone.now(),
        stats=stats,
    )
    audit_record(
        actor=by,
        action="matching_round.publish",
        target=locked,
        organisation=locked.organisation,
        data={"published": len(published), "failed": len(failed)},
    )
    return PublishReport(published=published, failed=failed)


# Why a pair was not published, by the code of the refusal, in the reader's language (the
# stats keep the message in the publisher's language only).
PUBLISH_FAILURES = {
    "unavailable": gettext_lazy(
        "Ce profil de mentor n'est pas disponible (en pause ou pas encore validé)."
    ),
    "conflict": gettext_lazy("Une incompatibilité est déclarée entre ces deux personnes."),
    "already_active": gettext_lazy("Ce mentorat est déjà en cours."),
    "capacity": gettext_lazy(
        "%(name)s n'a plus de place : son nombre maximum de mentoré·es est atteint."
    ),
    "mentee_paired": gettext_lazy("cette personne a commencé un autre mentorat entre-temps."),
    "denied": gettext_lazy("ce mentorat n'est pas possible."),
}


def publish_failure_message(failure: dict, mentor_name: str = "") -> str:
    """A failure stored in a published round's stats, said in the current language; an
    older failure without a code keeps its stored message."""
    message = PUBLISH_FAILURES.get(failure.get("code") or "")
    if message is None:
        return failure.get("message", "")
    return str(message) % {"name": mentor_name}


def _notify_started(mentorship: Mentorship) -> None:
    """Tell the mentee and the mentor, in the app and by e-mail as each chose; delivered
    right after the commit."""
    mentee, mentor = mentorship.mentee, mentorship.mentor.user
    notice_ids = []
    for recipient, other, as_mentor in ((mentee, mentor, False), (mentor, mentee, True)):
        if not recipient.is_active:
            continue
        for channel in channels_for(recipient):
            with translation.override(recipient.preferred_language or "fr"):
                body = render_to_string(
                    "www/mentoring/rounds/started_notice.txt",
                    {
                        "recipient": recipient,
                        "other": other.get_full_name(),
                        "as_mentor": as_mentor,
                        "email": channel == Channel.EMAIL,
                        "link": absolute_url(SPACE_PATH),
                        "preferences_link": absolute_url(reverse("notifications:preferences")),
                    },
                ).strip()
                notice, _created = notification_get_or_create(
                    recipient=recipient,
                    channel=channel,
                    kind=MentoringNotice.MENTORING_STARTED,
                    idempotency_key=f"mentoring_started:{mentorship.pk}:{recipient.pk}:{channel}",
                    subject=_("Nouveau mentorat avec %(name)s") % {"name": other.get_full_name()},
                    body=body + "\n",
                    url=SPACE_PATH,
                )
            if notice.status == Notification.Status.PENDING:
                notice_ids.append(notice.pk)
    if notice_ids:
        transaction.on_commit(lambda: _deliver_soon(notice_ids))


def _deliver_soon(notification_ids: list[int]) -> None:
    for notification_id in notification_ids:
        notification_deliver.enqueue(notification_id=notification_id)
