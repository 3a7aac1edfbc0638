"""Writes on mentoring. Import from here: `from tisser.mentoring import services`."""

from tisser.mentoring.services.mentorships import CapacityReached, mentor_room, mentorship_start
from tisser.mentoring.services.space import (
    AgreementData,
    StaleVersion,
    agreement_save,
    feedback_give,
    feedback_is_open,
    feedback_opens_at,
    goal_add,
    goal_update,
    progress_update_post,
)
from tisser.mentoring.services.space_lifecycle import (
    agreement_sign,
    mentorship_close,
    mentorship_extend,
)

__all__ = [
    "AgreementData",
    "CapacityReached",
    "StaleVersion",
    "agreement_save",
    "agreement_sign",
    "feedback_give",
    "feedback_is_open",
    "feedback_opens_at",
    "goal_add",
    "goal_update",
    "mentor_room",
    "mentorship_close",
    "mentorship_extend",
    "mentorship_start",
    "progress_update_post",
]
