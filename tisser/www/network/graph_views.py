"""Mon réseau en image (/reseau/carte/): the person's network drawn as a radial tree, with its
table alternative, its figures now and their weekly evolution.

The beneficiary sees their own. Their consultant (the one who invited them) sees the same page
only while the person shares their network with them; anyone else gets a 404. Every row comes
through `visible_to`."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from tisser.accounts.access import access_invited_beneficiary
from tisser.core.access import role_required
from tisser.core.enums import Role
from tisser.network import services
from tisser.network.metrics import network_history, network_weekly
from tisser.network.models import Contact, InformationalInterview
from tisser.www.network.graph import contact_rows, initials, network_drawing
from tisser.www.network.graph_chart import SERIES, weekly_chart

TEMPLATE = "www/network/graph/graph.html"


def graph_context(request, person) -> dict:
    contacts = list(
        Contact.objects.visible_to(request.user)
        .filter(owner=person)
        .select_related("introduced_by", "metier__domaine")
        .order_by("last_name", "first_name", "id")
    )
    stages: dict[int, list[str]] = {}
    for contact_id, stage in (
        InformationalInterview.objects.visible_to(request.user)
        .filter(owner=person)
        .values_list("contact_id", "stage")
    ):
        stages.setdefault(contact_id, []).append(stage)
    history = network_history(person.pk)
    weeks = network_weekly(person, history=history)
    # The last week is the current one, measured now: the figures shown above the chart.
    metrics = weeks[-1].metrics if weeks else history.metrics_at(timezone.now())
    is_own = person.pk == request.user.pk
    return {
        "person": person,
        "is_own": is_own,
        "contacts": contacts,
        "metrics": metrics,
        "drawing": network_drawing(
            contacts,
            stages,
            metrics,
            me_label=_("Moi") if is_own else initials(person.get_full_name()),
        )
        if contacts
        else None,
        # The contact pages are the owner's: the consultant reads the names only.
        "rows": contact_rows(contacts, stages, link=is_own),
        "weeks": list(reversed(weeks)),
        "chart": weekly_chart(weeks),
        "series": [str(title) for _key, title in SERIES],
    }


@role_required(Role.BENEFICIARY)
def graph(request):
    return render(request, TEMPLATE, graph_context(request, request.user))


def graph_for(request, user_id: int):
    """A beneficiary's network, for the consultant who invited them while they share it
    (404 for anyone else, and while it is not shared)."""
    invited = access_invited_beneficiary(request.user, user_id)
    if not services.network_is_shared(invited.user):
        raise Http404
    services.network_graph_read(
        actor=request.user, owner=invited.user, organisation=invited.organisation
    )
    return render(request, TEMPLATE, graph_context(request, invited.user))
