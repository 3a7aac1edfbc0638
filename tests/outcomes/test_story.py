"""A person's story (tisser.outcomes.story): where she is, her milestones, the figures on one
time axis, the one next action, and the reading in French."""

import itertools
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.bilans.helpers import closed_bilan
from tests.factories import member
from tests.outcomes.story_helpers import check, story_path
from tisser.bilans.models import Bilan
from tisser.core.enums import Role
from tisser.mentoring.models import Mentorship
from tisser.network.metrics import week_start
from tisser.network.models import NetworkSnapshot
from tisser.outcomes.story import (
    ActionKind,
    CheckPoint,
    Facts,
    MilestoneKind,
    Stage,
    Story,
    Upcoming,
    Week,
    chain_depths,
    next_action,
    story_of,
)
from tisser.outcomes.story_reading import story_reading
from tisser.www.beneficiary.story_chart import TimeAxis, story_charts


def plain(sentences: list[str]) -> str:
    """The sentences as one text, the non-breaking spaces inside « » read as spaces."""
    return " ".join(sentences).replace("\xa0", " ")


@pytest.fixture
def world(organisation):
    consultant = member(Role.CONSULTANT, organisation)
    return {
        "consultant": consultant,
        "person": member(
            Role.BENEFICIARY,
            organisation,
            invited_by=consultant,
            user__first_name="Camille",
            user__last_name="Roussel",
        ),
        "mentor": member(Role.MENTOR, organisation),
        "peer": member(Role.BENEFICIARY, organisation, invited_by=consultant),
    }


def test_a_path_is_told_on_one_time_axis(world, organisation):
    story_path(world["consultant"], world["person"], mentor=world["mentor"], peer=world["peer"])

    story = story_of(world["person"], organisation)

    assert story.stage == Stage.DURING
    assert [check.overall for check in story.checks] == [100, 50]
    assert [m.kind for m in story.milestones] == [
        MilestoneKind.BILAN_START,
        MilestoneKind.FIRST_INTERVIEW,
        MilestoneKind.MENTOR,
        MilestoneKind.GROUP,
    ]
    last = story.weeks[-1]
    assert (last.contacts, last.referrals, last.chain, last.interviews_done) == (3, 2, 2, 1)
    # The group meeting before she joined and the one she was excused from are not hers.
    assert (last.mentor_meetings, last.group_meetings) == (2, 2)
    assert (last.commitments_kept, last.help_given, last.help_received) == (1, 1, 1)
    assert story.chain_names == ("Jeanne Dupont", "Paul Martin", "Luc Bernard")
    # Weeks follow one another from the bilan's start; the chain grew with Luc, 20 days ago.
    assert story.weeks[0].monday == week_start(story.bilan.opened_at.date())
    assert [w.chain for w in story.weeks if w.at < timezone.now() - timedelta(days=21)][-1] == 1
    # Consent given, start check taken, no entretien planned: the mentor meeting in 5 days.
    assert story.action.kind == ActionKind.MENTOR_SOON


def test_the_reading_describes_without_judging(world, organisation):
    story_path(world["consultant"], world["person"], mentor=world["mentor"], peer=world["peer"])
    story = story_of(world["person"], organisation)

    reading = story_reading(story)

    text = plain(reading.isolation + reading.network)
    assert (
        "Depuis le début de votre bilan, votre score d'isolement est passé de 100 à 50 sur 100."
        in text
    )
    assert "Ce chiffre repose sur 2 points sur l'isolement." in text
    assert "Isolement ressenti : de 100 à 50 sur 100." in text
    assert "Depuis le début de votre bilan, votre réseau est passé de 0 à 3 contacts." in text
    assert "Parmi vos contacts, 2 vous ont été présentés par un autre contact." in text
    assert "Vous avez mené 1 enquête-métier jusqu'à l'entretien." in text
    assert "Jeanne Dupont → Paul Martin → Luc Bernard" in text
    assert "Mentorat : 2 rencontres tenues." in text
    assert "Groupe de pairs : 2 réunions suivies." in text
    assert "Vous avez tenu 1 engagement." in text
    # No sentence starts with a digit.
    assert not [s for s in reading.isolation + reading.network if s[0].isdigit()]
    for judgement in ("mieux", "progrès", "bravo", "amélior", "Très présent"):
        assert judgement not in text


def test_the_consultant_reads_it_in_the_third_person_and_without_names(world, organisation):
    story_path(world["consultant"], world["person"], mentor=world["mentor"], peer=world["peer"])
    story = story_of(world["person"], organisation, names=False)

    reading = story_reading(story, name="Camille Roussel")

    text = plain(reading.isolation + reading.network)
    assert "Depuis le début de son bilan, son score d'isolement est passé de 100 à 50" in text
    assert "Parmi ses contacts, 2 lui ont été présentés par un autre contact." in text
    assert "Camille Roussel a tenu 1 engagement." in text
    assert "Camille Roussel a mené 1 enquête-métier" in text
    assert "La plus longue chaîne de mises en relation compte 2 présentations à la suite." in text
    assert "Jeanne" not in text and "votre" not in text
    assert story.chain_names == ()


def _story(**overrides) -> Story:
    now = timezone.now()
    values = {
        "person": None,
        "organisation": None,
        "now": now,
        "stage": Stage.BEFORE,
        "bilan": None,
        "phase_since": None,
        "checks": (),
        "weeks": (),
        "milestones": (),
        "action": next_action(Facts(Stage.BEFORE, False, "", False, "", False, 0), now=now),
    }
    values.update(overrides)
    return Story(**values)


@pytest.mark.parametrize(
    ("week", "expected"),
    [
        (
            Week(timezone.now().date(), timezone.now(), contacts=1, referrals=1),
            [
                "Votre réseau compte 1 contact.",
                "Parmi vos contacts, 1 vous a été présenté par un autre contact.",
                "Aucune enquête-métier n'a encore eu lieu.",
            ],
        ),
        (
            Week(timezone.now().date(), timezone.now(), contacts=4, interviews_done=2),
            [
                "Votre réseau compte 4 contacts.",
                "Vous avez mené 2 enquêtes-métiers jusqu'à l'entretien.",
            ],
        ),
        (
            Week(
                timezone.now().date(),
                timezone.now(),
                contacts=1,
                interviews_done=1,
                mentor_meetings=1,
                group_meetings=1,
                commitments_kept=2,
                help_given=1,
                help_received=3,
            ),
            [
                "Votre réseau compte 1 contact.",
                "Vous avez mené 1 enquête-métier jusqu'à l'entretien.",
                "Mentorat : 1 rencontre tenue.",
                "Groupe de pairs : 1 réunion suivie.",
                "Vous avez tenu 2 engagements.",
                "Aide donnée à d'autres membres du groupe : 1 fois.",
                "Aide reçue d'autres membres du groupe : 3 fois.",
            ],
        ),
        (
            Week(timezone.now().date(), timezone.now()),
            ["Votre réseau ne compte encore aucun contact."],
        ),
    ],
)
def test_counts_take_real_plurals(week, expected):
    assert story_reading(_story(weeks=(week,))).network == expected


def test_one_check_and_a_quiet_stretch_are_said_in_words(world, organisation):
    check(world["person"], days_ago=70, answer=4)

    reading = story_reading(story_of(world["person"], organisation))

    (first, quiet) = reading.isolation
    assert first.startswith("Vous avez fait un point sur l'isolement le ")
    assert first.endswith(" : score de 75 sur 100.")
    assert quiet.startswith("Pas de nouveau point sur l'isolement depuis le ")


def test_day_one_has_nothing_measured_and_asks_for_the_first_check(world, organisation):
    story = story_of(world["person"], organisation)

    assert story.is_empty
    assert story.stage == Stage.BEFORE
    assert story.action.kind == ActionKind.START_CHECK
    assert story_reading(story).isolation == [
        "Aucun point sur l'isolement n'est enregistré pour l'instant."
    ]


def test_after_the_bilan_destroyed_checks_are_said_not_hidden(world, organisation):
    bilan = closed_bilan(world["consultant"], world["person"])
    Bilan.objects.filter(pk=bilan.pk).update(
        closed_at=timezone.now() - timedelta(days=100),
        opened_at=timezone.now() - timedelta(days=200),
        outcome_recorded_at=timezone.now() - timedelta(days=99),
    )

    story = story_of(world["person"], organisation)
    (note,) = story_reading(story).notes

    assert story.stage == Stage.AFTER
    assert "ont été supprimés le lendemain de sa fin, comme la loi le prévoit" in note
    # The +3-month check fell due 10 days ago and was not taken: it is the next action.
    assert story.action.kind == ActionKind.FOLLOWUP_CHECK
    assert story.action.moment == "plus_3_months"
    assert [m.done for m in story.followup] == [False, False, False]


NOW = timezone.now()
SOON = Upcoming(1, NOW + timedelta(days=2))
LATER = Upcoming(2, NOW + timedelta(days=20))


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (Facts(Stage.BEFORE, False, "", False, "", False, 0), ActionKind.START_CHECK),
        (Facts(Stage.BEFORE, False, "", True, "", False, 0), ActionKind.EXPLORE),
        (
            Facts(Stage.AFTER, False, "closed", False, "plus_3_months", False, 3),
            ActionKind.START_CHECK,
        ),
        (
            Facts(Stage.AFTER, False, "closed", True, "plus_3_months", False, 3),
            ActionKind.FOLLOWUP_CHECK,
        ),
        (
            Facts(Stage.BEFORE, True, "preliminary", True, "", True, 0, next_entretien=SOON),
            ActionKind.CONSENT,
        ),
        (
            Facts(
                Stage.DURING,
                True,
                "investigation",
                True,
                "",
                False,
                0,
                next_entretien=SOON,
                next_group=SOON,
            ),
            ActionKind.ENTRETIEN_SOON,
        ),
        (
            Facts(
                Stage.DURING,
                True,
                "investigation",
                True,
                "",
                False,
                0,
                next_entretien=LATER,
                next_group=SOON,
                next_mentor=SOON,
            ),
            ActionKind.GROUP_SOON,
        ),
        (
            Facts(Stage.DURING, True, "investigation", True, "", False, 0, next_entretien=LATER),
            ActionKind.FIRST_CONTACT,
        ),
        (
            Facts(Stage.DURING, True, "investigation", True, "", False, 2, next_entretien=LATER),
            ActionKind.NEXT_ENTRETIEN,
        ),
        (Facts(Stage.DURING, True, "conclusion", True, "", False, 2), ActionKind.BILAN),
        (Facts(Stage.AFTER, False, "closed", True, "", False, 2), ActionKind.NETWORK),
    ],
)
def test_the_next_action_follows_its_order(facts, expected):
    assert next_action(facts, now=NOW).kind == expected


def test_chain_depths_count_introductions_in_a_row_and_survive_a_loop():
    rows = [
        (1, None, "school"),
        (2, 1, "introduced"),
        (3, 2, "introduced"),
        (4, None, "introduced"),
    ]

    assert chain_depths(rows) == {1: 0, 2: 1, 3: 2, 4: 1}
    assert set(chain_depths([(1, 2, "introduced"), (2, 1, "introduced")])) == {1, 2}


def test_a_recorded_snapshot_is_preferred_to_the_history(world, organisation):
    story_path(world["consultant"], world["person"], mentor=world["mentor"], peer=world["peer"])
    monday = week_start((timezone.now() - timedelta(days=14)).date())
    NetworkSnapshot.objects.create(
        owner=world["person"], week=monday, contacts=9, interviews_done=4, referrals=3, sectors=1
    )

    story = story_of(world["person"], organisation)

    (week,) = [w for w in story.weeks if w.monday == monday]
    assert (week.contacts, week.interviews_done, week.recorded) == (9, 4, True)


def _queries(person, organisation) -> int:
    with CaptureQueriesContext(connection) as context:
        story_of(person, organisation)
    return len(context.captured_queries)


def test_the_story_costs_the_same_small_or_grown(world, organisation):
    small = member(Role.BENEFICIARY, organisation, invited_by=world["consultant"])
    grown = member(Role.BENEFICIARY, organisation, invited_by=world["consultant"])
    story_path(world["consultant"], small, mentor=world["mentor"], peer=world["peer"])
    story_path(
        world["consultant"],
        grown,
        mentor=member(Role.MENTOR, organisation),
        peer=world["peer"],
        grown=12,
    )

    assert _queries(small, organisation) == _queries(grown, organisation) <= 16


def test_the_research_measures_are_read_when_asked_and_skipped_otherwise():
    now = timezone.now()
    checks = (
        CheckPoint(now - timedelta(days=40), "start", 80, 90, lonely_frequency=5),
        CheckPoint(now - timedelta(days=3), "end", 60, 70, 3, loneliness_scale=6),
    )

    you = story_reading(_story(checks=checks)).isolation
    about = story_reading(_story(checks=checks), name="Amandine").isolation

    # Each answer says its place among the five, from the least lonely to the most.
    assert plain(you[-2:-1]) == (
        "À la question « À quelle fréquence vous sentez-vous seul·e ? », votre dernière "
        "réponse est « De temps en temps » (3e réponse sur 5, de « Jamais » à « Souvent ou "
        "toujours ») ; au premier point : « Souvent ou toujours » (5e réponse sur 5)."
    )
    # « » never part from what they quote: « ») » cannot start a line.
    assert "toujours\xa0»)" in you[-2] and "«\xa0De temps" in you[-2]
    assert you[-1] == "Échelle courte de solitude (de 3 à 9) : 6."
    assert "la dernière réponse d'Amandine est « De temps en temps » (3e réponse" in plain(
        about[-2:-1]
    )
    without = story_reading(_story(checks=(CheckPoint(now, "start", 80, 90),))).isolation
    assert not any("solitude" in sentence for sentence in without)


def test_after_the_bilan_later_checks_are_read_from_the_first_that_exists(world, organisation):
    bilan = closed_bilan(world["consultant"], world["person"])
    Bilan.objects.filter(pk=bilan.pk).update(
        closed_at=timezone.now() - timedelta(days=100),
        opened_at=timezone.now() - timedelta(days=200),
        outcome_recorded_at=timezone.now() - timedelta(days=99),
    )
    check(world["person"], days_ago=8, answer=4, moment="plus_3_months")
    check(world["person"], days_ago=1, answer=3)

    story = story_of(world["person"], organisation)
    reading = story_reading(story)

    assert reading.isolation[0].startswith("Depuis votre premier point, le ")
    assert "votre score d'isolement est passé de 75 à 50 sur 100." in reading.isolation[0]
    assert len(reading.notes) == 1
    assert [m.done for m in story.followup] == [False, True, False]
    # The end check fell due before the destruction: taken or not, nobody can tell.
    assert [m.unknown for m in story.followup] == [True, False, False]
    assert story.action.kind == ActionKind.NETWORK


@pytest.mark.parametrize("destroyed", [True, False])
def test_after_the_end_the_end_check_is_never_the_next_action(world, organisation, destroyed):
    # Élodie: her bilan was interrupted ten days ago; its checks were destroyed the next day
    # (or are still there): the end check is the bilan's, past with it.
    bilan = closed_bilan(world["consultant"], world["person"])
    Bilan.objects.filter(pk=bilan.pk).update(
        opened_at=timezone.now() - timedelta(days=40),
        closed_at=timezone.now() - timedelta(days=10),
        outcome_recorded_at=timezone.now() - timedelta(days=9) if destroyed else None,
    )

    story = story_of(world["person"], organisation)

    assert [(m.moment, m.done, m.unknown) for m in story.followup] == [
        ("end", False, destroyed),
        ("plus_3_months", False, False),
        ("plus_6_months", False, False),
    ]
    assert story.action.kind == ActionKind.NETWORK


def test_the_end_of_a_mentorship_is_a_milestone(world, organisation):
    story_path(world["consultant"], world["person"], mentor=world["mentor"], peer=world["peer"])
    ended = timezone.now() - timedelta(days=2)
    Mentorship.objects.filter(mentee=world["person"]).update(
        status=Mentorship.Status.ENDED, ended_at=ended
    )

    story = story_of(world["person"], organisation)

    assert [m.kind for m in story.milestones][-1] == MilestoneKind.MENTOR_END
    assert story.milestones[-1].at == ended


def test_a_mentorship_going_on_has_no_end_milestone(world, organisation):
    story_path(world["consultant"], world["person"], mentor=world["mentor"], peer=world["peer"])

    story = story_of(world["person"], organisation)

    assert MilestoneKind.MENTOR_END not in [m.kind for m in story.milestones]


def test_each_week_is_counted_at_its_end_and_drawn_as_steps(world, organisation):
    story_path(world["consultant"], world["person"], mentor=world["mentor"], peer=world["peer"])
    story = story_of(world["person"], organisation)

    charts = story_charts(story)

    contacts = next(line for line in charts.network.lines if line.key == "contacts")
    axis = TimeAxis(story.started_at, story.now)
    # Each week's figure sits on its last day (today for this week), where the table says
    # « Chiffres au … ».
    assert [p.x for p in contacts.points] == [axis.x(week.at) for week in story.weeks]
    assert [week.ends_on for week in story.weeks[:-1]] == [
        week.monday + timedelta(days=6) for week in story.weeks[:-1]
    ]
    assert story.weeks[-1].ends_on == timezone.localdate()
    # Level, then up or down: no slope between two weeks.
    corners = [tuple(map(float, c.split(","))) for c in contacts.polyline.split()]
    for (x1, y1), (x2, y2) in itertools.pairwise(corners):
        assert x1 == x2 or y1 == y2
