"""Mon réseau en image (/reseau/carte/): the person's network drawn as a radial tree, with its
table alternative, its figures now and their weekly evolution.

The beneficiary sees their own. Their consultant (the one who invited them) sees the same page
only while the person shares their network with them; anyone else gets a 404. Every row comes
through `visible_to`."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from tisser.accounts.access import access_invited_beneficiary
from tisser.core.access import role_required
from tisser.core.enums import Role
from tisser.network import services
from tisser.network.clusters import (
    Grouping,
    clusters,
    in_cluster,
    is_cluster_key,
    with_cluster_key,
)
from tisser.network.metrics import network_history, network_weekly
from tisser.network.models import STAGE_ORDER, Contact
from tisser.www.network.graph import contact_rows, initials, network_drawing
from tisser.www.network.graph_chart import SERIES, weekly_chart
from tisser.www.network.graph_clusters import cluster_drawing, cluster_label

TEMPLATE = "www/network/graph/graph.html"
# Beyond this many contacts the map draws groups (by sector or by stage), one of which can be
# opened; an opened group draws at most this many of its contacts.
CLUSTER_THRESHOLD = 150
TABLE_PAGE_SIZE = 50


def _with_stages(contacts):
    """`contacts` with the rank of their most advanced enquête (`cluster_rank`), read in the
    same query: the map and the table show only that stage."""
    if "cluster_rank" in contacts.query.annotations:
        return contacts
    return with_cluster_key(contacts, Grouping.STAGE)


def _stages(contacts) -> dict[int, list[str]]:
    """The most advanced stage of each of `contacts` (annotated by `_with_stages`), by id."""
    return {
        contact.pk: [STAGE_ORDER[contact.cluster_rank - 1].value]
        for contact in contacts
        if contact.cluster_rank
    }


def _grouping(request) -> tuple[Grouping, str | None]:
    """The grouping asked for (by sector unless said otherwise) and the group to open."""
    try:
        grouping = Grouping(request.GET.get("groupes", Grouping.SECTOR))
    except ValueError:
        grouping = Grouping.SECTOR
    opened = request.GET.get("ouvrir")
    if opened is not None and not is_cluster_key(grouping, opened):
        opened = None
    return grouping, opened


def graph_context(request, person) -> dict:
    """The page's context in a constant number of queries: up to `CLUSTER_THRESHOLD`
    contacts drawn one by one, beyond that their groups counted by the database; the table
    alternative paginated."""
    visible = Contact.objects.visible_to(request.user).filter(owner=person)
    ordered = visible.select_related("introduced_by", "metier__domaine").order_by(
        "last_name", "first_name", "id"
    )
    history = network_history(person.pk)
    weeks = network_weekly(person, history=history)
    # The last week is the current one, measured now: the figures shown above the chart.
    metrics = weeks[-1].metrics if weeks else history.metrics_at(timezone.now())
    is_own = person.pk == request.user.pk
    me_label = _("Moi") if is_own else initials(person.get_full_name())
    grouping, opened = _grouping(request)
    # The groups are listed whatever the network's size (a small one can open a group too);
    # beyond the threshold they replace the contacts on the map. Either way the page reads
    # the groups and one list of contacts: the same queries for 10 contacts as for 2,000.
    groups = clusters(visible, grouping)
    total = sum(group.count for group in groups)
    grouped = total > CLUSTER_THRESHOLD
    opened_group = next((group for group in groups if group.key == opened), None)
    drawing = map_of_groups = None
    shown = in_cluster(ordered, grouping, opened_group.key) if opened_group else ordered
    shown = _with_stages(shown)
    count = opened_group.count if opened_group else total
    if count <= CLUSTER_THRESHOLD:
        # Read whole: the map draws them all, the table pages through the same list.
        contacts = list(shown)
        stages = _stages(contacts)
        if contacts:
            drawing = network_drawing(contacts, stages, metrics, me_label=me_label)
        page = Paginator(contacts, TABLE_PAGE_SIZE).get_page(request.GET.get("page"))
    else:
        paginator = Paginator(shown, TABLE_PAGE_SIZE)
        paginator.count = count  # counted with the groups
        page = paginator.get_page(request.GET.get("page"))
        if opened_group is not None:
            contacts = list(shown[:CLUSTER_THRESHOLD])
            drawing = network_drawing(contacts, _stages(contacts), metrics, me_label=me_label)
        else:
            map_of_groups = cluster_drawing(groups, grouping, metrics, me_label)
    rows = list(page.object_list)
    return {
        "person": person,
        "is_own": is_own,
        "metrics": metrics,
        "drawing": drawing,
        "map_of_groups": map_of_groups,
        "grouping": grouping.value,
        "groups": [
            {"key": group.key, "label": cluster_label(group, grouping), "count": group.count}
            for group in groups
        ],
        "opened": (
            {
                "key": opened_group.key,
                "label": cluster_label(opened_group, grouping),
                "count": opened_group.count,
            }
            if opened_group
            else None
        ),
        "grouped": grouped,
        "drawn_at_most": CLUSTER_THRESHOLD,
        "page_obj": page,
        # The contact pages are the owner's: the consultant reads the names only.
        "rows": contact_rows(rows, _stages(rows), link=is_own),
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
