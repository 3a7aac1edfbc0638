"""Mentoring: mentor profiles, mentee needs, requests, matching rounds, mentorships."""

from tisser.mentoring.models.choices import (
    AVAILABILITY_BITS,
    WEEKDAYS,
    DaySlot,
    HelpKind,
    Language,
    MeetingPreference,
    availability_bit,
    availability_labels,
    availability_overlap,
)
from tisser.mentoring.models.mentorships import (
    DEFAULT_DURATION_MONTHS,
    DEFAULT_MEETING_MINUTES,
    Agreement,
    Feedback,
    Goal,
    Mentorship,
    ProgressUpdate,
)
from tisser.mentoring.models.profiles import (
    MAX_CAPACITY,
    DeclaredConflict,
    MenteeProfile,
    MentorProfile,
)
from tisser.mentoring.models.requests import ANSWER_DAYS, MentorshipRequest
from tisser.mentoring.models.rounds import MatchingRound, RoundProposal

__all__ = [
    "ANSWER_DAYS",
    "AVAILABILITY_BITS",
    "DEFAULT_DURATION_MONTHS",
    "DEFAULT_MEETING_MINUTES",
    "MAX_CAPACITY",
    "WEEKDAYS",
    "Agreement",
    "DaySlot",
    "DeclaredConflict",
    "Feedback",
    "Goal",
    "HelpKind",
    "Language",
    "MatchingRound",
    "MeetingPreference",
    "MenteeProfile",
    "MentorProfile",
    "Mentorship",
    "MentorshipRequest",
    "ProgressUpdate",
    "RoundProposal",
    "availability_bit",
    "availability_labels",
    "availability_overlap",
]
