"""Commitments and their check-ins: each current member of an active group commits to one to
three actions per period (a week or a month, per the group's rhythm), then says how it went.

Only the member who made a commitment edits it (until they check it in) and checks it in
(once, when its period has started). Every write moves the group's last activity."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tisser.accounts.models import User
from tisser.core.audit import audit_record
from tisser.core.versioning import version_bump
from tisser.peers.models import MAX_COMMITMENTS_PER_PERIOD, Commitment, PeerGroup, PeerGroupMember
from tisser.peers.periods import period_of


def is_active_member(user: User, group: PeerGroup) -> bool:
    """`user` has joined `group` (accepted, not left) and the group is active."""
    return (
        group.status == PeerGroup.Status.ACTIVE
        and group.members.filter(user=user, status=PeerGroupMember.Status.ACCEPTED).exists()
    )


def require_active_member(user: User, group: PeerGroup) -> None:
    """PermissionDenied unless `user` is a current member; a ValidationError when the group
    is not active (not published yet, or ended)."""
    if not group.members.filter(user=user, status=PeerGroupMember.Status.ACCEPTED).exists():
        raise PermissionDenied
    if group.status != PeerGroup.Status.ACTIVE:
        raise ValidationError(
            _("Ce groupe n'est pas actif : ses engagements ne peuvent pas être modifiés."),
            code="inactive",
        )


def group_touch(group: PeerGroup, *, at=None) -> None:
    PeerGroup.objects.filter(pk=group.pk).update(last_activity_at=at or timezone.now())


def _text(text: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Écrivez ce à quoi vous vous engagez.")})
    if len(text) > 300:
        raise ValidationError({"text": _("Un engagement tient en 300 caractères au plus.")})
    return text


def _lock(group: PeerGroup) -> PeerGroup:
    return PeerGroup.objects.select_for_update().get(pk=group.pk)


@transaction.atomic
def commitment_add(
    *, actor: User, group: PeerGroup, text: str, today: date | None = None
) -> Commitment:
    """A commitment of `actor` for the current period of `group` (MAX_COMMITMENTS_PER_PERIOD
    at most per member and period)."""
    group = _lock(group)
    require_active_member(actor, group)
    period = period_of(group.rhythm, today or timezone.localdate())
    text = _text(text)
    taken = Commitment.objects.filter(group=group, user=actor, period_start=period.start).count()
    if taken >= MAX_COMMITMENTS_PER_PERIOD:
        raise ValidationError(
            {
                "text": _(
                    "Vous avez déjà pris %(max)s engagements pour cette période : c'est le "
                    "maximum. Mieux vaut peu d'engagements tenus que beaucoup d'oubliés."
                )
                % {"max": MAX_COMMITMENTS_PER_PERIOD}
            },
            code="too_many",
        )
    commitment = Commitment.objects.create(
        group=group,
        user=actor,
        period_start=period.start,
        period_end=period.end,
        text=text,
    )
    group_touch(group, at=commitment.created_at)
    audit_record(
        actor=actor,
        action="peers.commitment_add",
        target=commitment,
        organisation=group.organisation,
        data={"period_start": period.start.isoformat()},
    )
    return commitment


def _own_locked(actor: User, commitment: Commitment) -> Commitment:
    locked = Commitment.objects.select_for_update().select_related("group").get(pk=commitment.pk)
    if locked.user_id != actor.pk:
        raise PermissionDenied
    require_active_member(actor, locked.group)
    return locked


@transaction.atomic
def commitment_update(
    *, actor: User, commitment: Commitment, text: str, expected_version: int
) -> Commitment:
    """Reword one's own commitment before checking it in; StaleVersion if it was saved
    meanwhile (in another tab)."""
    locked = _own_locked(actor, commitment)
    if locked.checked_in_at is not None:
        raise ValidationError(
            _("Le bilan de cet engagement est fait : il ne peut plus être modifié."),
            code="checked_in",
        )
    version_bump(
        locked,
        expected=expected_version,
        message=_(
            "Cet engagement a été modifié entre-temps. Rien n'a été enregistré : comparez "
            "avec la version enregistrée, dans le tableau."
        ),
        text=_text(text),
    )
    group_touch(locked.group)
    audit_record(
        actor=actor,
        action="peers.commitment_update",
        target=locked,
        organisation=locked.group.organisation,
    )
    return locked


@transaction.atomic
def commitment_check_in(
    *,
    actor: User,
    commitment: Commitment,
    outcome: Commitment.Outcome | str,
    comment: str = "",
    today: date | None = None,
) -> Commitment:
    """Say how one's own commitment went: done, partly done or not done, with an optional
    comment — once, when its period has started."""
    locked = _own_locked(actor, commitment)
    if locked.checked_in_at is not None:
        raise ValidationError(_("Le bilan de cet engagement est déjà fait."), code="checked_in")
    if (today or timezone.localdate()) < locked.period_start:
        raise ValidationError(
            _("La période de cet engagement n'a pas encore commencé."), code="not_started"
        )
    try:
        outcome = Commitment.Outcome(outcome)
    except ValueError:
        message = _("Dites si c'est fait, en partie ou pas fait.")
        raise ValidationError({"outcome": message}) from None
    locked.outcome = outcome
    locked.comment = comment.strip()
    locked.checked_in_at = timezone.now()
    locked.version += 1
    locked.save(update_fields=["outcome", "comment", "checked_in_at", "version"])
    group_touch(locked.group, at=locked.checked_in_at)
    audit_record(
        actor=actor,
        action="peers.commitment_check_in",
        target=locked,
        organisation=locked.group.organisation,
        data={"outcome": outcome},
    )
    return locked
