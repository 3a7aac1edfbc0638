"""Writes on mentoring. Import from here: `from tisser.mentoring import services`."""

from tisser.mentoring.services.mentorships import CapacityReached, mentor_room, mentorship_start
from tisser.mentoring.services.requests import (
    MAX_PENDING_REQUESTS,
    mentorship_request_accept,
    mentorship_request_create,
    mentorship_request_decline,
    mentorship_request_draft,
    mentorship_request_expire,
    mentorship_request_explain,
    mentorship_request_refusal,
    mentorship_request_remind,
    mentorship_request_withdraw,
    mentorship_requests_follow_up,
)

__all__ = [
    "MAX_PENDING_REQUESTS",
    "CapacityReached",
    "mentor_room",
    "mentorship_request_accept",
    "mentorship_request_create",
    "mentorship_request_decline",
    "mentorship_request_draft",
    "mentorship_request_expire",
    "mentorship_request_explain",
    "mentorship_request_refusal",
    "mentorship_request_remind",
    "mentorship_request_withdraw",
    "mentorship_requests_follow_up",
    "mentorship_start",
]
