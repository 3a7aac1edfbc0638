"""The safety net's one write: a person tells their consultant, with their explicit
agreement, that their situation at work is hard (harassment, discrimination, a toxic
environment) — docs/adr/0020-safety-net.md.

Rules:
- only with the person's agreement, given each time (`consent=True`); without it nothing is
  stored and nobody is told (the page only shows the resources);
- the consultant told is the person's consultant: the one named by their active beneficiary
  membership (its consultant of record, ADR 0003 and 0021), still an active consultant of
  that organisation. It is also the consultant of their bilan (only they can open it) and
  the one who already sees their isolation checks. Nobody else is told: not a colleague,
  never a coordinator;
- the message names the person and nothing of what they wrote; the note stays in the app;
- one request at a time: a new one replaces the previous one;
- withdrawing deletes it, with its notices (an e-mail already sent cannot be recalled);
- what is left is deleted `TISSER_SAFETY_CONCERN_DAYS` days after it was written."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tisser.accounts.models import Membership, User
from tisser.assessments.models import SafetyConcern
from tisser.assessments.notice_kinds import AssessmentNotice, safety_concern_key_prefix
from tisser.assessments.notices import safety_concern_content
from tisser.core.audit import audit_record
from tisser.core.enums import Role
from tisser.notifications.models import Channel, Notification
from tisser.notifications.services import channels_for, notification_create

NOTE_MAX_CHARS = 2000
DEFAULT_RETENTION_DAYS = 90


def retention_days() -> int:
    return int(getattr(settings, "TISSER_SAFETY_CONCERN_DAYS", DEFAULT_RETENTION_DAYS))


def _beneficiary_membership(user: User) -> Membership | None:
    if not (user.is_authenticated and user.is_active):
        return None
    return (
        Membership.objects.filter(user=user, role=Role.BENEFICIARY, is_active=True)
        .select_related("organisation", "consultant")
        .order_by("id")
        .first()
    )


def safety_consultant_of(user: User) -> User | None:
    """The consultant `user` may tell: their consultant of record (first active beneficiary
    membership, ADR 0021), if that person is active and still an active consultant of the
    organisation; None otherwise."""
    membership = _beneficiary_membership(user)
    if membership is None or membership.consultant is None:
        return None
    consultant = membership.consultant
    if not consultant.is_active:
        return None
    still_consultant = Membership.objects.filter(
        user=consultant,
        organisation_id=membership.organisation_id,
        role=Role.CONSULTANT,
        is_active=True,
    ).exists()
    return consultant if still_consultant else None


FORGET_CHUNK = 1000


def _forget(concerns) -> int:
    """Delete `concerns` and every notice about them (sent or not). Returns how many
    concerns went."""
    ids = list(concerns.values_list("pk", flat=True))
    # A thousand concerns per statement: the notices by their exact keys (one per channel).
    for start in range(0, len(ids), FORGET_CHUNK):
        chunk = ids[start : start + FORGET_CHUNK]
        Notification.objects.filter(
            kind=AssessmentNotice.SAFETY_CONCERN,
            idempotency_key__in=[
                f"{safety_concern_key_prefix(concern_id)}{channel}"
                for concern_id in chunk
                for channel in Channel.values
            ],
        ).delete()
        SafetyConcern.objects.filter(pk__in=chunk).delete()
    return len(ids)


def safety_concern_tell(
    *,
    user: User,
    situation: SafetyConcern.Situation | str,
    note: str = "",
    consent: bool,
) -> SafetyConcern:
    """Record what `user` chose to tell their consultant and tell them ("X souhaite en parler
    avec vous", without the note). Only an active beneficiary with a consultant may; the
    agreement must be explicit (`consent=True`), otherwise ValidationError on "consent" and
    nothing is stored. A previous request of theirs is replaced."""
    membership = _beneficiary_membership(user)
    if membership is None:
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if situation not in SafetyConcern.Situation.values:
        errors["situation"] = [_("Choisissez ce qui décrit le mieux votre situation.")]
    note = (note or "").strip()
    if len(note) > NOTE_MAX_CHARS:
        errors["note"] = [
            _("Votre message dépasse %(limit_value)d caractères : raccourcissez-le.")
            % {"limit_value": NOTE_MAX_CHARS}
        ]
    if not consent:
        errors["consent"] = [
            _(
                "Cochez cette case si vous souhaitez que votre conseiller·ère soit prévenu·e ; "
                "sinon, rien n'est enregistré."
            )
        ]
    consultant = safety_consultant_of(user)
    if consultant is None:
        errors.setdefault("__all__", []).append(
            _(
                "Vous n'avez pas de conseiller·ère dans Tisser pour le moment : "
                "personne ne peut être prévenu·e."
            )
        )
    if errors:
        raise ValidationError(errors)
    assert consultant is not None
    with transaction.atomic():
        _forget(SafetyConcern.objects.filter(user=user))
        concern = SafetyConcern.objects.create(
            user=user,
            organisation_id=membership.organisation_id,
            consultant=consultant,
            situation=situation,
            note=note,
        )
        for channel in channels_for(consultant):
            content = safety_concern_content(
                concern_id=concern.pk, person=user, recipient=consultant, channel=channel
            )
            notification_create(
                recipient=consultant,
                channel=channel,
                kind=AssessmentNotice.SAFETY_CONCERN,
                idempotency_key=f"{safety_concern_key_prefix(concern.pk)}{channel}",
                subject=content.subject,
                body=content.body,
                url=content.url,
            )
        # Who told whom, never what: the situation and the note stay out of the audit log.
        audit_record(
            actor=user,
            action="safety_concern.tell",
            target=concern,
            organisation=membership.organisation,
            data={"consultant_id": consultant.pk},
        )
    return concern


def safety_concern_withdraw(*, actor: User, concern: SafetyConcern) -> None:
    """The person takes back what they said: the request and its notices are deleted. Only
    its author may."""
    if not actor.is_authenticated or concern.user_id != actor.pk:
        raise PermissionDenied
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="safety_concern.withdraw",
            target=concern,
            organisation=concern.organisation,
        )
        _forget(SafetyConcern.objects.filter(pk=concern.pk))


def safety_concern_read(*, actor: User, concern: SafetyConcern) -> None:
    """Log that the consultant read the request (a sensitive read); the author reading
    their own is not logged. The caller fetched it through `visible_to`."""
    if actor.pk == concern.user_id:
        return
    audit_record(
        actor=actor,
        action="safety_concern.read",
        target=concern,
        organisation=concern.organisation,
        data={"person_id": concern.user_id},
    )


def safety_concerns_expire(
    *, now: datetime | None = None, organisation_id: int | None = None
) -> int:
    """Delete the requests written more than `TISSER_SAFETY_CONCERN_DAYS` days ago (in
    `organisation_id`, or in every organisation), with their notices. Returns how many
    went. Three queries per thousand requests."""
    now = now or timezone.now()
    concerns = SafetyConcern.objects.filter(created_at__lt=now - timedelta(days=retention_days()))
    if organisation_id is not None:
        concerns = concerns.filter(organisation_id=organisation_id)
    with transaction.atomic():
        return _forget(concerns)
