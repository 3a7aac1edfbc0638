"""Writes on mentoring. Import from here: `from tisser.mentoring import services`."""

from tisser.mentoring.services.mentorships import CapacityReached, mentor_room, mentorship_start

__all__ = ["CapacityReached", "mentor_room", "mentorship_start"]
