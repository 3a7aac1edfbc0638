from django.shortcuts import render

from tisser.accounts.models import Membership
from tisser.core.access import role_required
from tisser.core.enums import Role
from tisser.mentoring.overview import mentor_overview


@role_required(Role.MENTOR)
def home(request):
    """The mentor's space: their profile, requests and mentees, and who coordinates them."""
    coordinators = (
        Membership.objects.coordinating()
        .filter(organisation=request.membership.organisation)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "id")
    )
    context = mentor_overview(request.user, request.membership.organisation)
    return render(request, "www/mentor/home.html", {"coordinators": coordinators, **context})
