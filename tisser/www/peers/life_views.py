"""A group's life (/groupes/<id>/engagements/, /groupes/<id>/entraide/): commitments and
check-ins, with how well each member and the group keep them; help given and received, each
member seeing only their own balance. And the coordination's health overview
(/groupes/sante/): figures only.

Every group page fetches the group among those the person belongs to now: someone else's
group, a group one has left, and the coordination all get a 404."""

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tisser.core.access import role_required
from tisser.core.enums import Role
from tisser.core.errors import StaleVersion
from tisser.core.small_numbers import WITHHELD
from tisser.peers import services
from tisser.peers.access import access_group_life, access_own_commitment
from tisser.peers.health import FADING_DAYS, health_queryset, health_row, health_summary
from tisser.peers.models import (
    MAX_COMMITMENTS_PER_PERIOD,
    Commitment,
    Contribution,
    PeerGroup,
    PeerGroupMember,
)
from tisser.peers.periods import periods_back
from tisser.peers.services.commitments import is_active_member
from tisser.peers.stats import first_name, help_balance, kept_figures
from tisser.www.forms import form_conflict_apply, form_errors_apply
from tisser.www.peers.life_forms import CheckInForm, CommitmentForm, HelpForm

HISTORY_PERIODS = 12
RECENT_HELP = 20


def _current_members(group: PeerGroup) -> list:
    return [
        membership.user
        for membership in group.members.exclude(status=PeerGroupMember.Status.LEFT)
        .select_related("user")
        .order_by("position", "pk")
    ]


# -- commitments --------------------------------------------------------------------------------


def commitments_context(request, group: PeerGroup, *, add_form=None, checkin_form=None) -> dict:
    user = request.user
    today = timezone.localdate()
    periods = periods_back(group.rhythm, today, HISTORY_PERIODS)
    current = periods[0]
    members = _current_members(group)
    commitments = list(
        Commitment.objects.filter(group=group).select_related("user").order_by("user_id", "pk")
    )
    per_member, whole_group = kept_figures(group, members, commitments, today=today)
    by_period: dict = defaultdict(lambda: defaultdict(list))
    for commitment in commitments:
        if commitment.period_start >= periods[-1].start:
            by_period[commitment.period_start][commitment.user_id].append(commitment)
    order = {member.pk: position for position, member in enumerate(members)}
    history = []
    for period in periods:
        people = by_period.get(period.start)
        if period != current and not people:
            continue
        rows = sorted(
            (people or {}).values(),
            key=lambda own: (order.get(own[0].user_id, len(order)), own[0].user_id),
        )
        history.append(
            {
                "period": period,
                "is_current": period == current,
                "rows": [{"name": first_name(own[0].user), "commitments": own} for own in rows],
            }
        )
    mine = [c for c in commitments if c.user_id == user.pk and c.period_start == current.start]
    open_mine = sorted(
        (c for c in commitments if c.user_id == user.pk and not c.checked_in_at),
        key=lambda c: (c.period_start, c.pk),
    )
    can_write = is_active_member(user, group)
    checkin_forms = []
    if can_write:
        for commitment in open_mine:
            if checkin_form is not None and checkin_form.commitment.pk == commitment.pk:
                checkin_forms.append(checkin_form)
            elif commitment.period_start <= today:
                checkin_forms.append(CheckInForm(commitment=commitment))
    if checkin_form is not None and checkin_form not in checkin_forms:
        # Checked in meanwhile (another tab): the form still shows why nothing was saved.
        checkin_forms.append(checkin_form)
    return {
        "group": group,
        "period": current,
        "mine": mine,
        "can_write": can_write,
        "can_add": can_write and len(mine) < MAX_COMMITMENTS_PER_PERIOD,
        "max_commitments": MAX_COMMITMENTS_PER_PERIOD,
        "add_form": add_form or CommitmentForm(),
        "checkin_forms": checkin_forms,
        "history": history,
        "per_member": per_member,
        "whole_group": whole_group,
    }


def render_commitments(request, group: PeerGroup, *, status: int = 200, **forms):
    return render(
        request,
        "www/peers/life/commitments.html",
        commitments_context(request, group, **forms),
        status=status,
    )


def commitments(request, group_id: int):
    group = access_group_life(request.user, group_id)
    return render_commitments(request, group)


@require_POST
def commitment_add(request, group_id: int):
    group = access_group_life(request.user, group_id)
    form = CommitmentForm(request.POST)
    if form.is_valid():
        try:
            services.commitment_add(actor=request.user, group=group, text=form.cleaned_data["text"])
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Votre engagement est ajouté."))
            return redirect("peers:commitments", group_id=group.pk)
    return render_commitments(request, group, status=400, add_form=form)


@require_http_methods(["GET", "POST"])
def commitment_edit(request, commitment_id: int):
    commitment = access_own_commitment(request.user, commitment_id)
    group = commitment.group
    editable = commitment.checked_in_at is None and is_active_member(request.user, group)
    conflict = None
    status = 200
    if request.method == "POST" and editable:
        form = CommitmentForm(request.POST)
        if form.is_valid():
            try:
                services.commitment_update(
                    actor=request.user,
                    commitment=commitment,
                    text=form.cleaned_data["text"],
                    expected_version=form.cleaned_data["version"] or 0,
                )
            except StaleVersion as error:
                conflict = form_conflict_apply(form, error)
                status = 409
            except ValidationError as error:
                form_errors_apply(form, error)
                status = 400
            else:
                messages.success(request, _("Votre engagement est modifié."))
                return redirect("peers:commitments", group_id=group.pk)
        else:
            status = 400
    else:
        form = CommitmentForm(initial={"version": commitment.version, "text": commitment.text})
    return render(
        request,
        "www/peers/life/commitment_edit.html",
        {
            "commitment": commitment,
            "group": group,
            "form": form,
            "conflict": conflict,
            "editable": editable,
        },
        status=status,
    )


@require_POST
def commitment_checkin(request, commitment_id: int):
    commitment = access_own_commitment(request.user, commitment_id)
    group = commitment.group
    form = CheckInForm(request.POST, commitment=commitment)
    if form.is_valid():
        try:
            services.commitment_check_in(
                actor=request.user,
                commitment=commitment,
                outcome=form.cleaned_data["outcome"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Merci, votre bilan est enregistré."))
            return redirect("peers:commitments", group_id=group.pk)
    return render_commitments(request, group, status=400, checkin_form=form)


# -- help given and received --------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def help_page(request, group_id: int):
    group = access_group_life(request.user, group_id)
    user = request.user
    can_write = is_active_member(user, group)
    others = [
        membership.user
        for membership in group.members.filter(status=PeerGroupMember.Status.ACCEPTED)
        .exclude(user=user)
        .select_related("user")
        .order_by("position", "pk")
    ]
    form = HelpForm(others=others)
    status = 200
    if request.method == "POST" and can_write:
        form = HelpForm(request.POST, others=others)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.contribution_record(
                    actor=user,
                    group=group,
                    other=form.others[data["other"]],
                    gave=data["direction"] == "gave",
                    kind=data["kind"],
                    description=data["description"],
                )
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                messages.success(request, _("C'est noté. Merci de faire vivre l'entraide."))
                return redirect("peers:help", group_id=group.pk)
        status = 400
    recent = (
        Contribution.objects.filter(Q(giver=user) | Q(receiver=user), group=group)
        .select_related("giver", "receiver")
        .order_by("-created_at", "-pk")[:RECENT_HELP]
    )
    return render(
        request,
        "www/peers/life/help.html",
        {
            "group": group,
            "form": form,
            "can_write": can_write and bool(others),
            "balance": help_balance(user, group),
            "recent": [
                {
                    "contribution": contribution,
                    "gave": contribution.giver_id == user.pk,
                    "other": first_name(
                        contribution.receiver
                        if contribution.giver_id == user.pk
                        else contribution.giver
                    ),
                }
                for contribution in recent
            ],
        },
        status=status,
    )


HEALTH_PER_PAGE = 25


# -- the coordination's overview ----------------------------------------------------------------


@role_required(Role.COORDINATOR)
def health(request):
    """The groups' figures, 25 a page (counts for the whole organisation on top)."""
    organisation = request.membership.organisation
    now = timezone.now()
    page_obj = Paginator(health_queryset(organisation, now=now), HEALTH_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "www/peers/life/health.html",
        {
            "rows": [health_row(group, now=now) for group in page_obj],
            "page_obj": page_obj,
            "fading_days": FADING_DAYS,
            "withheld": WITHHELD,
            **health_summary(organisation, now=now),
        },
    )
