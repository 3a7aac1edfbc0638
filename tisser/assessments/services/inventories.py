"""Reads of the self-inventories that other parts of the bilan build on."""

from tisser.assessments.models import InventoryResponse

RIASEC_LETTERS = ("R", "I", "A", "S", "E", "C")


def interest_profile_latest(*, user) -> dict[str, int] | None:
    """The person's latest RIASEC scores, 0–100 per letter in R, I, A, S, E, C order, or
    None when they have not completed the interests inventory."""
    response = (
        InventoryResponse.objects.filter(user=user, kind=InventoryResponse.Kind.INTERESTS)
        .order_by("-created_at", "-id")
        .first()
    )
    if response is None:
        return None
    return {letter: int(response.scores.get(letter, 0)) for letter in RIASEC_LETTERS}
