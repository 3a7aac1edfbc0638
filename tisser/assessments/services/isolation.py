"""Recording an isolation check."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tisser.accounts.models import Membership, Organisation, User
from tisser.assessments import isolation
from tisser.assessments.models import IsolationCheck
from tisser.core.audit import audit_record
from tisser.core.enums import Role


def _answer_errors(answers: dict[str, int]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for item in isolation.ITEMS:
        value = answers.get(item.id)
        if value is None:
            errors[item.id] = [_("Choisissez une réponse pour cette affirmation.")]
        elif (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not isolation.SCALE_MIN <= value <= isolation.SCALE_MAX
        ):
            errors[item.id] = [_("Choisissez une réponse entre 1 et 5.")]
    unknown = sorted(set(answers) - {item.id for item in isolation.ITEMS})
    if unknown:
        errors.setdefault("__all__", []).append(
            _("Réponses inconnues : %(ids)s.") % {"ids": ", ".join(unknown)}
        )
    return errors


def isolation_check_record(
    *, user: User, moment: IsolationCheck.Moment | str, answers: dict[str, int]
) -> IsolationCheck:
    """Score and store `user`'s answers to the current isolation check.

    Only an active beneficiary may take it; the check belongs to the organisation of their
    (first) beneficiary membership. Every item must be answered with 1 to 5, otherwise a
    ValidationError keyed by item id says which ones are missing."""
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
    with transaction.atomic():
        check = IsolationCheck.objects.create(
            user=user,
            organisation_id=membership.organisation_id,
            moment=moment,
            version=isolation.VERSION,
            answers={item.id: answers[item.id] for item in isolation.ITEMS},
            scores=isolation.score(answers),
        )
        audit_record(
            actor=user,
            action="isolation_check.record",
            target=check,
            organisation=membership.organisation,
            data={"moment": str(moment), "version": isolation.VERSION},
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
