"""The audit log: services call `audit_record` for every sensitive read and every write.

An app above may follow the log (ADR 0009): `audit_follow(fn)` from its `ready()`, and
`fn(event, target)` runs after each entry is written, in the writer's transaction. The
bilans keep their "last activity" this way (`tisser.bilans.activity`): every activity of a
bilan already writes an entry here, whichever app it happens in.

A batch job writes its entries together (`audit_record_many`, one INSERT); a follower that
gives `many=fn(events)` follows them in a fixed number of queries too, the others entry by
entry."""

from collections.abc import Callable, Sequence
from typing import Any

from django.db import models

from tisser.core.models import AuditEvent

Follower = Callable[[AuditEvent, models.Model | None], None]
ManyFollower = Callable[[Sequence[AuditEvent]], None]

_followers: list[Follower] = []
_many: dict[Follower, ManyFollower] = {}


def audit_follow(follower: Follower, *, many: ManyFollower | None = None) -> Follower:
    """Run `follower(event, target)` after every `audit_record`, and `many(events)` (or
    `follower` on each) after every `audit_record_many`; registering twice is once."""
    if follower not in _followers:
        _followers.append(follower)
    if many is not None:
        _many[follower] = many
    return follower


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    organisation=None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    event = audit_entry(
        actor=actor, action=action, target=target, organisation=organisation, data=data
    )
    event.save(force_insert=True)
    for follower in _followers:
        follower(event, target)
    return event


def audit_entry(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    organisation=None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """An entry not yet written, for `audit_record_many`."""
    return AuditEvent(
        actor=actor if actor is not None and actor.is_authenticated else None,
        organisation=organisation,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        data=data or {},
    )


def audit_record_many(entries: Sequence[AuditEvent]) -> list[AuditEvent]:
    """Write the entries of a batch (`audit_entry`) in one INSERT, then run the followers:
    `many` once for them all, or the follower on each (without its target object)."""
    events = AuditEvent.objects.bulk_create(entries)
    if not events:
        return events
    for follower in _followers:
        many = _many.get(follower)
        if many is not None:
            many(events)
        else:
            for event in events:
                follower(event, None)
    return events
