"""A mentor's places: the one computation every page shows (the mentor's hub and profile, the
pool, a profile in the pool, the coordination's figures, the suggestions), so they agree.

A mentorship holds a place while it is ACTIVE, paused or not (a paused mentee comes back).
A mentor may keep more mentees than their capacity after lowering it (they said so
explicitly, see `mentor_profile_save`): they then have no free place, never a negative one,
and `over` says by how many they are above it (ADR 0025)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from tisser.mentoring.models import MentorProfile, Mentorship

ACTIVE = Q(mentorships__status=Mentorship.Status.ACTIVE)


@dataclass(frozen=True)
class Places:
    capacity: int
    current: int
    free: int
    over: int

    @classmethod
    def of(cls, capacity: int, current: int) -> Places:
        return cls(
            capacity=capacity,
            current=current,
            free=max(0, capacity - current),
            over=max(0, current - capacity),
        )


def with_current(queryset: QuerySet[MentorProfile]) -> QuerySet[MentorProfile]:
    """`queryset` annotated with `active_count`, the mentorships holding a place."""
    return queryset.annotate(active_count=Count("mentorships", filter=ACTIVE))


def current_mentees(profile: MentorProfile) -> int:
    """The mentorships holding a place (the annotation when there is one)."""
    annotated = getattr(profile, "active_count", None)
    if annotated is not None:
        return annotated
    return profile.mentorships.filter(status=Mentorship.Status.ACTIVE).count()


def mentor_places(profile: MentorProfile) -> Places:
    return Places.of(profile.capacity, current_mentees(profile))


def places_total(profiles: Iterable[MentorProfile]) -> Places:
    """The sum over `profiles`. Free places add up mentor by mentor (a mentor above their
    capacity frees none for another)."""
    capacity = current = free = over = 0
    for profile in profiles:
        places = mentor_places(profile)
        capacity += places.capacity
        current += places.current
        free += places.free
        over += places.over
    return Places(capacity=capacity, current=current, free=free, over=over)


def organisation_places(organisation) -> Places:
    """The organisation's capacity: its available mentors (validated, not paused, active
    members), one query."""
    return places_total(
        with_current(MentorProfile.objects.available().filter(organisation=organisation))
    )
