"""The audit log: services call `audit_record` for every sensitive read and every write.

An app above may follow the log (ADR 0009): `audit_follow(fn)` from its `ready()`, and
`fn(event, target)` runs after each entry is written, in the writer's transaction. The
bilans keep their "last activity" this way (`tisser.bilans.activity`): every activity of a
bilan already writes an entry here, whichever app it happens in."""

from collections.abc import Callable
from typing import Any

from django.db import models

from tisser.core.models import AuditEvent

Follower = Callable[[AuditEvent, models.Model | None], None]

_followers: list[Follower] = []


def audit_follow(follower: Follower) -> Follower:
    """Run `follower(event, target)` after every `audit_record`; registering twice is once."""
    if follower not in _followers:
        _followers.append(follower)
    return follower


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    organisation=None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    event = AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        organisation=organisation,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        data=data or {},
    )
    for follower in _followers:
        follower(event, target)
    return event
