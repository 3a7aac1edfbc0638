"""Demo data for questionnaires (`seed_demo`, registered in `tisser.core.demo`): a completed
interests and values inventory for two demo beneficiaries."""

from django.utils.translation import ngettext

from tisser.accounts.demo import demo_email
from tisser.accounts.models import User
from tisser.assessments import riasec, values
from tisser.assessments.models import InventoryResponse
from tisser.assessments.services import interests_record, values_record
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
