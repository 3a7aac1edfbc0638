"""Sharing the document de synthèse: it belongs to the beneficiary and reaches nobody else
without their recorded consent naming the recipient, revocable at any time. The recipient gets
a private link by e-mail; only the SHA-256 of its token is stored, and the link serves the PDF
only while the consent stands. Every download is recorded."""

import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tisser.accounts.models import User
from tisser.bilans.models import (
    SynthesisDocument,
    SynthesisShare,
    SynthesisShareDownload,
    share_token_hash,
)
from tisser.bilans.services.synthesis import synthesis_pdf_current, synthesis_pdf_filename
from tisser.core.audit import audit_record


@dataclass(frozen=True)
class ShareRecipient:
    name: str
    email: str
    role: str
    purpose: str
    organisation: str = ""
    # The recipient is the person's conseil en évolution professionnelle (L6313-4): the
    # synthèse is then kept one year from the share (R6313-7).
    to_cep: bool = False


@dataclass(frozen=True)
class IssuedShare:
    """The consent recorded. Its link does not exist yet: the e-mail task creates it
    (`synthesis_share_link_issue`), so that no task argument, row or log holds it (ADR 0010)."""

    share: SynthesisShare


class ShareUnknown(Exception):
    """No consent has this link."""


class ShareRevoked(Exception):
    """The beneficiary withdrew their consent: the link no longer gives the synthèse."""

    def __init__(self, share: SynthesisShare):
        self.share = share
        super().__init__(_("La personne a retiré son accord : ce document n'est plus partagé."))


def synthesis_share_create(
    *, beneficiary: User, document: SynthesisDocument, recipient: ShareRecipient
) -> IssuedShare:
    """Record the beneficiary's consent to share their validated synthèse with `recipient`
    (the beneficiary only: PermissionDenied otherwise) and e-mail the recipient a private
    link, after the commit."""
    if not (beneficiary.is_authenticated and beneficiary.pk == document.bilan.beneficiary_id):
        raise PermissionDenied
    if not document.is_validated:
        raise ValidationError(
            _("Vous pourrez partager votre synthèse une fois que vous l'aurez validée."),
            code="not_validated",
        )
    errors = {}
    for field, value, message in (
        ("recipient_name", recipient.name, _("Indiquez le nom de la personne.")),
        ("recipient_email", recipient.email, _("Indiquez son adresse e-mail.")),
        ("recipient_role", recipient.role, _("Indiquez sa fonction.")),
        ("purpose", recipient.purpose, _("Dites pourquoi vous lui transmettez la synthèse.")),
    ):
        if not value.strip():
            errors[field] = [message]
    if errors:
        raise ValidationError(errors, code="required")
    with transaction.atomic():
        share = SynthesisShare(
            document=document,
            recipient_name=recipient.name.strip(),
            recipient_email=recipient.email.strip(),
            recipient_role=recipient.role.strip(),
            recipient_organisation=recipient.organisation.strip(),
            purpose=recipient.purpose.strip(),
            to_cep=recipient.to_cep,
            # The hash of a token that nobody knows: no link works until the e-mail task
            # issues one (token_hash is unique and required).
            token_hash=share_token_hash(secrets.token_urlsafe(32)),
            given_at=timezone.now(),
        )
        share.full_clean()
        share.save()
        audit_record(
            actor=beneficiary,
            action="synthesis.share_create",
            target=share,
            organisation=document.bilan.organisation,
            data={
                "document_id": document.pk,
                "recipient_role": share.recipient_role,
                "to_cep": share.to_cep,
            },
        )
        share_id = share.pk
        transaction.on_commit(lambda: _email_soon(share_id))
    return IssuedShare(share=share)


def _email_soon(share_id: int) -> None:
    # Imported here: the task module imports the bilans services, this one included.
    from tisser.bilans.tasks import synthesis_share_email_send

    synthesis_share_email_send.enqueue(share_id=share_id)


def synthesis_share_link_issue(*, share_id: int) -> tuple[SynthesisShare, str] | None:
    """Give a share not yet e-mailed, and not revoked, a new secret and return it with the raw
    token, to be put in the e-mail at once: only its SHA-256 is stored, and a link issued
    before stops working. None when there is nothing to send. A short transaction: the e-mail
    is sent after it."""
    with transaction.atomic():
        share = (
            SynthesisShare.objects.select_for_update()
            .select_related("document__bilan__beneficiary", "document__bilan__organisation")
            .filter(pk=share_id, revoked_at__isnull=True, email_sent_at__isnull=True)
            .first()
        )
        if share is None:
            return None
        raw_token = secrets.token_urlsafe(32)
        share.token_hash = share_token_hash(raw_token)
        share.save(update_fields=["token_hash"])
    return share, raw_token


def synthesis_share_email_sent(*, share: SynthesisShare) -> None:
    SynthesisShare.objects.filter(pk=share.pk).update(email_sent_at=timezone.now())


def synthesis_share_revoke(*, beneficiary: User, share: SynthesisShare) -> SynthesisShare:
    """Withdraw a consent (the beneficiary only): the link stops working at once. Revoking
    again changes nothing."""
    document = share.document
    if not (beneficiary.is_authenticated and beneficiary.pk == document.bilan.beneficiary_id):
        raise PermissionDenied
    with transaction.atomic():
        revoked = SynthesisShare.objects.filter(pk=share.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if revoked:
            audit_record(
                actor=beneficiary,
                action="synthesis.share_revoke",
                target=share,
                organisation=document.bilan.organisation,
                data={"document_id": document.pk},
            )
    share.refresh_from_db()
    return share


def synthesis_share_resolve(*, raw_token: str) -> SynthesisShare:
    """The share a link names: ShareUnknown when none, ShareRevoked once withdrawn."""
    share = (
        SynthesisShare.objects.select_related(
            "document__bilan__beneficiary", "document__bilan__organisation"
        )
        .filter(token_hash=share_token_hash(raw_token))
        .first()
    )
    if share is None:
        raise ShareUnknown
    if share.revoked_at is not None:
        raise ShareRevoked(share)
    return share


def synthesis_share_download(*, raw_token: str, user_agent: str = "") -> tuple[bytes, str] | None:
    """The PDF a recipient downloads through their link, and its file name; None while the
    PDF is still being prepared. ShareUnknown / ShareRevoked as `synthesis_share_resolve`.
    The download is recorded (for the beneficiary to see) and in the audit log."""

    share = synthesis_share_resolve(raw_token=raw_token)
    document = share.document
    pdf = synthesis_pdf_current(document)
    if pdf is None:
        return None
    with transaction.atomic():
        # Re-read under a lock: a consent withdrawn a moment ago gives nothing.
        if not SynthesisShare.objects.select_for_update().filter(
            pk=share.pk, revoked_at__isnull=True
        ):
            share.refresh_from_db()
            raise ShareRevoked(share)
        SynthesisShareDownload.objects.create(
            share=share, at=timezone.now(), user_agent=user_agent[:200]
        )
        audit_record(
            actor=None,
            action="synthesis.share_download",
            target=share,
            organisation=document.bilan.organisation,
            data={"document_id": document.pk},
        )
    return bytes(pdf.content), synthesis_pdf_filename(document)
