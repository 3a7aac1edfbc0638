"""Writes on mentoring. Import from here: `from tisser.mentoring import services`."""

from tisser.mentoring.services.mentorships import CapacityReached, mentor_room, mentorship_start
from tisser.mentoring.services.profiles import (
    MenteeNeedsData,
    MentorProfileData,
    conflict_declare,
    conflict_remove,
    departement_is_valid,
    departement_normalize,
    mentee_cohort_set,
    mentee_initial_targets,
    mentee_needs_preview,
    mentee_profile_save,
    mentor_profile_missing,
    mentor_profile_pause,
    mentor_profile_review,
    mentor_profile_save,
    mentor_profile_submit,
    mentor_skill_choices,
)

__all__ = [
    "CapacityReached",
    "MenteeNeedsData",
    "MentorProfileData",
    "conflict_declare",
    "conflict_remove",
    "departement_is_valid",
    "departement_normalize",
    "mentee_cohort_set",
    "mentee_initial_targets",
    "mentee_needs_preview",
    "mentee_profile_save",
    "mentor_profile_missing",
    "mentor_profile_pause",
    "mentor_profile_review",
    "mentor_profile_save",
    "mentor_profile_submit",
    "mentor_room",
    "mentor_skill_choices",
    "mentorship_start",
]
