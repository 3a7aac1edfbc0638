from django.shortcuts import render

from tisser.accounts.models import Membership
from tisser.core.access import role_required
from tisser.core.enums import Role


@role_required(Role.MENTOR)
def home(request):
    """The mentor's space: their organisation and who coordinates it."""
    coordinators = (
        Membership.objects.active()
        .filter(organisation=request.membership.organisation, role=Role.COORDINATOR)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "id")
    )
    return render(request, "www/mentor/home.html", {"coordinators": coordinators})
