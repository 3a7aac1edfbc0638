"""Role guards for the spaces of `www/`.

Objects are always fetched through `Model.objects.visible_to(user)`; these guards only
decide who may enter a space at all.
"""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied

from tisser.core.enums import Role


def role_required(*roles: Role) -> Callable:
    """Let in only users whose current membership has one of `roles` (403 otherwise)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            membership = request.membership
            if membership is None or membership.role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
