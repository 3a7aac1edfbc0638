from django.shortcuts import render

from tisser.core.access import role_required
from tisser.core.enums import Role
from tisser.mentoring import overview


@role_required(Role.BENEFICIARY, Role.MENTOR, Role.COORDINATOR)
def home(request):
    """Mentorat: where a mentee, a mentor or the coordination starts."""
    membership = request.membership
    context = {"role": membership.role}
    if membership.role == Role.BENEFICIARY:
        context.update(overview.mentee_overview(request.user, membership.organisation))
    elif membership.role == Role.MENTOR:
        context.update(overview.mentor_overview(request.user, membership.organisation))
    else:
        context["figures"] = overview.organisation_figures(membership.organisation)
    return render(request, "www/mentoring/home.html", context)
