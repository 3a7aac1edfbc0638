"""The organisme's own documents for Qualiopi (`OrganismeDocument`): upload, replace or edit,
delete — the coordinator's only, each audited. The file is checked by
`tisser.quality.files.upload_check` (a PDF, PNG or JPEG of at most 5 Mo, told by its first
bytes); an edit that races another raises `StaleVersion` (ADR 0007)."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from tisser.accounts.access import require_coordinator_of
from tisser.accounts.models import Membership, Organisation, User
from tisser.core.audit import audit_record
from tisser.core.enums import Role
from tisser.core.versioning import version_bump
from tisser.quality.files import upload_check
from tisser.quality.models import DocumentKind, OrganismeDocument
from tisser.quality.models.documents import indicators_check

# Who may keep a document up to date: the organisation's staff.
OWNER_ROLES = (Role.COORDINATOR, Role.CONSULTANT)


@dataclass(frozen=True)
class DocumentFields:
    """What the coordinator writes about a document (the file apart)."""

    kind: str
    indicators: list[int]
    title: str
    document_date: date
    owner: User
    review_due_on: date | None = None


def owners_of(organisation: Organisation):
    """The people who may be named a document's owner: the active coordinators and
    consultants of the organisation, by name."""
    return User.objects.filter(
        memberships__organisation=organisation,
        memberships__is_active=True,
        memberships__role__in=OWNER_ROLES,
    ).distinct()


def _fields_check(organisation: Organisation, fields: DocumentFields) -> dict:
    errors: dict[str, list] = {}
    if fields.kind not in DocumentKind.values:
        errors["kind"] = [_("Choisissez un type de document dans la liste.")]
    try:
        indicators = indicators_check(list(fields.indicators))
    except ValidationError as error:
        errors["indicators"] = error.messages
        indicators = []
    if not fields.title.strip():
        errors["title"] = [_("Donnez un titre au document.")]
    if (
        not Membership.objects.active()
        .filter(user=fields.owner, organisation=organisation, role__in=OWNER_ROLES)
        .exists()
    ):
        errors["owner"] = [
            _("Choisissez une personne de l'équipe : une coordinatrice ou un consultant actif.")
        ]
    if fields.review_due_on is not None and fields.review_due_on < fields.document_date:
        errors["review_due_on"] = [
            _("La date de révision suit la date du document : corrigez l'une ou l'autre.")
        ]
    if errors:
        raise ValidationError(errors)
    return {
        "kind": fields.kind,
        "indicators": indicators,
        "title": fields.title.strip(),
        "document_date": fields.document_date,
        "owner": fields.owner,
        "review_due_on": fields.review_due_on,
    }


def _file_values(upload: UploadedFile) -> dict:
    try:
        checked = upload_check(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    name = get_valid_filename(upload.name or "") or "document"
    stem = name.rsplit(".", 1)[0][:150] or "document"
    return {
        "content": checked.content,
        "content_type": checked.content_type,
        "filename": f"{stem}.{checked.extension}",
        "size": len(checked.content),
    }


def _values(
    organisation: Organisation,
    fields: DocumentFields,
    upload: UploadedFile | None,
    *,
    file_required: bool,
) -> dict:
    """The row's values from `fields` and `upload`; one ValidationError naming every field
    that is wrong, the file's included."""
    values: dict = {}
    errors: dict[str, list] = {}
    try:
        values = _fields_check(organisation, fields)
    except ValidationError as error:
        errors.update(error.message_dict)
    if upload is None and file_required:
        errors["file"] = [_("Choisissez le fichier du document (PDF, PNG ou JPEG).")]
    elif upload is not None:
        try:
            values.update(_file_values(upload))
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def organisme_document_upload(
    *,
    coordinator: User,
    organisation: Organisation,
    fields: DocumentFields,
    upload: UploadedFile | None,
) -> OrganismeDocument:
    """A new document of `organisation`, with its file."""
    require_coordinator_of(coordinator, organisation)
    values = _values(organisation, fields, upload, file_required=True)
    now = timezone.now()
    document = OrganismeDocument.objects.create(
        organisation=organisation,
        created_by=coordinator,
        created_at=now,
        updated_at=now,
        **values,
    )
    audit_record(
        actor=coordinator,
        action="quality.document_upload",
        target=document,
        organisation=organisation,
        data={"kind": document.kind, "indicators": document.indicators},
    )
    return document


@transaction.atomic
def organisme_document_update(
    *,
    coordinator: User,
    document: OrganismeDocument,
    fields: DocumentFields,
    upload: UploadedFile | None,
    expected_version: int,
) -> OrganismeDocument:
    """New details for `document`, and a new file when `upload` is given (the former one
    is replaced); its version goes up by one."""
    require_coordinator_of(coordinator, document.organisation_id)
    values = _values(document.organisation, fields, upload, file_required=False)
    version_bump(
        document,
        expected=expected_version,
        message=_("Quelqu'un a modifié ce document pendant que vous le modifiiez."),
        updated_at=timezone.now(),
        **values,
    )
    audit_record(
        actor=coordinator,
        action="quality.document_update",
        target=document,
        organisation=document.organisation,
        data={"file_replaced": upload is not None, "version": document.version},
    )
    return document


@transaction.atomic
def organisme_document_delete(*, coordinator: User, document: OrganismeDocument) -> None:
    """Delete `document` and its file."""
    require_coordinator_of(coordinator, document.organisation_id)
    audit_record(
        actor=coordinator,
        action="quality.document_delete",
        target=document,
        organisation=document.organisation,
        data={"kind": document.kind, "title": document.title},
    )
    document.delete()
