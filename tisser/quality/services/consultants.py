"""Writing a consultant's professional record (indicators 21 and 22): their experience, their
diplomas, methods and trainings, each with an optional proof. The consultant edits their own
record; a coordinator of their organisation edits any; nobody else (PermissionDenied). Every
edit carries the version it was made from (ADR 0007); every write is audited."""

import enum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from tisser.accounts.models import Membership
from tisser.core.audit import audit_record
from tisser.core.enums import Role
from tisser.core.versioning import version_bump, version_require
from tisser.quality.files import CheckedUpload
from tisser.quality.models import (
    ConsultantMethod,
    ConsultantQualification,
    ConsultantRecord,
    ConsultantTraining,
)


class RecordItemKind(enum.StrEnum):
    """The kinds of items of a record, by the word their address uses."""

    QUALIFICATION = "diplomes"
    METHOD = "methodes"
    TRAINING = "formations"

    @property
    def model(self) -> Any:
        return ITEM_MODELS[self]


ITEM_MODELS: dict[RecordItemKind, Any] = {
    RecordItemKind.QUALIFICATION: ConsultantQualification,
    RecordItemKind.METHOD: ConsultantMethod,
    RecordItemKind.TRAINING: ConsultantTraining,
}

ITEM_FIELDS: dict[RecordItemKind, tuple[str, ...]] = {
    RecordItemKind.QUALIFICATION: ("title", "awarding_body", "year"),
    RecordItemKind.METHOD: ("name", "accredited_on", "expires_on"),
    RecordItemKind.TRAINING: ("title", "provider", "started_on", "ended_on", "hours", "indicator"),
}

RECORD_FIELDS = ("years_in_guidance", "previous_roles", "summary")


def item_kind_of(item: models.Model) -> RecordItemKind:
    for kind, model in ITEM_MODELS.items():
        if isinstance(item, model):
            return kind
    raise TypeError(type(item).__name__)


def may_edit_record(user, membership: Membership) -> bool:
    """The consultant themself (an active consultant membership) or an active coordinator
    of the membership's organisation."""
    if membership.role != Role.CONSULTANT:
        return False
    if membership.user_id == user.pk and membership.is_active:
        return True
    return Membership.objects.is_coordinator_of(user, membership.organisation_id)


def _require_editor(user, membership: Membership) -> None:
    if not may_edit_record(user, membership):
        raise PermissionDenied


def _proof_values(proof: CheckedUpload | None, name: str, *, remove: bool = False) -> dict:
    if proof is not None:
        return {
            "proof": proof.content,
            "proof_content_type": proof.content_type,
            "proof_name": (name or f"justificatif.{proof.extension}")[:200],
        }
    if remove:
        return {"proof": b"", "proof_content_type": "", "proof_name": ""}
    return {}


def consultant_record_save(
    *,
    actor,
    membership: Membership,
    expected_version: int,
    years_in_guidance: int | None,
    previous_roles: str,
    summary: str,
) -> ConsultantRecord:
    """Save what the consultant says of their experience. A record not created yet stands
    at version 0; StaleVersion when someone saved it since `expected_version`."""
    _require_editor(actor, membership)
    values = {
        "years_in_guidance": years_in_guidance,
        "previous_roles": previous_roles.strip(),
        "summary": summary.strip(),
    }
    with transaction.atomic():
        record = ConsultantRecord.objects.select_for_update().filter(membership=membership).first()
        if record is None:
            version_require(None, expected=expected_version)
            record = ConsultantRecord(membership=membership, **values)
            record.full_clean()
            record.save(force_insert=True)
        else:
            for name, value in values.items():
                setattr(record, name, value)
            record.full_clean()
            version_bump(record, expected=expected_version, **values)
        audit_record(
            actor=actor,
            action="quality.consultant_record.save",
            target=record,
            organisation=membership.organisation,
        )
    return record


def consultant_item_add(
    *,
    actor,
    membership: Membership,
    kind: RecordItemKind,
    values: dict[str, Any],
    proof: CheckedUpload | None = None,
    proof_name: str = "",
):
    """Add a diploma, a method or a training to the record of `membership`; the model's
    checks (dates in order, a year that exists) as a ValidationError naming the field."""
    _require_editor(actor, membership)
    item = kind.model(
        membership=membership,
        **{name: values.get(name) for name in ITEM_FIELDS[kind]},
        **_proof_values(proof, proof_name),
    )
    item.full_clean(exclude=["proof"])
    with transaction.atomic():
        item.save(force_insert=True)
        audit_record(
            actor=actor,
            action=f"quality.consultant_{kind.model.__name__.lower()}.add",
            target=item,
            organisation=membership.organisation,
        )
    return item


def consultant_item_update(
    *,
    actor,
    item,
    expected_version: int,
    values: dict[str, Any],
    proof: CheckedUpload | None = None,
    proof_name: str = "",
    proof_remove: bool = False,
):
    """Change an item of a record (a new proof replaces the old one); StaleVersion when it
    changed since `expected_version`."""
    _require_editor(actor, item.membership)
    kind = item_kind_of(item)
    changes = {name: values.get(name) for name in ITEM_FIELDS[kind]}
    for name, value in changes.items():
        setattr(item, name, value)
    item.full_clean(exclude=["proof"])
    changes.update(_proof_values(proof, proof_name, remove=proof_remove))
    with transaction.atomic():
        version_bump(item, expected=expected_version, **changes)
        audit_record(
            actor=actor,
            action=f"quality.consultant_{type(item).__name__.lower()}.update",
            target=item,
            organisation=item.membership.organisation,
        )
    return item


def consultant_item_delete(*, actor, item) -> None:
    """Remove an item and its proof from the record."""
    _require_editor(actor, item.membership)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=f"quality.consultant_{type(item).__name__.lower()}.delete",
            target=item,
            organisation=item.membership.organisation,
        )
        item.delete()


def consultant_proof_read(*, actor, item) -> None:
    """Audit a download of a proof (a sensitive read: a diploma's scan)."""
    if not may_edit_record(actor, item.membership):
        raise PermissionDenied
    audit_record(
        actor=actor,
        action=f"quality.consultant_{type(item).__name__.lower()}.proof_read",
        target=item,
        organisation=item.membership.organisation,
    )
