import unicodedata

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.core.exceptions import SuspiciousOperation


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Deny by default, as Django's, except for the API, which answers 401 by itself."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class ControlCharacterInURL(SuspiciousOperation):
    """A URL whose path holds a control character, or whose query holds a NUL byte."""


class RejectControlCharactersMiddleware:
    """Answer 400 to a URL that no link of the site can produce: a control character in the
    path (NUL, line breaks, escape…), or a NUL byte in the query string.

    Views pass URL parts to the database as they are, and PostgreSQL refuses any text with a
    NUL byte: such a request reached the views and ended in a 500 (ADR 0011). Checked here,
    before sessions and authentication, every URL pattern answers the same, whoever asks.
    Other control characters stay allowed in the query string: a GET form may carry a line
    break typed in a field."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(unicodedata.category(char) == "Cc" for char in request.path):
            raise ControlCharacterInURL("Control character in the URL path")
        if any("\x00" in key + "".join(values) for key, values in request.GET.lists()):
            raise ControlCharacterInURL("NUL byte in the query string")
        return self.get_response(request)
