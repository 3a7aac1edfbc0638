from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import render

from tisser.accounts.identity import identity_warnings
from tisser.accounts.models import Invitation, Membership
from tisser.core.access import role_required
from tisser.core.enums import Role
from tisser.core.taskqueue import queue_alert
from tisser.notifications.models import Notification

# The team (consultants, mentors, coordinators) is listed this many a page: a network of
# organismes counts hundreds of mentors.
TEAM_PER_PAGE = 50


@role_required(Role.COORDINATOR)
def home(request):
    """The organisation at a glance: its team and members by role, pending invitations, and a
    sentence when the task worker is late or silent (e-mails and PDFs would not leave)."""
    organisation = request.membership.organisation
    members = (
        Membership.objects.visible_to(request.user)
        .active()
        .filter(organisation=organisation)
        .select_related("user", "invited_by")
    )
    counts = {row["role"]: row["n"] for row in members.values("role").annotate(n=Count("id"))}
    by_role = [
        (role.count_label(counts.get(role.value, 0)), counts.get(role.value, 0)) for role in Role
    ]
    team = members.exclude(role=Role.BENEFICIARY).order_by("role", "user__last_name", "id")
    team_page = Paginator(team, TEAM_PER_PAGE).get_page(request.GET.get("equipe"))
    pending = (
        Invitation.objects.visible_to(request.user).pending().filter(organisation=organisation)
    ).count()
    failed = Notification.objects.failed_for_coordinator(request.user).count()
    return render(
        request,
        "www/coordinator/home.html",
        {
            "by_role": by_role,
            "team_page": team_page,
            "pending_count": pending,
            "failed_count": failed,
            "tasks_alert": queue_alert(),
            "identity_warnings": identity_warnings(organisation),
        },
    )
