"""The self-inventories of the bilan's investigation phase: interests (RIASEC) and values.
A beneficiary takes them as often as they like; each take is kept with its questionnaire
version, so that the history shows how their answers moved."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tisser.accounts.models import Membership, Organisation, User
from tisser.assessments import likert, riasec, values
from tisser.assessments.models import InventoryResponse
from tisser.core.audit import audit_record
from tisser.core.enums import Role

RIASEC_LETTERS = riasec.LETTERS

Kind = InventoryResponse.Kind


def _answer_errors(
    items: tuple[likert.Item, ...], answers: dict[str, int], missing: str
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for item in items:
        value = answers.get(item.id)
        if value is None:
            errors[item.id] = [missing]
        elif (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not likert.SCALE_MIN <= value <= likert.SCALE_MAX
        ):
            errors[item.id] = [_("Choisissez une réponse entre 1 et 5.")]
    unknown = sorted(set(answers) - {item.id for item in items})
    if unknown:
        errors.setdefault("__all__", []).append(
            _("Réponses inconnues : %(ids)s.") % {"ids": ", ".join(unknown)}
        )
    return errors


def _beneficiary_membership(user: User) -> Membership:
    if not (user.is_authenticated and user.is_active):
        raise PermissionDenied
    membership = (
        Membership.objects.filter(user=user, role=Role.BENEFICIARY, is_active=True)
        .select_related("organisation")
        .order_by("id")
        .first()
    )
    if membership is None:
        raise PermissionDenied
    return membership


def _record(
    *,
    user: User,
    kind: Kind,
    version: str,
    items: tuple[likert.Item, ...],
    answers: dict[str, int],
    scores_of,
    missing: str,
) -> InventoryResponse:
    membership = _beneficiary_membership(user)
    errors = _answer_errors(items, answers, missing)
    if errors:
        raise ValidationError(errors)
    kept = {item.id: answers[item.id] for item in items}
    with transaction.atomic():
        response = InventoryResponse.objects.create(
            user=user,
            organisation_id=membership.organisation_id,
            kind=kind,
            version=version,
            answers=kept,
            scores=scores_of(kept),
        )
        audit_record(
            actor=user,
            action=f"inventory.{kind.value}.record",
            target=response,
            organisation=membership.organisation,
            data={"version": version},
        )
    return response


def interests_record(*, user: User, answers: dict[str, int]) -> InventoryResponse:
    """Score and store `user`'s answers to the current interests inventory (riasec).

    Only an active beneficiary may take it; the take belongs to the organisation of their
    (first) beneficiary membership. Every activity must be answered with 1 to 5, otherwise a
    ValidationError keyed by item id says which ones are missing."""
    return _record(
        user=user,
        kind=Kind.INTERESTS,
        version=riasec.VERSION,
        items=riasec.ITEMS,
        answers=answers,
        scores_of=riasec.score,
        missing=_("Choisissez une réponse pour cette activité."),
    )


def values_record(*, user: User, answers: dict[str, int]) -> InventoryResponse:
    """Score and store `user`'s answers to the current values inventory (values). Same rules
    as `interests_record`."""
    return _record(
        user=user,
        kind=Kind.VALUES,
        version=values.VERSION,
        items=values.ITEMS,
        answers=answers,
        scores_of=values.score,
        missing=_("Choisissez une réponse pour cette affirmation."),
    )


def inventory_results_read(
    *,
    actor: User,
    person: User,
    organisation: Organisation,
    kind: Kind | str,
    response: InventoryResponse | None = None,
) -> None:
    """Log in the audit trail that `actor` read `person`'s results of the `kind` inventory:
    one take, or the latest with the history when `response` is None. A person reading their
    own results is not logged. The caller has already fetched what it shows through
    `visible_to`."""
    if actor.pk == person.pk:
        return
    audit_record(
        actor=actor,
        action="inventory.read" if response is not None else "inventory_history.read",
        target=response if response is not None else person,
        organisation=organisation,
        data={"person_id": person.pk, "kind": str(kind)},
    )


def _latest(user, kind: Kind) -> InventoryResponse | None:
    return (
        InventoryResponse.objects.filter(user=user, kind=kind)
        .order_by("-created_at", "-id")
        .first()
    )


def interest_profile_latest(*, user) -> dict[str, int] | None:
    """The person's latest RIASEC scores, 0–100 per letter in R, I, A, S, E, C order, or
    None when they have not completed the interests inventory."""
    response = _latest(user, Kind.INTERESTS)
    if response is None:
        return None
    return {letter: int(response.scores.get(letter, 0)) for letter in RIASEC_LETTERS}


def values_profile_latest(*, user) -> list[tuple[str, int]] | None:
    """The person's latest values, ranked from the one that counts most, as (value id, score
    0–100) pairs (ties in `values.VALUES` order), or None when they have not completed the
    values inventory."""
    response = _latest(user, Kind.VALUES)
    if response is None:
        return None
    return values.ranking(
        {value_id: int(response.scores.get(value_id, 0)) for value_id in values.VALUE_IDS}
    )
