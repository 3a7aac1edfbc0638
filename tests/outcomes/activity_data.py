"""The programme's activity built through the services, at chosen dates (freezegun): people
whose bilan ended, their networks and enquêtes, mentorships, peer groups and commitments."""

from datetime import date, datetime, timedelta

from django.db.models import F
from django.utils import timezone
from freezegun import freeze_time

from tests.bilans.test_retention import ended
from tests.factories import member
from tests.mentoring.helpers import mentor_profile
from tests.peers.helpers import peer_group, peer_profile
from tisser.bilans import services as bilans
from tisser.bilans.models import Bilan, EndReason, Funding, Outcome
from tisser.core.enums import Role
from tisser.meetings.models import Occurrence
from tisser.mentoring.models import Mentorship
from tisser.mentoring.services.mentorships import mentorship_start
from tisser.mentoring.services.space_lifecycle import mentorship_close
from tisser.network.models import HowKnown, Stage
from tisser.network.services.contacts import ContactData, contact_create
from tisser.network.services.pipeline import interview_advance, interview_start
from tisser.peers import services as peers

NOW = timezone.make_aware(datetime(2026, 12, 7, 12, 0))


def aware(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def person_ended(
    organisation,
    consultant,
    *,
    on: date = date(2026, 3, 16),
    outcome: Outcome = Outcome.INTERRUPTED,
    cohort: str | None = None,
) -> Bilan:
    """A beneficiary whose bilan opened a month before `on` and ended on `on` with `outcome`:
    early endings through the service, a completed one marked ended (its synthèse and
    phases are tested elsewhere)."""
    person = member(Role.BENEFICIARY, organisation, invited_by=consultant)
    if cohort is not None:
        peer_profile(organisation, user=person, cohort=cohort)
    with freeze_time(aware(on) - timedelta(days=30)):
        bilan = bilans.bilan_open(consultant=consultant, beneficiary=person, funding=Funding.CPF)
    if outcome == Outcome.COMPLETED:
        return ended(bilan, closed_at=aware(on), outcome=outcome)
    with freeze_time(aware(on, 18)):
        return bilans.bilan_end_early(
            consultant=consultant,
            bilan=bilan,
            outcome=outcome,
            reason=EndReason.INTERRUPTION,
            ended_on=on,
        )


# Before the bilans of these tests end: the funnel counts what was reached by then.
BEFORE_THE_END = date(2026, 2, 20)


def contacts_of(
    person, *, count: int = 1, introduced: bool = False, on: date = BEFORE_THE_END
) -> list:
    with freeze_time(aware(on)):
        return [
            contact_create(
                owner=person,
                data=ContactData(
                    last_name=f"Contact {index}",
                    how_known=HowKnown.INTRODUCED if introduced else HowKnown.FORMER_COLLEAGUE,
                ),
            )
            for index in range(count)
        ]


def enquete_to(person, contact, stage: Stage, *, on: date = BEFORE_THE_END) -> None:
    """An enquête with `contact`, moved forward up to `stage` on `on`."""
    with freeze_time(aware(on, 11)):
        interview = interview_start(owner=person, contact=contact)
        if stage == Stage.TO_CONTACT:
            return
        interview_advance(
            actor=person,
            interview=interview,
            to_stage=stage,
            meeting_at=(
                timezone.now() - timedelta(minutes=30) if stage != Stage.MESSAGE_SENT else None
            ),
        )


def mentorships(
    organisation, count: int, *, started: date, ended_after_days: int | None = None
) -> list[Mentorship]:
    """`count` mentorships with one mentor, started on `started`, ended that many days later
    (by the mentee) or still going."""
    mentor = mentor_profile(organisation, capacity=count)
    coordinator = member(Role.COORDINATOR, organisation)
    made = []
    for _index in range(count):
        mentee = member(Role.BENEFICIARY, organisation)
        with freeze_time(aware(started)):
            mentorship = mentorship_start(
                mentee=mentee, mentor=mentor, origin=Mentorship.Origin.ROUND, by=coordinator
            )
        if ended_after_days is not None:
            with freeze_time(aware(started) + timedelta(days=ended_after_days)):
                mentorship = mentorship_close(
                    actor=mentee,
                    mentorship=mentorship,
                    summary="Nous avons fait le tour.",
                    expected_version=mentorship.version,
                )
        made.append(mentorship)
    return made


def groups(organisation, count: int, *, met_days_ago: int | None, cohort: str = "") -> list:
    """`count` published groups of one member each, whose last meeting was `met_days_ago`
    days before NOW (their other meetings in the future), or who never met."""
    coordinator = member(Role.COORDINATOR, organisation)
    made = []
    for index in range(count):
        person = member(Role.BENEFICIARY, organisation)
        with freeze_time(NOW - timedelta(days=120)):
            group = peer_group(
                organisation, [person], name=f"Groupe {cohort}{index}", coordinator=coordinator
            )
        if cohort:
            type(group).objects.filter(pk=group.pk).update(cohort=cohort)
        # Test set-up, as if the time had passed: the meetings planned are still to come, but
        # the first, held `met_days_ago` days ago.
        planned = Occurrence.objects.filter(series=group.series)
        planned.update(start=F("start") + timedelta(days=400), end=F("end") + timedelta(days=400))
        if met_days_ago is not None:
            first = planned.order_by("start").first()
            start = NOW - timedelta(days=met_days_ago)
            Occurrence.objects.filter(pk=first.pk).update(
                start=start, end=start + timedelta(hours=1)
            )
        made.append(group)
    return made


def commitments(organisation, outcomes: list[str], *, on: date = date(2026, 6, 10)) -> None:
    """One commitment per person of one group, taken and checked on `on`."""
    people = [member(Role.BENEFICIARY, organisation) for _outcome in outcomes]
    with freeze_time(aware(on)):
        group = peer_group(organisation, people, name="Engagés")
        for person, outcome in zip(people, outcomes, strict=True):
            commitment = peers.commitment_add(actor=person, group=group, text="Appeler")
            peers.commitment_check_in(actor=person, commitment=commitment, outcome=outcome)


def ten_ended(organisation, consultant, cohort=None):
    """Ten people whose bilans ended in March 2026, five completed, five interrupted; each
    with an introduced contact and a message sent."""
    for index in range(10):
        bilan = person_ended(
            organisation,
            consultant,
            on=date(2026, 3, 2) + timedelta(days=index),
            outcome=Outcome.COMPLETED if index % 2 else Outcome.INTERRUPTED,
            cohort=cohort,
        )
        if index < 5:
            (contact,) = contacts_of(bilan.beneficiary, introduced=True)
            enquete_to(bilan.beneficiary, contact, Stage.MESSAGE_SENT)
