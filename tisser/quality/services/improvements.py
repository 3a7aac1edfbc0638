"""Improvement actions (indicator 32, docs/adr/0034): the coordinator records an action with
what prompted it, its owner and due date, then its progress and, once done, its result."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tisser.accounts.access import require_coordinator_of
from tisser.accounts.models import Membership, Organisation, User
from tisser.core.audit import audit_record
from tisser.core.versioning import version_bump
from tisser.quality.models import ActionSource, ActionStatus, Complaint, ImprovementAction


@dataclass(frozen=True)
class ActionFields:
    title: str
    description: str
    source: str
    source_reference: str
    owner: User | None
    due_on: date | None
    status: str
    result: str
    complaint: Complaint | None = None


def _checked(organisation_id: int, fields: ActionFields) -> dict:
    errors = {}
    title = fields.title.strip()
    if not title:
        errors["title"] = _("Donnez un intitulé à l'action.")
    if fields.source not in ActionSource.values:
        errors["source"] = _("Choisissez ce qui a motivé l'action.")
    if fields.status not in ActionStatus.values:
        errors["status"] = _("Choisissez un état.")
    result = fields.result.strip()
    if fields.status == ActionStatus.DONE and not result:
        errors["result"] = _("Décrivez le résultat obtenu pour marquer l'action réalisée.")
    if (
        fields.owner is not None
        and not Membership.objects.filter(
            user=fields.owner, organisation_id=organisation_id, is_active=True
        ).exists()
    ):
        errors["owner"] = _("Choisissez une personne de l'organisme.")
    if fields.complaint is not None and fields.complaint.organisation_id != organisation_id:
        errors["complaint"] = _("Cette réclamation n'est pas celle de l'organisme.")
    if errors:
        raise ValidationError(errors)
    return {
        "title": title,
        "description": fields.description.strip(),
        "source": fields.source,
        "source_reference": fields.source_reference.strip(),
        "owner": fields.owner,
        "due_on": fields.due_on,
        "status": fields.status,
        "result": result,
    }


def improvement_action_create(
    *,
    coordinator: User,
    organisation: Organisation | int,
    fields: ActionFields,
    today: date | None = None,
) -> ImprovementAction:
    """A new improvement action in `organisation`'s log, from a complaint when
    `fields.complaint` is given (its source is then the complaint)."""
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    require_coordinator_of(coordinator, organisation_id)
    values = _checked(organisation_id, fields)
    day = today or timezone.localdate()
    with transaction.atomic():
        action = ImprovementAction.objects.create(
            organisation_id=organisation_id,
            complaint=fields.complaint,
            created_on=day,
            done_on=day if values["status"] == ActionStatus.DONE else None,
            **values,
        )
        audit_record(
            actor=coordinator,
            action="improvement_action.create",
            target=action,
            organisation=action.organisation,
            data={"source": action.source, "status": action.status},
        )
    return action


def improvement_action_update(
    *,
    coordinator: User,
    action: ImprovementAction,
    fields: ActionFields,
    expected_version: int,
    today: date | None = None,
) -> ImprovementAction:
    """Save the action's fields; marking it réalisée needs its result, and dates it.
    StaleVersion when someone saved it since `expected_version`. Its complaint stays."""
    require_coordinator_of(coordinator, action.organisation_id)
    values = _checked(action.organisation_id, fields)
    day = today or timezone.localdate()
    if values["status"] == ActionStatus.DONE:
        values["done_on"] = action.done_on or day
    else:
        values["done_on"] = None
    with transaction.atomic():
        version_bump(action, expected=expected_version, **values)
        audit_record(
            actor=coordinator,
            action="improvement_action.update",
            target=action,
            organisation=action.organisation,
            data={"status": action.status},
        )
    return action
