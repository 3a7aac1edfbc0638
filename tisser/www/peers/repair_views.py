"""The coordination keeps groups alive (/groupes/coordination/): people waiting for a group
with the place the engine finds them (/arrivees/), groups that lost members with the repair
it proposes (/reajustements/), ending a group (confirmed on its own page).
Organisation-scoped: another organisation's person or group is a 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tisser.core.access import role_required
from tisser.core.dates import french_date
from tisser.core.enums import Role
from tisser.peers import services
from tisser.peers.models import PeerGroup, PeerProfile
from tisser.peers.repair_board import PER_PAGE, arrivals_page, repairs_page, waiting_near
from tisser.peers.services.membership import CURRENT
from tisser.peers.services.repairs import seekers
from tisser.www.peers.repair_forms import PlaceForm, RepairForm


def _organisation_groups(request):
    return PeerGroup.objects.filter(organisation=request.membership.organisation)


@role_required(Role.COORDINATOR)
def arrivals(request):
    """The people waiting, 25 a page, in a constant number of queries: the engine places
    only those shown, once for a state of the groups (`repair_board`)."""
    organisation = request.membership.organisation
    page_obj = Paginator(seekers(organisation), PER_PAGE).get_page(request.GET.get("page"))
    placed = arrivals_page(organisation, list(page_obj))
    rows = [
        {
            "placement": placement,
            "taken": ",".join(str(pk) for pk in taken),
            # After « En attente : », French goes on in lower case (the reasons are sentences).
            "reason": placement.reason[:1].lower() + placement.reason[1:],
        }
        for placement, taken in placed
    ]
    return render(
        request,
        "www/peers/repair/arrivals.html",
        {
            "rows": rows,
            "page_obj": page_obj,
            "waiting_count": page_obj.paginator.count,
            "placed_count": sum(1 for placement, _taken in placed if placement.group is not None),
        },
    )


@require_POST
@role_required(Role.COORDINATOR)
def arrival_place(request, profile_id: int):
    profile = get_object_or_404(
        PeerProfile.objects.visible_to(request.user)
        .filter(organisation=request.membership.organisation)
        .select_related("user", "organisation"),
        pk=profile_id,
    )
    form = PlaceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("La proposition est incomplète : rechargez la page."))
        return redirect("peers:arrivals")
    try:
        member = services.peer_arrival_place(
            actor=request.user,
            profile=profile,
            group_id=form.cleaned_data["group_id"],
            taken=form.cleaned_data["taken"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("peers:arrivals")
    messages.success(
        request,
        _("%(name)s reçoit une invitation à rejoindre « %(group)s ».")
        % {"name": profile.user.get_full_name() or profile.user.email, "group": member.group.name},
    )
    return redirect("peers:arrivals")


@role_required(Role.COORDINATOR)
def repairs(request):
    """The groups to repair, 25 a page, in a constant number of queries: the engine plans
    only those shown, once for a state of the groups (`repair_board`)."""
    page_obj, plans = repairs_page(
        request.membership.organisation, page=request.GET.get("page"), per_page=PER_PAGE
    )
    forms = {plan.group.pk: RepairForm(initial={"expected": plan.signature}) for plan in plans}
    waiting = waiting_near(request.membership.organisation, plans)
    return render(
        request,
        "www/peers/repair/repairs.html",
        {
            "rows": [
                {"plan": plan, "form": forms[plan.group.pk], "waiting": waiting.get(plan.group.pk)}
                for plan in plans
            ],
            "page_obj": page_obj,
        },
    )


@require_POST
@role_required(Role.COORDINATOR)
def repair_apply(request, group_id: int):
    group = get_object_or_404(_organisation_groups(request), pk=group_id)
    form = RepairForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("La proposition est incomplète : rechargez la page."))
        return redirect("peers:repairs")
    try:
        plan = services.peer_group_repair(
            actor=request.user, group=group, expected=form.cleaned_data["expected"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("peers:repairs")
    if plan.dissolved:
        text = _("Le groupe « %(group)s » est dissous ; ses membres sont prévenus.")
    else:
        text = _("Le réajustement du groupe « %(group)s » est enregistré.")
    messages.success(request, text % {"group": group.name})
    return redirect("peers:repairs")


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR)
def group_end(request, group_id: int):
    """Confirm, then end an active group (see `peer_group_end`): the page says who is told
    and which meetings are cancelled before anything happens."""
    group = get_object_or_404(_organisation_groups(request), pk=group_id)
    if request.method == "POST":
        try:
            services.peer_group_end(actor=request.user, group=group)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("peers:repairs")
        messages.success(
            request,
            _("Le groupe « %(group)s » est terminé ; ses membres sont prévenus.")
            % {"group": group.name},
        )
        return redirect("peers:repairs")
    members = [
        member.user
        for member in group.members.filter(status__in=CURRENT)
        .select_related("user")
        .order_by("position", "pk")
    ]
    upcoming = services.meetings_to_cancel(group)
    return render(
        request,
        "www/peers/repair/end.html",
        {
            "group": group,
            "active": group.status == PeerGroup.Status.ACTIVE,
            "members_count": len(members),
            "members_text": ", ".join(user.get_full_name() or user.email for user in members),
            "upcoming_text": " ; ".join(
                french_date(timezone.localtime(occurrence.start), "l j F Y, H:i")
                for occurrence in upcoming[:3]
            ),
            "upcoming_count": upcoming.count(),
        },
    )
