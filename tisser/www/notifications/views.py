"""The in-app notification centre, open to every signed-in person whatever their role:
each sees only the notifications addressed to them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseStopPolling, trigger_client_event

from tisser.notifications.inbox import (
    inbox_for,
    notification_mark_read,
    notifications_mark_all_read,
    preference_update,
    unread_count,
)
from tisser.notifications.services import preference_for
from tisser.www.notifications.forms import NotificationPreferenceForm

PER_PAGE = 30
# Sent with every change of the unread count so that the header badge refreshes at once
# instead of at its next poll.
CHANGED_EVENT = "notifications-changed"


def list_url(page: str | None = None) -> str:
    url = reverse("notifications:list")
    if page and page.isdigit() and page != "1":
        url += f"?page={page}"
    return url


@require_GET
def notification_list(request):
    page_obj = Paginator(inbox_for(request.user), PER_PAGE).get_page(request.GET.get("page"))
    unread = unread_count(user=request.user)
    return render(
        request,
        "www/notifications/list.html",
        {
            "page_obj": page_obj,
            "page_number": page_obj.number,
            "unread_count": unread,
            # The header badge shows the same count: it is not counted a second time.
            "unread_notifications_count": unread,
        },
    )


@require_POST
def notification_read(request, notification_id: int):
    notification = get_object_or_404(inbox_for(request.user), pk=notification_id)
    notification_mark_read(user=request.user, notification=notification)
    page = request.POST.get("page", "")
    if not request.htmx:
        return redirect(list_url(page))
    response = render(
        request,
        "www/notifications/_notification.html",
        {
            "notification": notification,
            "page_number": page if page.isdigit() else 1,
            "unread_count": unread_count(user=request.user),
            "swap_unread_summary": True,
        },
    )
    return trigger_client_event(response, CHANGED_EVENT)


@require_POST
def notification_read_all(request):
    count = notifications_mark_all_read(user=request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)s notification marquée comme lue.",
                "%(count)s notifications marquées comme lues.",
                count,
            )
            % {"count": count},
        )
    return redirect("notifications:list")


# Public on purpose: a page left open after its session ended keeps polling; answering
# "stop polling" (htmx's 286, which also removes the badge) is better than swapping the
# sign-in page into the header, which the login redirect would do.
@login_not_required
@require_GET
def badge(request):
    if not request.user.is_authenticated:
        return HttpResponseStopPolling()
    return render(
        request,
        "www/notifications/_badge.html",
        {"unread_notifications_count": unread_count(user=request.user)},
    )


@require_http_methods(["GET", "POST"])
def preferences(request):
    preference = preference_for(request.user)
    form = NotificationPreferenceForm(
        request.POST or None,
        initial={
            "email_reminders": preference.email_reminders,
            "daily_digest": preference.daily_digest,
        },
    )
    if request.method == "POST" and form.is_valid():
        preference_update(
            user=request.user,
            email_reminders=form.cleaned_data["email_reminders"],
            daily_digest=form.cleaned_data["daily_digest"],
        )
        messages.success(request, _("Vos préférences de notification sont enregistrées."))
        return redirect("notifications:preferences")
    return render(request, "www/notifications/preferences.html", {"form": form})
