"""Action notices expire with their action (docs/adr/0024-notices-name-their-subject-and-expire.md).

A notice of a kind registered with `action=True` ("Profil de mentor à valider", "Demande de
mentorat reçue"…) carries the object it asks about (`Notification.about`). The service that
does the action — whoever does it: the recipient, another coordinator, the person who
withdrew the request, the expiry job — calls `resolve(about, kind, …)` in its transaction:

* a notice already delivered is marked done (`done_at`): it reads "Fait" in the notification
  centre and leaves the unread count, for every recipient;
* a notice not delivered yet is cancelled (and marked done): nobody is asked to do what is
  already done.

One UPDATE per call, whatever the number of recipients."""

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from tisser.notifications.kinds import notice_kind
from tisser.notifications.models import Notification


def resolve(
    about: models.Model,
    *kinds: str,
    recipient: models.Model | None = None,
    now: datetime | None = None,
) -> int:
    """Mark done the action notices of `kinds` about `about`, for every recipient; return how
    many changed. Idempotent: notices already done keep the time they were done.

    `recipient` narrows it to one person, for an action each recipient owes for themselves
    (each member of a mentorship gives their own feedback).

    Every kind must be an action kind (ValueError otherwise: resolving an information notice
    is a programming error)."""
    if not kinds:
        raise ValueError("resolve() needs at least one notice kind")
    for kind in kinds:
        if not notice_kind(kind).action:
            raise ValueError(f"{kind!r} is not an action notice kind")
    now = now or timezone.now()
    rows = Notification.objects.filter(
        about_type=ContentType.objects.get_for_model(about),
        about_id=about.pk,
        kind__in=[str(kind) for kind in kinds],
        done_at__isnull=True,
    )
    if recipient is not None:
        rows = rows.filter(recipient_id=recipient.pk)
    cancelled = rows.filter(status=Notification.Status.PENDING).update(
        status=Notification.Status.CANCELLED, last_error="done", done_at=now
    )
    return cancelled + rows.update(done_at=now)
