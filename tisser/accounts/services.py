"""Writes on accounts: organisations, memberships, invitations, profiles."""

import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tisser.accounts.models import (
    Invitation,
    Membership,
    Organisation,
    User,
    invitation_default_expiry,
    invitation_token_hash,
)
from tisser.accounts.tasks import invitation_email_send
from tisser.core.audit import audit_record
from tisser.core.enums import Role
from tisser.core.models import AuditEvent

# Who may invite whom: a consultant invites beneficiaries; a coordinator builds the team.
INVITABLE_ROLES: dict[str, tuple[Role, ...]] = {
    Role.CONSULTANT: (Role.BENEFICIARY,),
    Role.COORDINATOR: (Role.CONSULTANT, Role.MENTOR, Role.COORDINATOR, Role.BENEFICIARY),
}


class InvitationInvalid(Exception):
    """The link cannot be used; `message` says why, in French, for the person holding it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class IssuedInvitation:
    """The invitation recorded. Its link does not exist yet: `invitation_email_send` creates it
    when the e-mail leaves, so that no task argument, row or log holds it (ADR 0010)."""

    invitation: Invitation


def organisation_create(*, name: str, slug: str) -> Organisation:
    organisation = Organisation(name=name, slug=slug)
    organisation.full_clean()
    organisation.save()
    return organisation


def user_create(
    *, email: str, password: str | None, first_name: str = "", last_name: str = ""
) -> User:
    """Create an account whose email address is already verified (invitation or seeding)."""
    user = User.objects.create_user(
        email=email, password=password, first_name=first_name.strip(), last_name=last_name.strip()
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _consultant_of_record(
    organisation: Organisation, role: Role, invited_by: User | None
) -> User | None:
    """A new beneficiary's consultant of record (ADR 0021): the consultant who invited them,
    if they are a consultant of that organisation; nobody when a coordinator invited them
    (the coordinator assigns one)."""
    if role != Role.BENEFICIARY or invited_by is None:
        return None
    is_consultant = Membership.objects.filter(
        user=invited_by, organisation=organisation, role=Role.CONSULTANT
    ).exists()
    return invited_by if is_consultant else None


def membership_create(
    *, user: User, organisation: Organisation, role: Role, invited_by: User | None = None
) -> Membership:
    membership = Membership(
        user=user,
        organisation=organisation,
        role=role,
        invited_by=invited_by,
        consultant=_consultant_of_record(organisation, role, invited_by),
    )
    membership.full_clean()
    membership.save()
    audit_record(
        actor=invited_by,
        action="membership.create",
        target=membership,
        organisation=organisation,
        data={"role": str(role), "user_id": user.pk},
    )
    return membership


def invitable_roles(*, inviter_membership: Membership | None) -> tuple[Role, ...]:
    if inviter_membership is None:
        return ()
    return INVITABLE_ROLES.get(inviter_membership.role, ())


def invitation_create(
    *,
    inviter: User,
    inviter_membership: Membership,
    email: str,
    role: Role,
    first_name: str = "",
    last_name: str = "",
) -> IssuedInvitation:
    """Invite `email` into the inviter's organisation with `role`.

    Preconditions: the inviter's role may invite that role (INVITABLE_ROLES); the person is
    not already a member. A pending invitation for the same email is replaced (its link
    stops working), so only the newest link is valid. The email leaves after commit, with a
    link created by the task that sends it (`invitation_link_issue`)."""
    if role not in invitable_roles(inviter_membership=inviter_membership):
        raise PermissionDenied
    organisation = inviter_membership.organisation
    email = email.strip().lower()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError({"email": _("Cette personne fait déjà partie de votre organisme.")})
    with transaction.atomic():
        now = timezone.now()
        Invitation.objects.pending().filter(organisation=organisation, email=email).update(
            revoked_at=now
        )
        invitation = Invitation(
            organisation=organisation,
            email=email,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            role=role,
            invited_by=inviter,
            # The hash of a token that nobody knows: no link works until the e-mail task
            # issues one (token_hash is unique and required).
            token_hash=invitation_token_hash(secrets.token_urlsafe(32)),
        )
        invitation.full_clean()
        invitation.save()
        audit_record(
            actor=inviter,
            action="invitation.create",
            target=invitation,
            organisation=organisation,
            data={"role": str(role)},
        )
        invitation_id = invitation.pk
        transaction.on_commit(lambda: invitation_email_send.enqueue(invitation_id=invitation_id))
    return IssuedInvitation(invitation=invitation)


def invitation_link_issue(*, invitation_id: int) -> tuple[Invitation, str] | None:
    """Give a pending invitation a new secret and return it with the raw token, to be put in
    the e-mail at once: only its SHA-256 is stored, and any previous link of this invitation
    stops working. None when the invitation is no longer pending (used, cancelled, expired,
    replaced). A short transaction: the e-mail is sent after it."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("organisation", "invited_by")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None or invitation.status != Invitation.Status.PENDING:
            return None
        raw_token = secrets.token_urlsafe(32)
        invitation.token_hash = invitation_token_hash(raw_token)
        invitation.save(update_fields=["token_hash"])
    return invitation, raw_token


# Re-sending an invitation: not more often than every RESEND_INTERVAL, and at most
# RESEND_PER_DAY times a day for one invitation (counted in the audit log, which keeps every
# re-send anyway): a mailbox is not flooded, even by a double click or a script.
RESEND_INTERVAL = timedelta(minutes=5)
RESEND_PER_DAY = 5
RESEND_ACTION = "invitation.resend"


def invitation_resend_refusal(invitation: Invitation, *, now: datetime | None = None) -> str:
    """Why `invitation` cannot be sent again now ("" when it can): used, cancelled, or sent
    too recently / too often."""
    now = now or timezone.now()
    status = invitation.status
    if status == Invitation.Status.ACCEPTED:
        return _("Cette invitation a déjà été acceptée : il n'y a rien à renvoyer.")
    if status == Invitation.Status.REVOKED:
        return _("Cette invitation a été annulée : invitez la personne à nouveau.")
    sends = AuditEvent.objects.filter(
        action=RESEND_ACTION,
        target_type=Invitation._meta.label_lower,
        target_id=str(invitation.pk),
        created_at__gte=now - timedelta(days=1),
    ).values_list("created_at", flat=True)
    last = max([invitation.created_at, *sends])
    if now - last < RESEND_INTERVAL:
        wait = RESEND_INTERVAL - (now - last)
        minutes = max(1, math.ceil(wait.total_seconds() / 60))
        return ngettext(
            "L'invitation vient d'être envoyée : vous pourrez la renvoyer dans %(count)s minute.",
            "L'invitation vient d'être envoyée : vous pourrez la renvoyer dans %(count)s minutes.",
            minutes,
        ) % {"count": minutes}
    if len(sends) >= RESEND_PER_DAY:
        return ngettext(
            "Cette invitation a déjà été renvoyée %(count)s fois aujourd'hui : réessayez demain.",
            "Cette invitation a déjà été renvoyée %(count)s fois aujourd'hui : réessayez demain.",
            len(sends),
        ) % {"count": len(sends)}
    return ""


def invitation_resend(*, actor: User, invitation: Invitation) -> Invitation:
    """Send a pending or expired invitation again, with a new link valid for
    TISSER_INVITATION_DAYS days. The previous link stops working at once (its hash is replaced
    by that of a token nobody knows); the new one is created by the e-mail task after commit,
    and only its SHA-256 is stored (ADR 0010). Refused with a French ValidationError when the
    invitation is used or cancelled, or re-sent too recently or too often
    (`invitation_resend_refusal`). The caller fetched it through `visible_to`."""
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        refusal = invitation_resend_refusal(locked)
        if refusal:
            raise ValidationError(refusal, code="resend")
        locked.token_hash = invitation_token_hash(secrets.token_urlsafe(32))
        locked.expires_at = invitation_default_expiry()
        locked.save(update_fields=["token_hash", "expires_at"])
        audit_record(
            actor=actor,
            action=RESEND_ACTION,
            target=locked,
            organisation=locked.organisation,
        )
        invitation_id = locked.pk
        transaction.on_commit(lambda: invitation_email_send.enqueue(invitation_id=invitation_id))
    return locked


def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    """Cancel a pending invitation; its link stops working at once."""
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError(_("Seule une invitation en attente peut être annulée."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action="invitation.revoke",
        target=invitation,
        organisation=invitation.organisation,
    )
    return invitation


def invitation_resolve(*, raw_token: str, for_update: bool = False) -> Invitation:
    """The invitation behind a link, or InvitationInvalid saying why it cannot be used."""
    queryset = Invitation.objects.select_related("organisation", "invited_by")
    if for_update:
        queryset = queryset.select_for_update()
    invitation = queryset.filter(token_hash=invitation_token_hash(raw_token)).first()
    if invitation is None:
        raise InvitationInvalid(_("Ce lien d'invitation n'est pas valide."))
    status = invitation.status
    if status == Invitation.Status.ACCEPTED:
        raise InvitationInvalid(
            _("Ce lien a déjà été utilisé. Connectez-vous avec votre adresse e-mail.")
        )
    if status == Invitation.Status.REVOKED:
        raise InvitationInvalid(
            _(
                "Cette invitation a été annulée. "
                "Demandez un nouveau lien à la personne qui vous a invité·e."
            )
        )
    if status == Invitation.Status.EXPIRED:
        raise InvitationInvalid(
            _("Ce lien a expiré. Demandez un nouveau lien à la personne qui vous a invité·e.")
        )
    return invitation


def _invitation_consume(*, invitation: Invitation, user: User) -> Membership:
    membership = membership_create(
        user=user,
        organisation=invitation.organisation,
        role=Role(invitation.role),
        invited_by=invitation.invited_by,
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        actor=user,
        action="invitation.accept",
        target=invitation,
        organisation=invitation.organisation,
    )
    return membership


@transaction.atomic
def invitation_accept_new_user(
    *, raw_token: str, first_name: str, last_name: str, password: str
) -> User:
    """Create the invited person's account from a valid link and consume the link.

    The email address counts as verified: the link reached that inbox."""
    invitation = invitation_resolve(raw_token=raw_token, for_update=True)
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise InvitationInvalid(
            _(
                "Un compte existe déjà pour cette adresse : "
                "connectez-vous pour accepter l'invitation."
            )
        )
    user = user_create(
        email=invitation.email, password=password, first_name=first_name, last_name=last_name
    )
    _invitation_consume(invitation=invitation, user=user)
    return user


@transaction.atomic
def invitation_accept_existing_user(*, raw_token: str, user: User) -> Membership:
    """A signed-in person joins the organisation of an invitation sent to their address."""
    invitation = invitation_resolve(raw_token=raw_token, for_update=True)
    if invitation.email.lower() != user.email.lower():
        raise InvitationInvalid(
            _("Cette invitation a été envoyée à une autre adresse e-mail que la vôtre.")
        )
    if Membership.objects.filter(user=user, organisation=invitation.organisation).exists():
        raise InvitationInvalid(_("Vous faites déjà partie de cet organisme."))
    return _invitation_consume(invitation=invitation, user=user)


def preferred_language_set(*, user: User, language: str) -> None:
    """Remember the interface language `user` chose with the language switcher (ADR 0028):
    the pages after sign-in and the e-mails follow it. An unknown code changes nothing."""
    if language not in dict(settings.LANGUAGES) or user.preferred_language == language:
        return
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])


def profile_update(*, user: User, first_name: str, last_name: str, preferred_language: str) -> User:
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.preferred_language = preferred_language
    user.full_clean()
    user.save(update_fields=["first_name", "last_name", "preferred_language"])
    audit_record(actor=user, action="profile.update", target=user)
    return user
