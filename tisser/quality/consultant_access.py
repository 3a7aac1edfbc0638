"""How pages fetch a consultant's record (ADR 0008): the consultant's own, or any consultant's
of an organisation the person coordinates; anyone else's answers 404."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from tisser.accounts.models import Membership
from tisser.core.enums import Role
from tisser.quality.services.consultants import RecordItemKind, may_edit_record


def access_consultant_membership(user, membership_id: int) -> Membership:
    """The consultant membership `membership_id` when `user` is that consultant (active) or
    an active coordinator of its organisation; 404 otherwise."""
    membership = get_object_or_404(
        Membership.objects.visible_to(user)
        .filter(role=Role.CONSULTANT)
        .select_related("user", "organisation"),
        pk=membership_id,
    )
    if not may_edit_record(user, membership):
        raise Http404
    return membership


def item_kind(kind: str) -> RecordItemKind:
    try:
        return RecordItemKind(kind)
    except ValueError:
        raise Http404 from None


def access_consultant_item(user, membership_id: int, kind: str, item_id: int):
    """An item (diploma, method, training) of a record `user` may open; 404 otherwise."""
    membership = access_consultant_membership(user, membership_id)
    model = item_kind(kind).model
    return get_object_or_404(
        model.objects.visible_to(user).select_related("membership__organisation"),
        pk=item_id,
        membership=membership,
    )
