"""The private calendar subscription: one secret address per person, revocable."""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils.timezone import now

from tisser.accounts.models import User
from tisser.core.audit import audit_record
from tisser.meetings.models import CalendarFeed

# Calendar apps poll every few minutes: record the last fetch, but not on every hit.
FETCH_RECORD_INTERVAL = timedelta(minutes=1)
MAX_TOKEN_LENGTH = 128


def feed_token_hash(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


def calendar_feed_regenerate(*, user: User) -> str:
    """Give `user` a new subscription secret and return it — the only time it is readable:
    only its SHA-256 is stored. The previous address, if any, stops working."""
    raw_token = secrets.token_urlsafe(32)
    with transaction.atomic():
        replaced, _ = CalendarFeed.objects.filter(user=user).delete()
        feed = CalendarFeed.objects.create(user=user, token_hash=feed_token_hash(raw_token))
        audit_record(
            actor=user,
            action="calendar_feed.regenerate",
            target=feed,
            data={"replaced": bool(replaced)},
        )
    return raw_token


def calendar_feed_revoke(*, user: User) -> None:
    """Stop `user`'s subscription address from working (nothing happens without one)."""
    with transaction.atomic():
        deleted, _ = CalendarFeed.objects.filter(user=user).delete()
        if deleted:
            audit_record(actor=user, action="calendar_feed.revoke", target=user)


def calendar_feed_user(raw_token: str) -> User | None:
    """The active person whose subscription secret is `raw_token`, or None."""
    if not raw_token or len(raw_token) > MAX_TOKEN_LENGTH:
        return None
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=feed_token_hash(raw_token), user__is_active=True)
        .first()
    )
    if feed is None:
        return None
    current = now()
    CalendarFeed.objects.filter(pk=feed.pk).filter(
        Q(last_fetched_at__isnull=True) | Q(last_fetched_at__lt=current - FETCH_RECORD_INTERVAL)
    ).update(last_fetched_at=current)
    return feed.user
