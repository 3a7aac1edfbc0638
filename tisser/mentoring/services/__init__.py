"""Writes on mentoring. Import from here: `from tisser.mentoring import services`."""

from tisser.mentoring.services.mentorships import CapacityReached, mentor_room, mentorship_start
from tisser.mentoring.services.rounds import (
    RoundChanged,
    proposal_decide,
    round_accept_all,
    round_discard,
    round_publish,
    round_run,
)

__all__ = [
    "CapacityReached",
    "RoundChanged",
    "mentor_room",
    "mentorship_start",
    "proposal_decide",
    "round_accept_all",
    "round_discard",
    "round_publish",
    "round_run",
]
