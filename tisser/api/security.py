from functools import wraps

from django.http import JsonResponse


def docs_login_required(view):
    """The OpenAPI schema and docs, like the API itself, answer 401 without a session."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse({"detail": "Unauthorized"}, status=401)
        return view(request, *args, **kwargs)

    return wrapped
