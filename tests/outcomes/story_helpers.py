"""A person's path, dated in the past as if the weeks had gone by: the stories' tests and the
browser journey build it. Writes go through the services where the dates allow it, straight
to the rows where a test must place them in the past (set-up only)."""

from datetime import timedelta

from django.utils import timezone

from tests.bilans.helpers import advance_to, open_bilan
from tisser.assessments import isolation
from tisser.assessments.models import IsolationCheck
from tisser.assessments.services import isolation_check_record
from tisser.bilans.models import Bilan, Phase, PhaseTransition
from tisser.meetings.models import (
    Attendance,
    MeetingKind,
    MeetingMode,
    MeetingSeries,
    Occurrence,
    SeriesParticipant,
)
from tisser.mentoring.models import MentorProfile, Mentorship
from tisser.network.models import Contact, HowKnown, InformationalInterview, Stage, StageEvent
from tisser.network.services import ContactData, contact_create
from tisser.peers.models import Commitment, Contribution, HelpKind, PeerGroup, PeerGroupMember

DAY = timedelta(days=1)


def check(person, *, days_ago: int, answer: int, moment: str = "other") -> IsolationCheck:
    """An isolation check answered `answer` everywhere (the reverse items flipped, so that
    the score follows `answer`: 5 gives 100, 1 gives 0), taken `days_ago` days ago."""
    answers = {item.id: (6 - answer) if item.reverse else answer for item in isolation.ITEMS}
    made = isolation_check_record(user=person, moment=moment, answers=answers)
    IsolationCheck.objects.filter(pk=made.pk).update(created_at=timezone.now() - days_ago * DAY)
    made.refresh_from_db()
    return made


def _series(organisation, kind, title, people, *, first_start):
    series = MeetingSeries.objects.create(
        organisation=organisation,
        kind=kind,
        title=title,
        created_by=people[0],
        first_start=first_start,
        mode=MeetingMode.VIDEO,
    )
    for index, person in enumerate(people):
        SeriesParticipant.objects.create(
            series=series,
            user=person,
            role=SeriesParticipant.ParticipantRole.ORGANISER
            if index == 0
            else SeriesParticipant.ParticipantRole.PARTICIPANT,
        )
    return series


def _meeting(series, start):
    return Occurrence.objects.create(
        series=series,
        original_start=start,
        start=start,
        end=start + timedelta(hours=1),
        mode=MeetingMode.VIDEO,
    )


def story_path(consultant, person, *, mentor, peer, grown: int = 0) -> Bilan:
    """`person`'s path over 14 weeks: a bilan opened 98 days ago and now in investigation,
    isolation checks from 95 to 50 (and `grown` more between), contacts with a referral chain
    of 2, an enquête done, a mentor with meetings held and one next week, a peer group with
    meetings, commitments kept and help given and received. `grown` adds as many more of each
    thing (checks, contacts, meetings, commitments, help) without changing the shape."""
    now = timezone.now()
    organisation = person.memberships.get().organisation
    bilan = open_bilan(consultant, person)
    bilan = advance_to(bilan, Phase.INVESTIGATION)
    Bilan.objects.filter(pk=bilan.pk).update(opened_at=now - 98 * DAY)
    PhaseTransition.objects.filter(bilan=bilan).update(at=now - 70 * DAY)
    bilan.refresh_from_db()

    check(person, days_ago=97, answer=5, moment="start")  # 100
    for index in range(grown):
        check(person, days_ago=60 - index, answer=4)
    check(person, days_ago=3, answer=3)  # 50

    # Contacts: Jeanne (met directly) introduced Paul, who introduced Luc.
    jeanne = contact_create(
        owner=person,
        data=ContactData(first_name="Jeanne", last_name="Dupont", how_known=HowKnown.SCHOOL),
    )
    paul = contact_create(
        owner=person,
        data=ContactData(
            first_name="Paul",
            last_name="Martin",
            how_known=HowKnown.INTRODUCED,
            introduced_by=jeanne,
        ),
    )
    luc = contact_create(
        owner=person,
        data=ContactData(
            first_name="Luc", last_name="Bernard", how_known=HowKnown.INTRODUCED, introduced_by=paul
        ),
    )
    others = [
        contact_create(
            owner=person,
            data=ContactData(last_name=f"Contact {index}", how_known=HowKnown.LINKEDIN),
        )
        for index in range(grown)
    ]
    for days, contact in ((80, jeanne), (50, paul), (20, luc)):
        Contact.objects.filter(pk=contact.pk).update(created_at=now - days * DAY)
    Contact.objects.filter(pk__in=[c.pk for c in others]).update(created_at=now - 40 * DAY)
    interview = InformationalInterview.objects.create(
        owner=person, contact=jeanne, stage=Stage.INTERVIEW_DONE, stage_changed_at=now - 45 * DAY
    )
    StageEvent.objects.create(interview=interview, stage=Stage.TO_CONTACT, at=now - 60 * DAY)
    StageEvent.objects.create(interview=interview, stage=Stage.INTERVIEW_DONE, at=now - 45 * DAY)

    # A mentor: two meetings held (and `grown` more), one next week.
    profile = MentorProfile.objects.create(
        organisation=organisation,
        user=mentor,
        status=MentorProfile.Status.VALIDATED,
        headline="Responsable formation",
        career_path="…",
        motivation="…",
        languages=["fr"],
    )
    series = _series(
        organisation, MeetingKind.MENTORING, "Mentorat", [mentor, person], first_start=now
    )
    Mentorship.objects.create(
        organisation=organisation,
        mentee=person,
        mentor=profile,
        origin=Mentorship.Origin.ROUND,
        started_at=now - 40 * DAY,
        planned_end=(now + 140 * DAY).date(),
        last_activity_at=now,
        series=series,
    )
    for days in (35, 7, *(30 - index for index in range(grown))):
        _meeting(series, now - days * DAY)
    _meeting(series, now + 5 * DAY)

    # A peer group joined 30 days ago: meetings (one missed), commitments, help.
    group_series = _series(
        organisation, MeetingKind.PEER_GROUP, "Groupe", [person, peer], first_start=now
    )
    group = PeerGroup.objects.create(
        organisation=organisation,
        name="Les Tisserands",
        status=PeerGroup.Status.ACTIVE,
        series=group_series,
    )
    PeerGroupMember.objects.create(
        group=group,
        user=person,
        status=PeerGroupMember.Status.ACCEPTED,
        accepted_at=now - 30 * DAY,
    )
    PeerGroupMember.objects.create(
        group=group, user=peer, status=PeerGroupMember.Status.ACCEPTED, accepted_at=now - 30 * DAY
    )
    _meeting(group_series, now - 40 * DAY)  # before she joined: not hers
    for days in (28, 14, *(27 - index for index in range(grown))):
        _meeting(group_series, now - days * DAY)
    missed = _meeting(group_series, now - 2 * DAY)
    Attendance.objects.create(
        occurrence=missed, user=person, status=Attendance.Status.EXCUSED, recorded_by=person
    )
    for index in range(1 + grown):
        Commitment.objects.create(
            group=group,
            user=person,
            period_start=(now - 14 * DAY).date(),
            period_end=(now - 7 * DAY).date(),
            text=f"Écrire à un contact ({index})",
            outcome=Commitment.Outcome.DONE,
            checked_in_at=now - 7 * DAY,
        )
    for _index in range(1 + grown):
        Contribution.objects.create(
            group=group, giver=person, receiver=peer, kind=HelpKind.FEEDBACK, recorded_by=person
        )
    Contribution.objects.create(
        group=group, giver=peer, receiver=person, kind=HelpKind.FEEDBACK, recorded_by=peer
    )
    return bilan
