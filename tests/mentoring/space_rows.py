"""Mentorships for the space tests, started through the real service, with an agreement
written and signed through the real services when asked."""

from datetime import timedelta

from django.utils import timezone

from tests.factories import member
from tests.mentoring.helpers import mentor_profile
from tisser.core.enums import Role
from tisser.meetings.models import MeetingMode
from tisser.mentoring import services
from tisser.mentoring.models import Mentorship


def agreement_data(**overrides) -> services.AgreementData:
    first = timezone.localtime(timezone.now() + timedelta(days=7)).replace(
        hour=18, minute=0, second=0, microsecond=0
    )
    fields = {
        "goals_summary": "Vérifier que le métier de soigneur me convient.",
        "mentee_expectations": "Des conseils concrets et deux contacts.",
        "mentor_commitment": "Partager mon expérience.",
        "meeting_minutes": 60,
        "meetings_per_month": 1,
        "confidentiality": "Ce qui se dit reste entre nous.",
        "duration_months": 6,
        "first_meeting_at": first,
        "first_meeting_mode": MeetingMode.VIDEO,
        "first_meeting_place": "https://visio.example.org/salle",
    }
    fields.update(overrides)
    return services.AgreementData(**fields)


def start(organisation, *, mentee=None, mentor=None) -> Mentorship:
    """An active mentorship between a new beneficiary and a new validated mentor."""
    mentee = mentee or member(Role.BENEFICIARY, organisation)
    mentor = mentor or mentor_profile(organisation)
    return services.mentorship_start(
        mentee=mentee, mentor=mentor, origin=Mentorship.Origin.REQUEST, by=mentor.user
    )


def signed(organisation, **agreement) -> Mentorship:
    """An active mentorship whose agreement both have signed: its series exists."""
    mentorship = start(organisation)
    saved, _cleared = services.agreement_save(
        actor=mentorship.mentee,
        mentorship=mentorship,
        data=agreement_data(**agreement),
        expected_version=None,
    )
    for person in (mentorship.mentee, mentorship.mentor.user):
        saved = services.agreement_sign(
            actor=person, mentorship=mentorship, expected_version=saved.version
        )
    mentorship.refresh_from_db()
    return mentorship
