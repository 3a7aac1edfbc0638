from django.shortcuts import render

from tisser.core.access import role_required
from tisser.core.enums import Role


@role_required(Role.BENEFICIARY)
def home(request):
    """ "Mon parcours": where the beneficiary starts — their consultant and the métier search."""
    return render(
        request, "www/beneficiary/home.html", {"consultant": request.membership.consultant}
    )
