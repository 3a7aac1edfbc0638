"""The one way a page asks before an action that cannot be undone (a deletion, the end of a
bilan, a cancelled meeting): the button posts as usual; the view, once it has checked that
the person may act, calls `confirmation_asked`, which answers with a page that says what
will happen and posts the same fields again with `confirmed=oui`. It works without
JavaScript and reads the same to a screen reader as any other page."""

from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

CONFIRMED = "confirmed"
YES = "oui"
# Fields never posted again: the confirmation page carries its own CSRF token.
_NOT_CARRIED = frozenset({"csrfmiddlewaretoken", CONFIRMED})


def safe_next(request: HttpRequest, default: str) -> str:
    """The `next` address posted with a form when it is on this site, else `default`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def confirmation_asked(
    request: HttpRequest,
    *,
    question: str,
    consequences: Iterable[str] = (),
    confirm_label: str,
    cancel_url: str,
    cancel_label: str | None = None,
) -> HttpResponse | None:
    """None when the person has confirmed (the view goes on); otherwise the page that asks,
    with `question` as its title, what will happen (`consequences`), a button labelled
    `confirm_label` that posts the same fields to the same address, and a way back to
    `cancel_url` (the `next` posted with the form when there is one on this site)."""
    if request.POST.get(CONFIRMED) == YES:
        return None
    carried = [
        (name, value)
        for name in request.POST
        if name not in _NOT_CARRIED
        for value in request.POST.getlist(name)
    ]
    return render(
        request,
        "components/confirm.html",
        {
            "question": question,
            "consequences": list(consequences),
            "confirm_label": confirm_label,
            "cancel_url": safe_next(request, cancel_url),
            "cancel_label": cancel_label,
            "carried": carried,
            "action": request.get_full_path(),
            "confirmed_name": CONFIRMED,
            "confirmed_value": YES,
        },
    )
