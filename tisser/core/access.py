"""Role guards for the spaces of `www/`.

Objects are always fetched through `Model.objects.visible_to(user)`; these guards only
decide who may enter a space at all.
"""

from collections.abc import Callable
from functools import wraps

from django.http import Http404

from tisser.core.enums import Role


def role_required(*roles: Role) -> Callable:
    """Let in only users whose current membership has one of `roles`: anyone else gets the
    404 page, as for someone else's object (ADR 0028)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            membership = request.membership
            if membership is None or membership.role not in roles:
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
