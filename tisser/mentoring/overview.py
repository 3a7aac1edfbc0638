"""Read-only summaries of mentoring for the hub pages: what a person has under way, and the
organisation's figures for its coordination."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from tisser.mentoring.health import health_figures
from tisser.mentoring.models import (
    MatchingRound,
    MenteeProfile,
    MentorProfile,
    Mentorship,
    MentorshipRequest,
)
from tisser.mentoring.places import Places, mentor_places, organisation_places, with_current


@dataclass(frozen=True)
class PoolFigures:
    validated: int
    awaiting: int
    paused: int
    capacity: Places
    seeking_without_mentor: int
    pending_requests: int
    active_mentorships: int
    paused_mentorships: int
    inactive_mentorships: int
    rounds_in_review: int

    @property
    def places(self) -> int:
        return self.capacity.capacity

    @property
    def taken(self) -> int:
        return self.capacity.current

    @property
    def free(self) -> int:
        return self.capacity.free


def organisation_figures(organisation) -> PoolFigures:
    """The coordination's dashboard: the mentor pool, who still waits, what is alive."""
    profiles = MentorProfile.objects.filter(organisation=organisation)
    active = Mentorship.objects.filter(organisation=organisation, status=Mentorship.Status.ACTIVE)
    now = timezone.now()
    with_mentor = active.values("mentee_id")
    return PoolFigures(
        validated=profiles.filter(status=MentorProfile.Status.VALIDATED).count(),
        awaiting=profiles.filter(status=MentorProfile.Status.SUBMITTED).count(),
        paused=profiles.filter(
            status=MentorProfile.Status.VALIDATED, paused_at__isnull=False
        ).count(),
        capacity=organisation_places(organisation),
        seeking_without_mentor=MenteeProfile.objects.filter(organisation=organisation, seeking=True)
        .exclude(user_id__in=with_mentor)
        .count(),
        pending_requests=MentorshipRequest.objects.filter(
            organisation=organisation, status=MentorshipRequest.Status.PENDING
        ).count(),
        active_mentorships=active.count(),
        paused_mentorships=active.filter(paused_at__isnull=False).count(),
        inactive_mentorships=health_figures(organisation, now=now)["inactive"],
        rounds_in_review=MatchingRound.objects.filter(
            organisation=organisation, status=MatchingRound.Status.REVIEW
        ).count(),
    )


def mentee_overview(user, organisation) -> dict:
    """A beneficiary's mentoring: their needs, requests and mentorships."""
    return {
        "needs": MenteeProfile.objects.filter(user=user, organisation=organisation).first(),
        "mentorships": list(
            Mentorship.objects.filter(mentee=user, organisation=organisation)
            .select_related("mentor__user")
            .order_by("status", "-started_at")
        ),
        "pending_requests": MentorshipRequest.objects.filter(
            mentee=user, organisation=organisation, status=MentorshipRequest.Status.PENDING
        ).count(),
    }


def mentor_overview(user, organisation) -> dict:
    """A mentor's mentoring: their profile, the requests waiting for them, their mentees."""
    profile = with_current(
        MentorProfile.objects.filter(user=user, organisation=organisation)
    ).first()
    if profile is None:
        return {"profile": None, "mentorships": [], "pending_requests": 0}
    return {
        "profile": profile,
        "places": mentor_places(profile),
        "room": mentor_places(profile).free,
        "mentorships": list(
            Mentorship.objects.filter(mentor=profile)
            .select_related("mentee")
            .order_by("status", "-started_at")
        ),
        "pending_requests": MentorshipRequest.objects.filter(
            mentor=profile, status=MentorshipRequest.Status.PENDING
        ).count(),
    }
