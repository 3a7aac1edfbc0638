"""Mentor profiles and mentee needs for tests, built straight as rows (the services that
write them are tested on their own)."""

from django.utils import timezone

from tests.factories import member
from tisser.core.enums import Role
from tisser.mentoring.models import (
    HelpKind,
    MeetingPreference,
    MenteeProfile,
    MentorProfile,
    availability_bit,
)
from tisser.referentiel.models import Metier

TUESDAY_EVENING = availability_bit(1, 2)
THURSDAY_MORNING = availability_bit(3, 0)


def mentor_profile(
    organisation,
    *,
    user=None,
    fiches=(),
    capacity=2,
    status=MentorProfile.Status.VALIDATED,
    **fields,
) -> MentorProfile:
    """A mentor of `organisation` with a profile (validated by default) holding `fiches`
    (ROME codes that must exist)."""
    user = user or member(Role.MENTOR, organisation)
    defaults = {
        "headline": "Responsable d'atelier",
        "career_path": "Quinze ans dans le métier, dont cinq à former des apprentis.",
        "motivation": "Transmettre ce que j'ai appris.",
        "help_offered": [HelpKind.JOB_DISCOVERY, HelpKind.NETWORK],
        "availability": TUESDAY_EVENING | THURSDAY_MORNING,
        "languages": ["fr"],
        "mode": MeetingPreference.REMOTE,
        "submitted_at": timezone.now(),
    }
    defaults.update(fields)
    profile = MentorProfile.objects.create(
        organisation=organisation, user=user, capacity=capacity, status=status, **defaults
    )
    profile.current_fiches.set(Metier.objects.filter(code_rome__in=fiches))
    return profile


def mentee_profile(organisation, *, user=None, targets=(), **fields) -> MenteeProfile:
    """A beneficiary of `organisation` looking for a mentor, aiming at `targets`."""
    user = user or member(Role.BENEFICIARY, organisation)
    defaults = {
        "help_wanted": [HelpKind.JOB_DISCOVERY],
        "availability": TUESDAY_EVENING,
        "languages": ["fr"],
        "mode": MeetingPreference.REMOTE,
        "wishes": "Comprendre le quotidien du métier avant de me lancer.",
    }
    defaults.update(fields)
    profile = MenteeProfile.objects.create(organisation=organisation, user=user, **defaults)
    profile.target_fiches.set(Metier.objects.filter(code_rome__in=targets))
    return profile
