"""The private calendar subscription: an address with a secret that calendar apps poll."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tisser.meetings import ical
from tisser.meetings import services as meetings
from tisser.meetings.models import CalendarFeed


@require_http_methods(["GET", "POST"])
def feed_manage(request):
    new_url = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            meetings.calendar_feed_revoke(user=request.user)
            messages.success(request, _("L'adresse d'abonnement est désactivée."))
            return redirect("meetings:feed")
        token = meetings.calendar_feed_regenerate(user=request.user)
        new_url = request.build_absolute_uri(reverse("meetings:feed_ics", args=[token]))
    feed = CalendarFeed.objects.filter(user=request.user).first()
    return render(request, "www/meetings/feed.html", {"feed": feed, "new_url": new_url})


@login_not_required
def feed_ics(request, token: str):
    """Calendar apps cannot sign in: the secret in the address is the credential."""
    user = meetings.calendar_feed_user(token)
    if user is None:
        raise Http404
    response = HttpResponse(ical.feed_ics(user), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response
