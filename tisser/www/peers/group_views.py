"""A participant's peer groups (/groupes/…): their hub, their preferences, the group page,
accepting or leaving a group, the charter, preparing a meeting.

Every group comes through `PeerGroup.objects.visible_to(user).of_member(user)`, published
groups only: someone else's group, a group one left, or one still in the coordination's review
is a 404 — for the coordination too (it has its own aggregate pages)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tisser.core.access import role_required
from tisser.core.enums import Role
from tisser.core.errors import StaleVersion
from tisser.meetings.models import AgendaItem, Occurrence
from tisser.mentoring.models import availability_labels
from tisser.peers import services
from tisser.peers.access import access_group, access_preparable_occurrence, published_member_groups
from tisser.peers.models import Charter, PeerGroup, PeerGroupMember, PeerProfile
from tisser.peers.rotation import facilitators
from tisser.www.forms import form_conflict_apply, form_errors_apply
from tisser.www.mentoring.profiles_views import availability_grid
from tisser.www.peers.group_forms import CharterForm, CheckInForm, LeaveForm, PreferencesForm

UPCOMING = 4


def own_member(user, group: PeerGroup) -> PeerGroupMember:
    return PeerGroupMember.objects.get(
        group=group, user=user, status__in=services.membership.CURRENT
    )


def own_profile(request) -> PeerProfile | None:
    return (
        PeerProfile.objects.visible_to(request.user)
        .filter(user=request.user, organisation=request.membership.organisation)
        .prefetch_related("sectors")
        .first()
    )


# -- the hub and the preferences ----------------------------------------------------------------


@role_required(Role.BENEFICIARY)
def home(request):
    """Groupes de pairs: the person's preferences (or an invitation to give them), the groups
    they are proposed (to accept) and those they belong to."""
    profile = own_profile(request)
    memberships = list(
        PeerGroupMember.objects.filter(
            user=request.user,
            status__in=services.membership.CURRENT,
            group__in=published_member_groups(request.user),
        )
        .select_related("group")
        .order_by("group__name", "group_id")
    )
    return render(
        request,
        "www/peers/group/home.html",
        {
            "profile": profile,
            "availability": availability_labels(profile.availability) if profile else [],
            "proposed": [m for m in memberships if m.status == PeerGroupMember.Status.PROPOSED],
            "joined": [m for m in memberships if m.status == PeerGroupMember.Status.ACCEPTED],
            "request_state": _request_state(request.user, profile, memberships),
        },
    )


def _request_state(user, profile: PeerProfile | None, memberships) -> str:
    """Where her request for a group stands when she asks for one and has none (ADR 0023):
    "no_promotion" (the coordination files it first), "preparing" (a formation in review
    holds her) or "waiting" (a group with room, or the next formation); "" otherwise."""
    if profile is None or not profile.seeking or memberships:
        return ""
    if not profile.cohort:
        return "no_promotion"
    if PeerGroupMember.objects.filter(
        user=user,
        status__in=services.membership.CURRENT,
        group__organisation_id=profile.organisation_id,
        group__status=PeerGroup.Status.PROPOSED,
    ).exists():
        return "preparing"
    return "waiting"


# The preferences a conflict shows side by side (the grid keeps what was typed).
PREFERENCES_CONFLICT_FIELDS = [
    "seeking",
    "stage",
    "project_type",
    "rhythm",
    "mode",
    "departement",
    "attribute",
    "introduction",
]


def render_preferences(request, form, profile, *, conflict=None, status=200):
    return render(
        request,
        "www/peers/group/preferences.html",
        {"form": form, "profile": profile, "grid": availability_grid(form), "conflict": conflict},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.BENEFICIARY)
def preferences(request):
    """The person's preferences for a peer group (see `peer_preferences_save`)."""
    profile = own_profile(request)
    if request.method != "POST":
        form = PreferencesForm(initial=PreferencesForm.initial_from(profile))
        return render_preferences(request, form, profile)
    form = PreferencesForm(request.POST)
    if form.is_valid():
        try:
            services.peer_preferences_save(
                user=request.user,
                organisation=request.membership.organisation,
                data=form.to_data(),
                expected_version=form.cleaned_data["version"] or 0,
            )
        except StaleVersion as error:
            conflict = form_conflict_apply(
                form, error, fields=PREFERENCES_CONFLICT_FIELDS, changed_only=True
            )
            return render_preferences(request, form, error.current, conflict=conflict, status=409)
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Vos préférences sont enregistrées."))
            return redirect("peers:home")
    return render_preferences(request, form, profile, status=400)


# -- the group page -----------------------------------------------------------------------------


def _charter_state(group: PeerGroup, members: list[PeerGroupMember]) -> dict:
    charter = Charter.objects.filter(group=group).first()
    agreed = set()
    if charter is not None:
        agreed = set(
            charter.agreements.filter(version=charter.version).values_list("user_id", flat=True)
        )
    accepted = [m for m in members if m.status == PeerGroupMember.Status.ACCEPTED]
    # Proposed members have not joined yet: the charter is not theirs to approve until they
    # do, and "approved by the whole group" is said only when nobody is left to join.
    return {
        "charter": charter,
        "agreed": [m for m in accepted if m.user_id in agreed],
        "waiting": [m for m in accepted if m.user_id not in agreed],
        "not_joined": [m for m in members if m.status == PeerGroupMember.Status.PROPOSED],
    }


def _upcoming(group: PeerGroup, user) -> list[dict]:
    if group.series_id is None:
        return []
    turns = facilitators(group)
    occurrences = (
        Occurrence.objects.visible_to(user)
        .filter(
            series_id=group.series_id,
            status=Occurrence.Status.SCHEDULED,
            start__gt=timezone.now(),
        )
        .order_by("start", "pk")[:UPCOMING]
    )
    return [
        {"occurrence": occurrence, "facilitator": turns.get(occurrence.pk)}
        for occurrence in occurrences
    ]


def group_detail(request, group_id: int):
    """The group as its members see it: who is in it (first names and the introductions they
    chose to share), its rhythm, its next meetings and who facilitates them, the charter."""
    group = access_group(request.user, group_id)
    members = list(
        PeerGroupMember.objects.filter(group=group, status__in=services.membership.CURRENT)
        .select_related("user")
        .order_by("position", "pk")
    )
    introductions = dict(
        PeerProfile.objects.filter(
            organisation=group.organisation, user_id__in=[m.user_id for m in members]
        ).values_list("user_id", "introduction")
    )
    me = next(m for m in members if m.user_id == request.user.pk)
    upcoming = _upcoming(group, request.user)
    return render(
        request,
        "www/peers/group/detail.html",
        {
            "group": group,
            "me": me,
            "members": [
                {"member": m, "introduction": introductions.get(m.user_id, "")} for m in members
            ],
            "next": upcoming[0] if upcoming else None,
            "later": upcoming[1:],
            **_charter_state(group, members),
        },
    )


@require_POST
def accept(request, group_id: int):
    group = access_group(request.user, group_id)
    try:
        services.peer_member_accept(actor=request.user, group=group)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _(
                "Bienvenue dans le groupe « %(name)s » ! Lisez la charte et préparez la "
                "première rencontre."
            )
            % {"name": group.name},
        )
    return redirect("peers:group", group_id=group.pk)


@require_http_methods(["GET", "POST"])
def leave(request, group_id: int):
    """Confirm, then leave the group, or decline it when proposed (see `peer_member_leave`)."""
    group = access_group(request.user, group_id)
    declining = own_member(request.user, group).status == PeerGroupMember.Status.PROPOSED
    form = LeaveForm(request.POST or None, declining=declining)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.peer_member_leave(
                    actor=request.user, group=group, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                messages.success(
                    request,
                    (
                        _(
                            "Vous avez décliné le groupe « %(name)s ». La coordination en est "
                            "informée et peut vous proposer un autre groupe."
                        )
                        if declining
                        else _(
                            "Vous avez quitté le groupe « %(name)s ». La coordination en est "
                            "informée et peut vous proposer un autre groupe."
                        )
                    )
                    % {"name": group.name},
                )
                return redirect("peers:home")
        status = 400
    return render(
        request,
        "www/peers/group/leave.html",
        {"group": group, "form": form, "declining": declining},
        status=status,
    )


# -- the charter --------------------------------------------------------------------------------


def _charter_initial(charter: Charter | None) -> dict:
    if charter is None:
        return {**services.charter_defaults(), "version": 0}
    return {
        "shared_goals": charter.shared_goals,
        "meetings_per_month": charter.meetings_per_month,
        "confidentiality": charter.confidentiality,
        "reciprocity": charter.reciprocity,
        "rotating_facilitator": charter.rotating_facilitator,
        "version": charter.version,
    }


@require_http_methods(["GET", "POST"])
def charter(request, group_id: int):
    """Any accepted member writes the charter; each agrees with it; a change clears the
    agreements given."""
    group = access_group(request.user, group_id)
    members = list(
        PeerGroupMember.objects.filter(group=group, status__in=services.membership.CURRENT)
        .select_related("user")
        .order_by("position", "pk")
    )
    me = next(m for m in members if m.user_id == request.user.pk)
    editable = group.status == PeerGroup.Status.ACTIVE and (
        me.status == PeerGroupMember.Status.ACCEPTED
    )
    conflict = None
    status = 200
    if request.method == "POST" and editable:
        form = CharterForm(request.POST)
        if form.is_valid():
            try:
                _saved, cleared = services.charter_save(
                    actor=request.user,
                    group=group,
                    data=form.to_data(),
                    expected_version=form.cleaned_data["version"] or 0,
                )
            except StaleVersion as error:
                conflict = form_conflict_apply(form, error)
                status = 409
            except ValidationError as error:
                form_errors_apply(form, error)
                status = 400
            else:
                if cleared:
                    messages.success(
                        request,
                        _(
                            "La charte est enregistrée. Comme elle a changé, les accords "
                            "donnés sont effacés : chacun·e la relit et donne à nouveau son "
                            "accord."
                        ),
                    )
                else:
                    messages.success(
                        request,
                        _("La charte est enregistrée. Relisez-la puis donnez votre accord."),
                    )
                return redirect("peers:charter", group_id=group.pk)
        else:
            status = 400
    elif request.method == "POST":
        status = 400
        form = None
    else:
        form = CharterForm(initial=_charter_initial(Charter.objects.filter(group=group).first()))
    state = _charter_state(group, members)
    return render(
        request,
        "www/peers/group/charter.html",
        {
            "group": group,
            "form": form if editable else None,
            "editable": editable,
            "conflict": conflict,
            "agreed_by_me": any(m.user_id == request.user.pk for m in state["agreed"]),
            **state,
        },
        status=status,
    )


@require_POST
def charter_agree(request, group_id: int):
    group = access_group(request.user, group_id)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        services.charter_agree(actor=request.user, group=group, expected_version=version)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("peers:charter", group_id=group.pk)
    messages.success(request, _("Votre accord sur la charte est enregistré."))
    return redirect("peers:group", group_id=group.pk)


# -- preparing a meeting ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def prepare(request, group_id: int, occurrence_id: int):
    """Each member checks in before a meeting; the agenda shows everyone's points."""
    group = access_group(request.user, group_id)
    occurrence = access_preparable_occurrence(request.user, group, occurrence_id)
    me = own_member(request.user, group)
    can_check_in = me.status == PeerGroupMember.Status.ACCEPTED
    form = CheckInForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if can_check_in and form.is_valid():
            try:
                services.meeting_checkin(
                    actor=request.user, group=group, occurrence=occurrence, data=form.to_data()
                )
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                messages.success(
                    request, _("Vos points sont ajoutés à l'ordre du jour de la rencontre.")
                )
                return redirect("peers:prepare", group_id=group.pk, occurrence_id=occurrence.pk)
        status = 400
    agenda = list(
        AgendaItem.objects.filter(occurrence=occurrence)
        .select_related("author")
        .order_by("position", "pk")
    )
    return render(
        request,
        "www/peers/group/prepare.html",
        {
            "group": group,
            "occurrence": occurrence,
            "facilitator": facilitators(group).get(occurrence.pk),
            "form": form,
            "can_check_in": can_check_in,
            "agenda": agenda,
            "mine": any(item.author_id == request.user.pk for item in agenda),
        },
        status=status,
    )
