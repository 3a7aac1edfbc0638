"""How pages fetch a mentorship, one of its goals or a matching round (ADR 0008).

Every helper starts from `visible_to` and ends in `get_object_or_404`. A mentorship's space
is for its mentee and mentor only: the coordination, which sees mentorships as management
data through `visible_to`, gets a 404 here, as does anyone else."""

from django.shortcuts import get_object_or_404

from tisser.mentoring.models import Goal, MatchingRound, Mentorship


def member_mentorships(user):
    """The mentorships `user` takes part in, as mentee or as mentor."""
    return Mentorship.objects.visible_to(user).of_member(user)


def access_mentorship(user, mentorship_id: int) -> Mentorship:
    """A mentorship `user` takes part in: its shared space."""
    return get_object_or_404(
        member_mentorships(user).select_related("mentee", "mentor__user", "series"),
        pk=mentorship_id,
    )


def access_goal(user, goal_id: int) -> Goal:
    """A goal of a mentorship `user` takes part in."""
    return get_object_or_404(
        Goal.objects.filter(mentorship__in=member_mentorships(user)).select_related(
            "mentorship__mentee", "mentorship__mentor__user"
        ),
        pk=goal_id,
    )


def access_round(user, round_id: int) -> MatchingRound:
    """A matching round of an organisation `user` coordinates
    (`MatchingRound.objects.visible_to`)."""
    return get_object_or_404(
        MatchingRound.objects.visible_to(user).select_related(
            "organisation", "created_by", "published_by"
        ),
        pk=round_id,
    )
