from functools import cache

from tisser.notifications.inbox import unread_count


def unread_notifications(request):
    """The unread count shown by the header badge (`www/notifications/_badge.html`).

    The value is a memoised callable, which templates call when they resolve the variable:
    pages and HTMX partials that do not show the badge make no query, those that do make
    one COUNT. Anonymous visitors get 0 without a query."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications_count": 0}
    return {"unread_notifications_count": cache(lambda: unread_count(user=user))}
