"""Demo data for questionnaires (`seed_demo`, registered in `tisser.core.demo`): a completed
interests and values inventory for two demo beneficiaries; for the safety net
(docs/adr/0020-safety-net.md), an isolation check showing strong felt isolation for Camille
(whose result page shows where to turn) and Inès's request to talk to Claire, her
consultant, about a toxic environment."""

from django.utils.translation import ngettext

from tisser.accounts.demo import demo_email
from tisser.accounts.models import User
from tisser.assessments import isolation, loneliness, riasec, values
from tisser.assessments.models import InventoryResponse, IsolationCheck, SafetyConcern
from tisser.assessments.services import (
    interests_record,
    isolation_check_record,
    safety_concern_tell,
    values_record,
)
from tisser.core.demo import Demo, register
from tisser.core.enums import Role

# (interests level per RIASEC letter, values level per value id), 1 to 5: Camille is drawn
# to helping and creating, wants to be useful and keep time for her family; Thomas likes
# concrete, orderly work and wants security and expertise.
DEMO_INVENTORIES = {
    ("Camille", "Roussel"): (
        {"R": 2, "I": 3, "A": 4, "S": 5, "E": 2, "C": 2},
        {
            "autonomy": 4,
            "security": 3,
            "expertise": 3,
            "management": 2,
            "service": 5,
            "challenge": 2,
            "balance": 5,
            "entrepreneurship": 2,
        },
    ),
    ("Thomas", "Garnier"): (
        {"R": 5, "I": 3, "A": 1, "S": 2, "E": 2, "C": 4},
        {
            "autonomy": 3,
            "security": 5,
            "expertise": 4,
            "management": 2,
            "service": 3,
            "challenge": 3,
            "balance": 4,
            "entrepreneurship": 1,
        },
    ),
}
# Answers vary around each level, as real answers do, the same way every run.
DEMO_SWING = (0, 1, -1, 0, 1, 0, -1, 0)


def _demo_answers(items, levels: dict[str, int]) -> dict[str, int]:
    position: dict[str, int] = {}
    answers = {}
    for item in items:
        n = position.get(item.dimension, 0)
        position[item.dimension] = n + 1
        answers[item.id] = min(5, max(1, levels[item.dimension] + DEMO_SWING[n % len(DEMO_SWING)]))
    return answers


def _inventories(beneficiaries: list[User]) -> int:
    """A completed interests and values inventory for the beneficiaries of DEMO_INVENTORIES,
    unless they already have one of that kind. Returns how many were recorded."""
    by_email = {user.email: user for user in beneficiaries}
    created = 0
    for (first_name, last_name), (interests, value_levels) in DEMO_INVENTORIES.items():
        user = by_email.get(demo_email(first_name, last_name))
        if user is None:
            continue
        taken = set(InventoryResponse.objects.filter(user=user).values_list("kind", flat=True))
        if InventoryResponse.Kind.INTERESTS not in taken:
            interests_record(user=user, answers=_demo_answers(riasec.ITEMS, interests))
            created += 1
        if InventoryResponse.Kind.VALUES not in taken:
            values_record(user=user, answers=_demo_answers(values.ITEMS, value_levels))
            created += 1
    return created


@register("inventories", order=30, after=("people",))
def inventories_demo(demo: Demo) -> None:
    created = _inventories(demo.people[Role.BENEFICIARY])
    demo.summary.append(
        ngettext("%(count)d inventaire rempli", "%(count)d inventaires remplis", created)
        % {"count": created}
    )


# Camille feels alone in front of her work (felt isolation in its HIGH band), and every other
# theme weighs fully when she starts her bilan (about 95 out of 100 overall): her later checks
# (`tisser.outcomes.demo`) show the way down as her network grows.
DEMO_FELT_ISOLATION = {"felt_1": 4, "felt_2": 4, "felt_3": 2, "felt_4": 5}
# Her answers to the questions on loneliness (ADR 0031), consistent with that: lonely "une
# partie du temps", and on the short scale (asked only once permitted) 7 out of 9.
DEMO_LONELY_FREQUENCY = {"lonely_frequency": 4}
DEMO_LONELINESS_SCALE = {"loneliness_1": 2, "loneliness_2": 2, "loneliness_3": 3}
DEMO_SAFETY_NOTE = (
    "Depuis la réorganisation, les réunions d'équipe se passent mal et je redoute d'y aller. "
    "J'aimerais en parler lors de notre prochain entretien."
)


def _safety_net(beneficiaries: list[User]) -> list[str]:
    by_email = {user.email: user for user in beneficiaries}
    done = []
    camille = by_email.get(demo_email("Camille", "Roussel"))
    if camille is not None and not IsolationCheck.objects.filter(user=camille).exists():
        answers = {
            item.id: isolation.SCALE_MIN if item.reverse else isolation.SCALE_MAX
            for item in isolation.ITEMS
        } | DEMO_FELT_ISOLATION
        answers |= DEMO_LONELY_FREQUENCY
        if loneliness.scale_permitted():
            answers |= DEMO_LONELINESS_SCALE
        isolation_check_record(user=camille, moment=IsolationCheck.Moment.START, answers=answers)
        done.append("Camille : point sur l'isolement avec un isolement ressenti très présent")
    ines = by_email.get(demo_email("Inès", "Lefebvre"))
    if ines is not None and not SafetyConcern.objects.filter(user=ines).exists():
        safety_concern_tell(
            user=ines,
            situation=SafetyConcern.Situation.TOXIC,
            note=DEMO_SAFETY_NOTE,
            consent=True,
        )
        done.append("Inès : demande d'échange adressée à sa conseillère")
    return done


@register("safety_net", order=35, after=("people",))
def safety_net_demo(demo: Demo) -> None:
    demo.notes += _safety_net(demo.people[Role.BENEFICIARY])
