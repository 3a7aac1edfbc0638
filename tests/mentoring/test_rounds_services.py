"""Matching rounds: run, decide (accept, reject, override), accept all, publish, discard."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.factories import member
from tests.mentoring.helpers import mentee_profile, mentor_profile
from tests.transactions import transaction_depths
from tisser.core.enums import Role
from tisser.mentoring import matching, services
from tisser.mentoring.models import (
    DeclaredConflict,
    MatchingRound,
    MeetingPreference,
    Mentorship,
    MentorshipRequest,
    RoundProposal,
)
from tisser.mentoring.notice_kinds import MentoringNotice
from tisser.notifications.models import Notification

Decision = RoundProposal.Decision


@pytest.fixture
def coordinator(organisation):
    return member(Role.COORDINATOR, organisation)


def run(organisation, coordinator, cohort=""):
    return services.round_run(organisation=organisation, cohort=cohort, by=coordinator)


def proposal_of(matching_round, profile):
    return matching_round.proposals.get(mentee=profile.user)


def decide(proposal, coordinator, decision, **kwargs):
    proposal.round.refresh_from_db()
    return services.proposal_decide(
        proposal=proposal,
        decision=decision,
        by=coordinator,
        expected_version=proposal.round.version,
        **kwargs,
    )


def test_a_round_stores_one_proposal_per_mentee_with_the_reason_when_none(
    rome, organisation, coordinator
):
    mentor = mentor_profile(organisation, fiches=["A1901"], capacity=1)
    first = mentee_profile(organisation, targets=["A1901"])
    second = mentee_profile(organisation, targets=["A1901"])
    in_person = mentee_profile(
        organisation, targets=["A1901"], mode=MeetingPreference.IN_PERSON, departement="69"
    )

    matching_round = run(organisation, coordinator)

    assert matching_round.status == MatchingRound.Status.REVIEW
    assert matching_round.proposals.count() == 3
    matched = matching_round.proposals.exclude(proposed_mentor=None).get()
    assert matched.mentee in (first.user, second.user)
    assert matched.mentor == mentor and matched.score > 0
    assert matched.explanation[0]["factor"] == "fiche"
    assert proposal_of(matching_round, in_person).unmatched_reason == "no_compatible_mentor"
    left_out = first if matched.mentee == second.user else second
    assert proposal_of(matching_round, left_out).unmatched_reason == "capacity_exhausted"
    assert matching_round.stats["mentees"] == 3
    assert matching_round.stats["matched"] == 1
    assert matching_round.stats["unmatched"] == {
        "no_compatible_mentor": 1,
        "capacity_exhausted": 1,
    }
    assert matching_round.stats["seconds"] >= 0 and "objective" in matching_round.stats
    # An organisme-sized round is solved over every pair: the optimum (ADR 0026).
    assert matching_round.stats["pruned"] is False and matching_round.stats["exact"] is True
    assert matching_round.weights["fiche"] == pytest.approx(0.30)


def test_a_pruned_round_says_so_and_how_much_it_may_miss(rome, organisation, coordinator):
    # Beyond the engine's exact bound (forced here to 0 pairs) a round keeps each mentee's
    # best candidates only; its figures say it, with the bound its pricing passes proved.
    mentor_profile(organisation, fiches=["A1901"], capacity=2)
    mentor_profile(organisation, fiches=["A1901"], capacity=1)
    for _ in range(4):
        mentee_profile(organisation, targets=["A1901"])
    assign = matching.assign_mentors

    def pruned(*args, **kwargs):
        return assign(*args, **{**kwargs, "k": 1, "max_arcs": 0})

    with mock.patch.object(matching, "assign_mentors", pruned):
        matching_round = run(organisation, coordinator)

    stats = matching_round.stats
    assert stats["pruned"] is True and stats["matched"] == 3
    # Its pricing passes proved it optimal: no more pairs, no better total.
    assert (stats["more_pairs_at_most"], stats["more_objective_at_most"]) == (0, 0)
    assert stats["exact"] is True


def test_a_round_leaves_out_who_has_a_mentor_a_pending_request_or_another_cohort(
    rome, organisation, coordinator
):
    mentor = mentor_profile(organisation, fiches=["A1901"], capacity=5)
    kept = mentee_profile(organisation, targets=["A1901"], cohort="Printemps")
    mentee_profile(organisation, targets=["A1901"], cohort="Automne")
    mentee_profile(organisation, targets=["A1901"], cohort="Printemps", seeking=False)
    paired = mentee_profile(organisation, targets=["A1901"], cohort="Printemps")
    services.mentorship_start(
        mentee=paired.user, mentor=mentor, origin=Mentorship.Origin.ROUND, by=coordinator
    )
    waiting = mentee_profile(organisation, targets=["A1901"], cohort="Printemps")
    MentorshipRequest.objects.create(
        organisation=organisation,
        mentee=waiting.user,
        mentor=mentor,
        message="Bonjour",
        sent_at=timezone.now(),
        respond_by=timezone.now() + timedelta(days=7),
    )

    matching_round = run(organisation, coordinator, cohort="Printemps")

    assert [p.mentee for p in matching_round.proposals.all()] == [kept.user]
    assert matching_round.cohort == "Printemps"


def test_only_one_round_in_review_per_organisation(rome, organisation, coordinator):
    mentor_profile(organisation, fiches=["A1901"])
    mentee_profile(organisation, targets=["A1901"])
    first = run(organisation, coordinator)

    with pytest.raises(ValidationError) as refused:
        run(organisation, coordinator)

    assert refused.value.code == "review_exists"
    assert "déjà en relecture" in refused.value.messages[0]
    services.round_discard(matching_round=first, by=coordinator, expected_version=first.version)
    assert run(organisation, coordinator).status == MatchingRound.Status.REVIEW


def test_the_engine_runs_before_the_write_transaction(rome, organisation, coordinator):
    # The engine may take seconds: under the write lock every other writer would wait.
    mentor_profile(organisation, fiches=["A1901"])
    mentee_profile(organisation, targets=["A1901"])

    with transaction_depths(matching, "round_compute") as depths:
        run(organisation, coordinator)

    assert depths == [0]


def test_a_round_put_in_review_while_the_engine_ran_wins(rome, organisation, coordinator):
    mentor_profile(organisation, fiches=["A1901"])
    mentee_profile(organisation, targets=["A1901"])
    compute = matching.round_compute

    def compute_then_another_round(*args):
        result = compute(*args)
        MatchingRound.objects.create(
            organisation=organisation, cohort="", weights={}, stats={}, created_by=coordinator
        )
        return result

    with (
        mock.patch.object(matching, "round_compute", compute_then_another_round),
        pytest.raises(ValidationError) as refused,
    ):
        run(organisation, coordinator)

    assert refused.value.code == "review_exists"
    assert MatchingRound.objects.count() == 1


def test_a_round_is_refused_with_nobody_to_match_or_no_mentor(rome, organisation, coordinator):
    with pytest.raises(ValidationError) as nobody:
        run(organisation, coordinator)
    mentee_profile(organisation, targets=["A1901"])
    with pytest.raises(ValidationError) as no_mentor:
        run(organisation, coordinator)

    assert nobody.value.code == "no_mentee"
    assert no_mentor.value.code == "no_mentor"
    assert not MatchingRound.objects.exists()


@pytest.mark.parametrize("role", [Role.CONSULTANT, Role.MENTOR, Role.BENEFICIARY])
def test_only_a_coordinator_runs_a_round(rome, organisation, role):
    mentor_profile(organisation, fiches=["A1901"])
    mentee_profile(organisation, targets=["A1901"])

    with pytest.raises(PermissionDenied):
        run(organisation, member(role, organisation))


def test_accept_then_reject_then_accept_again(rome, organisation, coordinator):
    mentor = mentor_profile(organisation, fiches=["A1901"])
    mentee = mentee_profile(organisation, targets=["A1901"])
    proposal = proposal_of(run(organisation, coordinator), mentee)

    decide(proposal, coordinator, Decision.ACCEPTED)
    proposal.refresh_from_db()
    assert (proposal.decision, proposal.mentor, proposal.decided_by) == (
        Decision.ACCEPTED,
        mentor,
        coordinator,
    )
    decide(proposal, coordinator, Decision.REJECTED)
    proposal.refresh_from_db()
    assert (proposal.decision, proposal.mentor) == (Decision.REJECTED, None)
    decide(proposal, coordinator, Decision.ACCEPTED)
    proposal.refresh_from_db()
    assert proposal.mentor == mentor


def test_override_needs_a_reason_and_a_mentor(rome, organisation, coordinator):
    mentor_profile(organisation, fiches=["A1901"])
    other = mentor_profile(organisation, fiches=["D1901"])
    mentee = mentee_profile(organisation, targets=["A1901"])
    proposal = proposal_of(run(organisation, coordinator), mentee)

    with pytest.raises(ValidationError) as no_reason:
        decide(proposal, coordinator, Decision.OVERRIDDEN, mentor=other, reason="  ")
    with pytest.raises(ValidationError) as no_mentor:
        decide(proposal, coordinator, Decision.OVERRIDDEN, reason="Même ville")
    decide(proposal, coordinator, Decision.OVERRIDDEN, mentor=other, reason=" Même   ville ")

    assert no_reason.value.message_dict["reason"] == ["Indiquez le motif de la modification."]
    assert "mentor" in no_mentor.value.message_dict
    proposal.refresh_from_db()
    assert (proposal.decision, proposal.mentor, proposal.override_reason) == (
        Decision.OVERRIDDEN,
        other,
        "Même ville",
    )
    assert proposal.proposed_mentor != other


def test_override_to_a_mentor_full_in_the_round_is_refused(rome, organisation, coordinator):
    full = mentor_profile(organisation, fiches=["A1901"], capacity=1)
    mentor_profile(organisation, fiches=["A1901"], capacity=1)
    first = mentee_profile(organisation, targets=["A1901"])
    second = mentee_profile(organisation, targets=["A1901"])
    matching_round = run(organisation, coordinator)
    holder = matching_round.proposals.get(mentor=full)
    other = matching_round.proposals.exclude(pk=holder.pk).get()
    assert {holder.mentee, other.mentee} == {first.user, second.user}

    with pytest.raises(ValidationError) as refused:
        decide(other, coordinator, Decision.OVERRIDDEN, mentor=full, reason="Même quartier")

    assert "n'a plus de place dans ce tour" in refused.value.message_dict["mentor"][0]
    other.refresh_from_db()
    assert other.decision == Decision.PENDING
    # Once the holder is rejected, the place is free again.
    decide(holder, coordinator, Decision.REJECTED)
    decide(other, coordinator, Decision.OVERRIDDEN, mentor=full, reason="Même quartier")
    other.refresh_from_db()
    assert other.mentor == full


def test_override_to_a_paused_or_conflicting_mentor_is_refused(rome, organisation, coordinator):
    mentor_profile(organisation, fiches=["A1901"])
    paused = mentor_profile(organisation, fiches=["D1901"], paused_at=timezone.now())
    conflicted = mentor_profile(organisation, fiches=["D1902"])
    mentee = mentee_profile(organisation, targets=["A1901"])
    DeclaredConflict.objects.create(
        organisation=organisation,
        mentee=mentee.user,
        mentor=conflicted,
        reason=DeclaredConflict.Reason.REPORTING_LINE,
    )
    proposal = proposal_of(run(organisation, coordinator), mentee)

    for mentor, expected in ((paused, "plus disponible"), (conflicted, "incompatibilité")):
        with pytest.raises(ValidationError) as refused:
            decide(proposal, coordinator, Decision.OVERRIDDEN, mentor=mentor, reason="Essai")
        assert expected in refused.value.message_dict["mentor"][0]


def test_accepting_a_pair_declared_incompatible_during_the_review_is_refused(
    rome, organisation, coordinator
):
    mentor = mentor_profile(organisation, fiches=["A1901"])
    mentee = mentee_profile(organisation, targets=["A1901"])
    matching_round = run(organisation, coordinator)
    proposal = proposal_of(matching_round, mentee)
    DeclaredConflict.objects.create(
        organisation=organisation,
        mentee=mentee.user,
        mentor=mentor,
        reason=DeclaredConflict.Reason.DECLARED_CONFLICT,
    )

    with pytest.raises(ValidationError) as refused:
        decide(proposal, coordinator, Decision.ACCEPTED)
    assert refused.value.code == "conflict"
    matching_round.refresh_from_db()
    accepted = services.round_accept_all(
        matching_round=matching_round, by=coordinator, expected_version=matching_round.version
    )

    assert accepted == 0
    proposal.refresh_from_db()
    assert proposal.decision == Decision.PENDING
    # Rejected, the round may be published.
    decide(proposal, coordinator, Decision.REJECTED)


def test_a_stale_version_is_refused_and_nothing_is_written(rome, organisation, coordinator):
    mentor_profile(organisation, fiches=["A1901"], capacity=2)
    first = mentee_profile(organisation, targets=["A1901"])
    second = mentee_profile(organisation, targets=["A1901"])
    matching_round = run(organisation, coordinator)
    opened_with = matching_round.version
    decide(proposal_of(matching_round, first), coordinator, Decision.ACCEPTED)

    with pytest.raises(services.StaleVersion):
        services.proposal_decide(
            proposal=proposal_of(matching_round, second),
            decision=Decision.REJECTED,
            by=member(Role.COORDINATOR, organisation),
            expected_version=opened_with,
        )

    assert proposal_of(matching_round, second).decision == Decision.PENDING


def test_accept_all_accepts_only_pending_proposals_with_a_mentor(rome, organisation, coordinator):
    mentor_profile(organisation, fiches=["A1901"], capacity=2)
    kept = mentee_profile(organisation, targets=["A1901"])
    rejected = mentee_profile(organisation, targets=["A1901"])
    unmatched = mentee_profile(organisation, targets=["A1901"], languages=["de"])
    matching_round = run(organisation, coordinator)
    decide(proposal_of(matching_round, rejected), coordinator, Decision.REJECTED)
    matching_round.refresh_from_db()

    count = services.round_accept_all(
        matching_round=matching_round, by=coordinator, expected_version=matching_round.version
    )

    assert count == 1
    assert proposal_of(matching_round, kept).decision == Decision.ACCEPTED
    assert proposal_of(matching_round, rejected).decision == Decision.REJECTED
    assert proposal_of(matching_round, unmatched).decision == Decision.PENDING


def test_publish_waits_for_every_proposal_with_a_mentor(rome, organisation, coordinator):
    mentor_profile(organisation, fiches=["A1901"])
    mentee_profile(organisation, targets=["A1901"])
    matching_round = run(organisation, coordinator)

    with pytest.raises(ValidationError) as refused:
        services.round_publish(
            matching_round=matching_round, by=coordinator, expected_version=matching_round.version
        )

    assert "1 proposition reste à relire" in refused.value.messages[0]
    matching_round.refresh_from_db()
    assert matching_round.status == MatchingRound.Status.REVIEW
    assert not Mentorship.objects.exists()


def test_publish_starts_the_mentorships_and_reports_the_one_that_fails(
    rome, organisation, coordinator
):
    taken = mentor_profile(organisation, fiches=["A1901"], capacity=1)
    free = mentor_profile(organisation, fiches=["D1901"], capacity=1)
    first = mentee_profile(organisation, targets=["A1901"])
    second = mentee_profile(organisation, targets=["D1901"])
    unmatched = mentee_profile(organisation, targets=["A1901"], languages=["de"])
    matching_round = run(organisation, coordinator)
    assert proposal_of(matching_round, first).mentor == taken
    assert proposal_of(matching_round, second).mentor == free
    services.round_accept_all(
        matching_round=matching_round, by=coordinator, expected_version=matching_round.version
    )
    # Meanwhile the last place of `taken` goes to a request answered by the mentor.
    services.mentorship_start(
        mentee=member(Role.BENEFICIARY, organisation),
        mentor=taken,
        origin=Mentorship.Origin.REQUEST,
        by=taken.user,
    )
    matching_round.refresh_from_db()

    report = services.round_publish(
        matching_round=matching_round, by=coordinator, expected_version=matching_round.version
    )

    assert [item.mentee for item in report.published] == [second.user]
    assert [item.proposal.mentee for item in report.failed] == [first.user]
    assert "n'a plus de place" in report.failed[0].message
    mentorship = Mentorship.objects.get(mentee=second.user)
    assert (mentorship.mentor, mentorship.origin) == (free, Mentorship.Origin.ROUND)
    assert proposal_of(matching_round, second).mentorship == mentorship
    assert not Mentorship.objects.filter(mentee__in=[first.user, unmatched.user]).exists()
    matching_round.refresh_from_db()
    assert matching_round.status == MatchingRound.Status.PUBLISHED
    assert matching_round.published_by == coordinator and matching_round.published_at
    assert matching_round.stats["published"] == 1
    assert matching_round.stats["failed"][0]["proposal"] == proposal_of(matching_round, first).pk
    notices = Notification.objects.filter(kind=MentoringNotice.MENTORING_STARTED)
    assert {notice.recipient for notice in notices} == {second.user, free.user}
    assert {notice.url for notice in notices} == {"/mentorat/"}
    assert any(free.user.get_full_name() in notice.body for notice in notices)


def test_publish_leaves_out_a_paused_mentor_and_a_mentee_paired_since(
    rome, organisation, coordinator
):
    paused = mentor_profile(organisation, fiches=["A1901"], capacity=1)
    other = mentor_profile(organisation, fiches=["D1901"], capacity=2)
    first = mentee_profile(organisation, targets=["A1901"])
    second = mentee_profile(organisation, targets=["D1901"])
    matching_round = run(organisation, coordinator)
    services.round_accept_all(
        matching_round=matching_round, by=coordinator, expected_version=matching_round.version
    )
    paused.paused_at = timezone.now()
    paused.save()
    third_mentor = mentor_profile(organisation, fiches=["D1902"])
    services.mentorship_start(
        mentee=second.user, mentor=third_mentor, origin=Mentorship.Origin.REQUEST, by=coordinator
    )
    matching_round.refresh_from_db()

    report = services.round_publish(
        matching_round=matching_round, by=coordinator, expected_version=matching_round.version
    )

    assert report.published == []
    assert {item.proposal.mentee for item in report.failed} == {first.user, second.user}
    assert not Mentorship.objects.filter(mentor__in=[paused, other]).exists()


def test_a_published_or_discarded_round_takes_no_more_decisions(rome, organisation, coordinator):
    mentor_profile(organisation, fiches=["A1901"])
    mentee = mentee_profile(organisation, targets=["A1901"])
    matching_round = run(organisation, coordinator)
    services.round_discard(
        matching_round=matching_round, by=coordinator, expected_version=matching_round.version
    )
    matching_round.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        decide(proposal_of(matching_round, mentee), coordinator, Decision.ACCEPTED)

    assert refused.value.code == "not_in_review"
    assert matching_round.status == MatchingRound.Status.DISCARDED
