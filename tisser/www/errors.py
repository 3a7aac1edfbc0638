"""The error views wired in `config/urls.py` (ADR 0028).

A refusal answers 404, whatever raised it: another role's space, someone else's object, a
service's PermissionDenied. Saying "forbidden" would tell that the thing exists."""

from django.views.defaults import page_not_found


def permission_denied(request, exception=None):
    """Every PermissionDenied answers the 404 page, with the 404 status."""
    return page_not_found(request, exception)
