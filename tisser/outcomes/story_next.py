"""The one next action of a person's story (`tisser.outcomes.story`): the first that applies,
in the order the story's module docstring gives, decided from a few facts (`Facts`) so that
the order is tested without a database."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from tisser.assessments.models import IsolationCheck
from tisser.bilans.models import Phase

# A meeting this close is the one to prepare.
SOON = timedelta(days=7)


class Stage(StrEnum):
    BEFORE = "before"
    DURING = "during"
    AFTER = "after"


class ActionKind(StrEnum):
    START_CHECK = "start_check"
    FOLLOWUP_CHECK = "followup_check"
    CONSENT = "consent"
    ENTRETIEN_SOON = "entretien_soon"
    GROUP_SOON = "group_soon"
    MENTOR_SOON = "mentor_soon"
    FIRST_CONTACT = "first_contact"
    NEXT_ENTRETIEN = "next_entretien"
    BILAN = "bilan"
    NETWORK = "network"
    EXPLORE = "explore"


@dataclass(frozen=True)
class Upcoming:
    occurrence_id: int
    start: datetime


@dataclass(frozen=True)
class NextAction:
    kind: ActionKind
    # The check's moment (FOLLOWUP_CHECK, START_CHECK), or the meeting (the *_SOON kinds and
    # NEXT_ENTRETIEN).
    moment: str = ""
    meeting: Upcoming | None = None


@dataclass(frozen=True)
class Facts:
    """What `next_action` decides from."""

    stage: Stage
    has_bilan: bool
    phase: str
    has_start_check: bool
    followup_due: str  # the moment of the follow-up check due, "" when none
    consent_missing: bool
    contacts: int
    next_entretien: Upcoming | None = None
    next_group: Upcoming | None = None
    next_mentor: Upcoming | None = None


def next_action(facts: Facts, *, now: datetime) -> NextAction:
    """The one thing to do next (the order is the module docstring's)."""
    if not facts.has_start_check:
        return NextAction(ActionKind.START_CHECK, moment=IsolationCheck.Moment.START)
    if facts.followup_due:
        return NextAction(ActionKind.FOLLOWUP_CHECK, moment=facts.followup_due)
    if facts.consent_missing:
        return NextAction(ActionKind.CONSENT)
    for kind, meeting in (
        (ActionKind.ENTRETIEN_SOON, facts.next_entretien),
        (ActionKind.GROUP_SOON, facts.next_group),
        (ActionKind.MENTOR_SOON, facts.next_mentor),
    ):
        if meeting is not None and meeting.start - now <= SOON:
            return NextAction(kind, meeting=meeting)
    if (
        facts.has_bilan
        and facts.phase not in ("", Phase.PRELIMINARY)
        and facts.stage != Stage.AFTER
        and facts.contacts == 0
    ):
        return NextAction(ActionKind.FIRST_CONTACT)
    if facts.next_entretien is not None:
        return NextAction(ActionKind.NEXT_ENTRETIEN, meeting=facts.next_entretien)
    if facts.stage == Stage.AFTER:
        return NextAction(ActionKind.NETWORK)
    if facts.has_bilan:
        return NextAction(ActionKind.BILAN)
    return NextAction(ActionKind.EXPLORE)
