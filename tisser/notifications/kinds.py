"""The registry of notice kinds: each app declares the kinds of message it sends.

The outbox does not know the apps above it. An app lists its kinds in a `TextChoices` class and
registers them from the module its `AppConfig.ready()` imports (`<app>/notice_kinds.py`), with
what the outbox needs to know of them at delivery:

* `rewrite(notification, channel=…)`: the text to send now, written again from the current
  state of what it is about (a meeting reminder counts the agenda when it leaves); None keeps
  the stored text. Without it, the text stored when the row was planned is sent.
* `cancel_reason(notification, now=…)`: why the message must not leave any more ("" when it
  must); checked at delivery, inside the transaction that sends it.
* `prepare(notifications)`: called once on a batch of rows of the kind before the two hooks
  above, inside the same transaction; it reads in one query what the hooks would read row by
  row and leaves it on the rows, so that a batch costs the same few queries whatever its
  size (ADR 0030). The hooks must still work on a row nobody prepared.
* `in_digest`: a person who chose the daily digest receives these in one e-mail a day.
* `action`: the notice asks its recipient to do something about an object (a profile to
  validate, a request to answer). It must say which (`about`), and it is marked done for every
  recipient when anybody does it: the service that does it calls `actions.resolve(about,
  kind)` (docs/adr/0024-notices-name-their-subject-and-expire.md).

`Notification.kind` keeps no choices in the database schema: a new kind needs no migration of
this app, only its registration (an unregistered kind is refused when a row is written)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db.models import TextChoices
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from tisser.notifications.content import Content
    from tisser.notifications.models import Notification

Rewrite = Callable[..., "Content | None"]
CancelReason = Callable[..., str]
Prepare = Callable[[list["Notification"]], None]


@dataclass(frozen=True)
class NoticeKind:
    value: str
    label: Promise | str
    rewrite: Rewrite | None = None
    cancel_reason: CancelReason | None = None
    in_digest: bool = False
    action: bool = False
    prepare: Prepare | None = None


_registry: dict[str, NoticeKind] = {}


def register(
    kinds: Iterable[TextChoices],
    *,
    rewrite: Rewrite | None = None,
    cancel_reason: CancelReason | None = None,
    in_digest: bool = False,
    action: bool = False,
    prepare: Prepare | None = None,
) -> None:
    """Declare `kinds` (members of a `TextChoices`), all with the same delivery hooks.

    Registering the same kind again with the same hooks is harmless (a module imported twice);
    two apps claiming one value is a programming error."""
    for kind in kinds:
        entry = NoticeKind(
            value=kind.value,
            label=kind.label,
            rewrite=rewrite,
            cancel_reason=cancel_reason,
            in_digest=in_digest,
            action=action,
            prepare=prepare,
        )
        known = _registry.get(entry.value)
        if known is not None and known != entry:
            raise ImproperlyRegistered(f"notice kind {entry.value!r} is registered twice")
        _registry[entry.value] = entry


class ImproperlyRegistered(Exception):
    """Two registrations disagree about one notice kind."""


def notice_kind(value: str) -> NoticeKind:
    """The registered kind `value`; LookupError when no app declared it."""
    try:
        return _registry[value]
    except KeyError:
        raise LookupError(f"unknown notice kind: {value!r}") from None


def notice_kinds() -> list[NoticeKind]:
    return sorted(_registry.values(), key=lambda kind: kind.value)


def action_kinds() -> list[str]:
    """The kinds that ask for an action and are marked done once it is done."""
    return [kind.value for kind in notice_kinds() if kind.action]


def digest_kinds() -> list[str]:
    """The kinds a daily digest gathers."""
    return [kind.value for kind in notice_kinds() if kind.in_digest]


def kind_label(value: str) -> str:
    """What a person reads for `value`; the raw value for a kind no app declares any more (old
    rows stay readable)."""
    entry = _registry.get(value)
    return str(entry.label) if entry is not None else value


def validate_kind(value: str) -> None:
    """Field validator of `Notification.kind`."""
    if value not in _registry:
        raise ValidationError(
            _("Type de notification inconnu : %(value)s"), params={"value": value}
        )


def rewrite_for(notification: "Notification", *, channel: str) -> "Content | None":
    entry = _registry.get(notification.kind)
    if entry is None or entry.rewrite is None:
        return None
    return entry.rewrite(notification, channel=channel)


def cancel_reason_for(notification: "Notification", *, now: datetime) -> str:
    entry = _registry.get(notification.kind)
    if entry is None or entry.cancel_reason is None:
        return ""
    return entry.cancel_reason(notification, now=now)


def prepare_for_delivery(notifications: list["Notification"]) -> None:
    """Run each kind's `prepare` once, on the rows of `notifications` it covers."""
    by_prepare: dict[Prepare, list[Notification]] = {}
    for notification in notifications:
        entry = _registry.get(notification.kind)
        if entry is not None and entry.prepare is not None:
            by_prepare.setdefault(entry.prepare, []).append(notification)
    for prepare, rows in by_prepare.items():
        prepare(rows)
