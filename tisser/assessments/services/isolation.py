"""Recording an isolation check."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tisser.accounts.models import Membership, Organisation, User
from tisser.assessments import isolation, loneliness
from tisser.assessments.models import IsolationCheck
from tisser.core.audit import audit_record
from tisser.core.enums import Role


def _valid(value, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _answer_errors(answers: dict[str, int]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for item in isolation.ITEMS:
        value = answers.get(item.id)
        if value is None:
            errors[item.id] = [_("Choisissez une réponse pour cette affirmation.")]
        elif not _valid(value, isolation.SCALE_MIN, isolation.SCALE_MAX):
            errors[item.id] = [_("Choisissez une réponse entre 1 et 5.")]
    errors |= _loneliness_errors(answers)
    known = {item.id for item in isolation.ITEMS} | set(loneliness.ANSWER_IDS)
    unknown = sorted(set(answers) - known)
    if unknown:
        errors.setdefault("__all__", []).append(
            _("Réponses inconnues : %(ids)s.") % {"ids": ", ".join(unknown)}
        )
    return errors


def _loneliness_errors(answers: dict[str, int]) -> dict[str, list[str]]:
    """The research questions (ADR 0031) are answered as a whole: none of them (a check
    recorded without them, by code), the direct question alone, or the direct question and
    the three items of the short scale."""
    errors: dict[str, list[str]] = {}
    with_scale = any(item_id in answers for item_id in loneliness.SCALE_IDS)
    if with_scale:
        for item_id in loneliness.SCALE_IDS:
            value = answers.get(item_id)
            if value is None:
                errors[item_id] = [_("Choisissez une réponse pour cette question.")]
            elif not _valid(value, loneliness.SCALE_ITEM_MIN, loneliness.SCALE_ITEM_MAX):
                errors[item_id] = [_("Choisissez une réponse entre 1 et 3.")]
    value = answers.get(loneliness.FREQUENCY_ID)
    if value is None:
        if with_scale:
            errors[loneliness.FREQUENCY_ID] = [_("Choisissez une réponse pour cette question.")]
    elif not _valid(value, loneliness.FREQUENCY_MIN, loneliness.FREQUENCY_MAX):
        errors[loneliness.FREQUENCY_ID] = [_("Choisissez une réponse entre 1 et 5.")]
    return errors


def isolation_check_record(
    *, user: User, moment: IsolationCheck.Moment | str, answers: dict[str, int]
) -> IsolationCheck:
    """Score and store `user`'s answers to the current isolation check.

    Only an active beneficiary may take it; the check belongs to the organisation of their
    (first) beneficiary membership. Every item must be answered with 1 to 5, otherwise a
    ValidationError keyed by item id says which ones are missing. The research questions
    (`tisser.assessments.loneliness`) are stored with them when given, the version saying
    which were: the form always asks the direct question, and the short scale when its use
    is permitted."""
    if not (user.is_authenticated and user.is_active):
        raise PermissionDenied
    membership = (
        Membership.objects.filter(user=user, role=Role.BENEFICIARY, is_active=True)
        .order_by("id")
        .first()
    )
    if membership is None:
        raise PermissionDenied
    if moment not in IsolationCheck.Moment.values:
        raise ValidationError({"moment": [_("Choisissez le moment de ce point.")]})
    errors = _answer_errors(answers)
    if errors:
        raise ValidationError(errors)
    version = loneliness.version_of(answers)
    kept = [item.id for item in isolation.ITEMS] + [
        answer_id for answer_id in loneliness.ANSWER_IDS if answer_id in answers
    ]
    with transaction.atomic():
        check = IsolationCheck.objects.create(
            user=user,
            organisation_id=membership.organisation_id,
            moment=moment,
            version=version,
            answers={answer_id: answers[answer_id] for answer_id in kept},
            scores=isolation.score(answers) | loneliness.score(answers),
        )
        audit_record(
            actor=user,
            action="isolation_check.record",
            target=check,
            organisation=membership.organisation,
            data={"moment": str(moment), "version": version},
        )
    return check


def isolation_results_read(
    *,
    actor: User,
    person: User,
    organisation: Organisation,
    check: IsolationCheck | None = None,
) -> None:
    """Log in the audit trail that `actor` read `person`'s isolation results: one check, or
    the whole history when `check` is None. A person reading their own results is not
    logged. The caller has already fetched what it shows through `visible_to`."""
    if actor.pk == person.pk:
        return
    audit_record(
        actor=actor,
        action="isolation_check.read" if check is not None else "isolation_history.read",
        target=check if check is not None else person,
        organisation=organisation,
        data={"person_id": person.pk},
    )
