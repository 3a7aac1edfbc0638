"""How pages fetch an isolation check (ADR 0008): through `visible_to`, someone else's check
answers 404."""

from django.shortcuts import get_object_or_404

from tisser.assessments.models import IsolationCheck


def access_isolation_check(user, check_id: int) -> IsolationCheck:
    """A check `user` may read: their own, or one of a beneficiary they invited as
    consultant (`IsolationCheck.objects.visible_to`)."""
    return get_object_or_404(
        IsolationCheck.objects.visible_to(user).select_related("user", "organisation"),
        pk=check_id,
    )
