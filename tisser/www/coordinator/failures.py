"""Deliveries that kept failing after their retries, so that a coordinator can act (a wrong
e-mail address, a full mailbox). The content of the messages is private: it is not even
loaded from the database."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tisser.core.access import role_required
from tisser.core.enums import Role
from tisser.notifications.models import Notification

PER_PAGE = 50


@role_required(Role.COORDINATOR)
@require_GET
def failed_deliveries(request):
    failures = (
        Notification.objects.failed_for_coordinator(request.user)
        .select_related("recipient")
        .defer("subject", "body")
        .order_by("-scheduled_for", "-id")
    )
    page_obj = Paginator(failures, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "www/coordinator/failures.html", {"page_obj": page_obj})
