"""The coordination's group formations (/groupes/coordination/): figures and history, a new
formation for a cohort (computed in the background: its page polls `formation_status` until
the groups are ready), its review (each group with its members, score, reasons and hard
constraints; the people left out and why), moves, locks, a re-run, then publish or discard.

Formations come through `GroupFormation.objects.visible_to`: another organisation's
formation, or any formation for someone who does not coordinate, is a 404. The private
attribute a person declared is never shown: the page says at most that one is declared."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRefresh

from matchcore.peers.model import Mode
from matchcore.peers.rules import common_slots, violations
from tisser.accounts.models import User
from tisser.core.access import role_required
from tisser.core.enums import Role
from tisser.core.errors import StaleVersion
from tisser.core.french import sort_key
from tisser.peers import formation as adapter
from tisser.peers.access import access_formation
from tisser.peers.models import GroupFormation, PeerGroup, PeerGroupMember, PeerMode
from tisser.peers.services import formation as services
from tisser.peers.services.promotions import seeking_without_promotion
from tisser.www.forms import form_errors_apply
from tisser.www.peers.formation_forms import (
    OUT,
    OUT_LABEL,
    FormationRunForm,
    FormationVersionForm,
    LockForm,
    MoveForm,
)

REASON_LABELS = {
    **{reason.value: label for reason, label in adapter.UNPLACED_LABELS.items()},
    services.SET_ASIDE: gettext_lazy("Mise de côté par la coordination pendant la relecture"),
}
ADVICE = {
    "cohort_too_small": gettext_lazy(
        "Rattachez cette personne à une autre promotion, ou gardez-la pour une formation "
        "plus large."
    ),
    "no_common_language": gettext_lazy(
        "Voyez avec elle si une autre langue lui convient, ou gardez-la pour une prochaine "
        "formation."
    ),
    "no_compatible_mode": gettext_lazy(
        "Proposez-lui de se réunir aussi en visio, ou attendez d'autres personnes de son "
        "département."
    ),
    "no_common_slot": gettext_lazy(
        "Demandez-lui d'ajouter d'autres moments libres de sa semaine, puis refaites la formation."
    ),
    "attribute_isolated": gettext_lazy(
        "Gardez-la pour une prochaine formation, ou parlez-en avec elle."
    ),
    "no_room": gettext_lazy(
        "Déplacez-la dans un groupe de moins de 5 personnes qui lui convient, ou refaites la "
        "formation."
    ),
    services.SET_ASIDE: gettext_lazy("Déplacez-la dans un groupe pour la placer."),
}
CURRENT = services.CURRENT


def formation_url(
    formation: GroupFormation, anchor: str = "", open_group: int | None = None
) -> str:
    """The review; `open_group` is shown unfolded (the group a person just moved to)."""
    url = reverse("peers:formation", kwargs={"formation_id": formation.pk})
    if open_group:
        url = f"{url}?ouvrir={open_group}"
    return f"{url}#{anchor}" if anchor else url


def _percent(value) -> int | None:
    return None if value is None else round(100 * value)


# The coordination's page and a new formation ---------------------------------------------


def _history_rows(formations) -> list[dict]:
    rows = []
    for item in formations:
        stats = item.stats or {}
        unplaced = stats.get("unplaced", {})
        rows.append(
            {
                "formation": item,
                "groups": stats.get("groups", 0),
                "placed": stats.get("placed", 0),
                "unplaced": [
                    (REASON_LABELS.get(reason, reason), count)
                    for reason, count in unplaced.items()
                    if count
                ],
                "worst": _percent(stats.get("worst_score")),
                "mean": _percent(stats.get("mean_score")),
            }
        )
    return rows


def _render_formations(request, *, form=None, status=200):
    organisation = request.membership.organisation
    figures = services.formation_figures(organisation=organisation)
    formations = list(
        GroupFormation.objects.visible_to(request.user)
        .filter(organisation=organisation)
        .select_related("created_by")
    )
    context = {
        "figures": figures,
        "rows": _history_rows(formations),
        "in_review": next(
            (
                item
                for item in formations
                if item.status in (GroupFormation.Status.REVIEW, GroupFormation.Status.RUNNING)
            ),
            None,
        ),
        "min_size": services.MIN_SIZE,
        "without_promotion": seeking_without_promotion(organisation=organisation),
        "form": form
        or FormationRunForm(
            cohorts=services.formation_cohorts(organisation=organisation),
            everyone=figures["seeking"],
        ),
    }
    return render(request, "www/peers/formation/list.html", context, status=status)


@role_required(Role.COORDINATOR)
@require_GET
def formations(request):
    """Figures, the formations' history and the form that runs a new one."""
    return _render_formations(request)


@role_required(Role.COORDINATOR)
@require_POST
def formation_create(request):
    organisation = request.membership.organisation
    form = FormationRunForm(
        request.POST,
        cohorts=services.formation_cohorts(organisation=organisation),
        everyone=services.formation_people(organisation=organisation).count(),
    )
    if form.is_valid():
        try:
            formation = services.formation_run(
                organisation=organisation,
                cohort=form.cleaned_data["cohort"],
                target_size=form.cleaned_data["target_size"],
                by=request.user,
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _started_message(formation))
            return redirect(formation_url(formation))
    return _render_formations(request, form=form, status=400)


def _started_message(formation: GroupFormation) -> str:
    formation.refresh_from_db(fields=["status"])
    if formation.status == GroupFormation.Status.RUNNING:
        return _(
            "Le calcul des groupes est lancé : cette page se met à jour dès qu'ils sont prêts "
            "(souvent quelques secondes, jusqu'à une minute pour une promotion difficile)."
        )
    return _("Les groupes sont proposés : relisez-les, ajustez-les si besoin, puis publiez.")


# Review -------------------------------------------------------------------------------------


def _meeting_label(profile) -> str:
    if profile.mode == PeerMode.VIDEO or not profile.departement:
        return str(profile.get_mode_display())
    return _("%(mode)s (département %(dep)s)") % {
        "mode": profile.get_mode_display(),
        "dep": profile.departement,
    }


def _person(user, profile) -> dict:
    return {
        "user": user,
        "profile": profile,
        "meeting": _meeting_label(profile) if profile else "",
        "sectors": [sector.libelle for sector in adapter.sectors_of(profile)] if profile else [],
        # Never the self-declared attribute, nor whether there is one: the coordination
        # would learn who declared a private situation.
    }


def _group_meeting(rows: list[dict]) -> str:
    row = next((row for row in rows if row.get("kind") == "meeting"), None)
    if row is None:
        return ""
    if row["mode"] == int(Mode.IN_PERSON):
        return _("Sur place, département %(dep)s") % {"dep": row["place"]}
    return _("En visio")


PER_PAGE = 10


def _options(choices) -> str:
    return format_html_join("", '<option value="{}">{}</option>', choices)


def _review_context(request, formation, *, bound=None, conflict=None, errors=None) -> dict:
    """Everything the review shows, in a constant number of queries: the figures and the hard
    constraints of every group, then one page: ten groups with their members and ten of the
    people left out. `bound` is (user id, the move form that failed), shown in that person's
    row with what the coordinator chose. The move menus are rendered once as HTML (the
    groups with room differ only by the person's own group), not as one form per person.
    Every group and person is read as plain values for the rules (the figures, the menus);
    only the page's groups and people are read whole, with their sectors (issue #16)."""
    # French order: « Les Éclaireurs » before « Les Tisserands » (the database's is bytewise).
    all_groups = sorted(
        formation.groups.order_by("name", "pk").values_list("pk", "name", "locked", named=True),
        key=lambda group: (sort_key(group.name), group.pk),
    )
    memberships = list(
        PeerGroupMember.objects.filter(group__formation=formation, status__in=CURRENT)
        .order_by("position", "pk")
        .values_list("group_id", "user_id")
    )
    members_of: dict[int, list[int]] = {group.pk: [] for group in all_groups}
    for group_id, user_id in memberships:
        members_of.setdefault(group_id, []).append(user_id)
    unplaced = list(formation.unplaced)
    user_ids = [user_id for _group, user_id in memberships]
    user_ids += [item["user"] for item in unplaced]
    people = adapter.rule_participants(formation.organisation, user_ids)
    config = services._config(formation)
    broken_of = {
        group.pk: violations([people[u] for u in members_of[group.pk] if u in people], config)
        for group in all_groups
    }
    in_review = formation.status == GroupFormation.Status.REVIEW
    running = formation.status == GroupFormation.Status.RUNNING
    open_groups = [(group.pk, group.name) for group in all_groups if not group.locked]
    bound_user, bound_form = bound or (None, None)
    opened = request.GET.get("ouvrir", "")
    # The page of groups: the one asked for, else the one holding the group to unfold or
    # the person whose move was refused (in a group, or among the people left out).
    wanted = request.GET.get("page")
    focus = next(
        (
            index
            for index, group in enumerate(all_groups)
            if str(group.pk) == opened or bound_user in members_of[group.pk]
        ),
        None,
    )
    if focus is None and bound_user is not None:
        focus = next(
            (index for index, item in enumerate(unplaced) if item["user"] == bound_user), None
        )
    if wanted is None and focus is not None:
        wanted = focus // PER_PAGE + 1
    # One page covers both lists: its groups and its share of the people left out.
    page_obj = Paginator(range(max(len(all_groups), len(unplaced))), PER_PAGE).get_page(wanted)
    shown = slice(page_obj.start_index() - 1, page_obj.end_index()) if page_obj else slice(0)
    page_groups = sorted(
        formation.groups.filter(pk__in=[group.pk for group in all_groups[shown]]),
        key=lambda group: (sort_key(group.name), group.pk),
    )
    unplaced = unplaced[shown]
    shown_ids = [user_id for group in page_groups for user_id in members_of[group.pk]]
    shown_ids += [item["user"] for item in unplaced]
    users = {user.pk: user for user in User.objects.filter(pk__in=shown_ids)}
    profiles = {
        profile.user_id: profile
        for profile in adapter.profiles_of(formation.organisation, shown_ids)
    }
    # Only the moves `services.formation_move` accepts are offered: the engine's rules on
    # the new member sets, checked here in memory on what is already read (the people of
    # this page × the unlocked groups), as the service does (people without preferences
    # left out of the check). Each option is rendered once.
    members_people = {
        pk: [people[u] for u in members_of[pk] if u in people] for pk, _name in open_groups
    }
    # Cheap necessary conditions first (room, one cohort, a common hour), the engine's full
    # rules only on the groups that pass them: a large formation stays fast.
    room = {pk: len(found) < config.max_size for pk, found in members_people.items()}
    cohorts_of = {pk: {p.cohort for p in found} for pk, found in members_people.items()}
    slots_of = {pk: common_slots(found) for pk, found in members_people.items()}
    option_html = {pk: _options([(pk, name)]) for pk, name in open_groups}

    def may_join(person, pk: int) -> bool:
        return room[pk] and (
            not members_people[pk]
            or (cohorts_of[pk] <= {person.cohort} and bool(slots_of[pk] & person.availability))
        )

    out_option = format_html('<option value="{}">{}</option>', OUT, OUT_LABEL)

    def targets(user_id: int, own: int | None) -> list[int] | None:
        """The groups `user_id` may join (None when they may not leave `own` at all)."""
        person = people.get(user_id)
        if own is not None:
            remaining = [p for p in members_people[own] if p is not person]
            if violations(remaining, config):
                return None
        joined = [person] if person is not None else []
        return [
            pk
            for pk, _name in open_groups
            if pk != own
            and (person is None or may_join(person, pk))
            and not violations([*members_people[pk], *joined], config)
        ]

    def move(user_id: int, own: int | None):
        """The move menu of a person: None when there is none, the bound form after a
        refusal (offering the valid moves too), `{"stuck": True}` when no move would be
        accepted, else the options of the select."""
        if not in_review:
            return None
        valid = targets(user_id, own)
        if user_id == bound_user:
            choices = [(str(pk), groups_by_id[pk].name) for pk in valid or []]
            if valid is not None and own is not None:
                choices.append((OUT, OUT_LABEL))
            bound_form.fields["to_group"].choices = choices
            return {"form": bound_form}
        if valid is None or (own is None and not valid):
            return {"stuck": True}
        options = "".join(option_html[pk] for pk in valid)
        # Each option is escaped by `format_html`: joining them keeps them safe.
        return {"options": mark_safe(options + (out_option if own is not None else ""))}

    groups_by_id = {group.pk: group for group in all_groups}
    group_rows = []
    for group in page_groups:
        members = []
        for user_id in members_of[group.pk]:
            user = users.get(user_id)
            if user is None:
                continue
            row = _person(user, profiles.get(user_id))
            row["move"] = None if group.locked else move(user_id, group.pk)
            members.append(row)
        broken = broken_of[group.pk]
        group_rows.append(
            {
                "group": group,
                "members": members,
                "score": _percent(group.score),
                "reasons": adapter.explanation_labels(group.explanation or []),
                "meeting": _group_meeting(group.explanation or []),
                "broken": [str(services.VIOLATION_LABELS.get(v, v)) for v in broken],
                "lock_form": in_review,
                # The summary's link unfolds the group (and finds its page).
                "url": formation_url(formation, f"groupe-{group.pk}", open_group=group.pk),
                # Folded unless something needs a look: a broken rule, a move refused in it,
                # the group just changed.
                "open": bool(broken)
                or (bound_user is not None and bound_user in members_of[group.pk])
                or str(group.pk) == opened,
            }
        )
    unplaced_rows = []
    for item in unplaced:
        user = users.get(item["user"])
        if user is None:
            continue
        row = _person(user, profiles.get(user.pk))
        row["code"] = item["reason"]
        row["reason"] = REASON_LABELS.get(item["reason"], item["reason"])
        row["advice"] = ADVICE.get(item["reason"], "")
        row["move"] = move(user.pk, None) if open_groups else None
        unplaced_rows.append(row)
    stats = formation.stats or {}
    return {
        "formation": formation,
        "in_review": in_review,
        "running": running,
        "progress_step": formation.progress // 10 * 10,
        "compute_error": services.COMPUTE_ERRORS.get(formation.error, "")
        if formation.error
        else "",
        "group_rows": group_rows,
        "group_count": len(all_groups),
        "page_obj": page_obj,
        "unplaced_rows": unplaced_rows,
        "unplaced_count": len(formation.unplaced),
        "broken_count": sum(1 for broken in broken_of.values() if broken),
        "worst": _percent(stats.get("worst_score")),
        "mean": _percent(stats.get("mean_score")),
        "placed": len(memberships),
        # The size asked for is a target: said why some groups differ from it.
        "target_size": config.target_size,
        "off_target": any(len(members_of[group.pk]) != config.target_size for group in all_groups),
        "people_count": len(memberships) + len(formation.unplaced),
        "min_size": config.min_size,
        "max_size": config.max_size,
        "conflict": conflict,
        "action_errors": errors or [],
        "bound_user": bound_user,
        # The refused move's errors, summed up at the top of the page (ADR 0007/0028), each
        # linking to the person's menu where it is written again.
        "move_form": bound_form if bound_form is not None and bound_form.errors else None,
        "move_label": MoveForm.base_fields["to_group"].label,
    }


def _render_review(request, formation, *, status=200, **kwargs):
    return render(
        request,
        "www/peers/formation/review.html",
        _review_context(request, formation, **kwargs),
        status=status,
    )


@require_GET
def formation_view(request, formation_id: int):
    """A formation: its groups to review (or, once published, what was published)."""
    return _render_review(request, access_formation(request.user, formation_id))


@require_GET
def formation_status(request, formation_id: int):
    """What the page's htmx poll asks every two seconds: while the engine computes, its stage
    and progress (the status region's content); a refresh of the whole page once it is
    done; without htmx, the page."""
    formation = access_formation(request.user, formation_id)
    if not request.htmx:
        return redirect(formation_url(formation))
    if formation.status != GroupFormation.Status.RUNNING:
        return HttpResponseClientRefresh()
    return render(
        request,
        "www/peers/formation/_progress.html",
        {"formation": formation, "progress_step": formation.progress // 10 * 10},
    )


@require_POST
def formation_move(request, formation_id: int):
    formation = access_formation(request.user, formation_id)
    groups = [(group.pk, group.name) for group in formation.groups.filter(locked=False)]
    user_id = request.POST.get("user", "")
    form = MoveForm(
        request.POST,
        groups=groups,
        auto_id=f"u{user_id}_%s" if user_id.isdigit() else "id_%s",
    )
    conflict = None
    if form.is_valid():
        user = User.objects.filter(pk=form.cleaned_data["user"]).first()
        target_id = form.target_id()
        target = PeerGroup.objects.filter(pk=target_id).first() if target_id else None
        try:
            if user is None:
                raise ValidationError(_("Cette personne ne fait pas partie de cette formation."))
            services.formation_move(
                formation=formation,
                user=user,
                to_group=target,
                by=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersion as error:
            conflict = error.messages[0]
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(
                request,
                _("%(name)s rejoint « %(group)s ».")
                % {"name": user.get_full_name(), "group": target.name}
                if target
                else _("%(name)s reste à part, hors des groupes.") % {"name": user.get_full_name()},
            )
            return redirect(
                formation_url(
                    formation, f"personne-{user.pk}", open_group=target.pk if target else None
                )
            )
    formation.refresh_from_db()
    bound = (form.cleaned_data.get("user") if hasattr(form, "cleaned_data") else None, form)
    return _render_review(
        request, formation, bound=bound, conflict=conflict, status=409 if conflict else 400
    )


def _action(request, formation, form, action, success):
    """Run a service with the version the page was built from; on a refusal, the review
    again with the service's French message (409 when someone changed it meanwhile)."""
    if not form.is_valid():
        return _render_review(
            request,
            formation,
            errors=[_("La page était incomplète : rechargez-la et recommencez.")],
            status=400,
        )
    try:
        result = action(expected_version=form.cleaned_data["version"])
    except StaleVersion as error:
        formation.refresh_from_db()
        return _render_review(request, formation, conflict=error.messages[0], status=409)
    except ValidationError as error:
        formation.refresh_from_db()
        return _render_review(request, formation, errors=error.messages, status=400)
    return success(result)


@require_POST
def formation_lock(request, formation_id: int, group_id: int):
    formation = access_formation(request.user, formation_id)
    group = get_object_or_404(formation.groups.all(), pk=group_id)
    form = LockForm(request.POST)

    def success(group):
        messages.success(
            request,
            (
                _("« %(name)s » est verrouillé : il reste tel quel.")
                if group.locked
                else _("« %(name)s » est déverrouillé.")
            )
            % {"name": group.name},
        )
        return redirect(formation_url(formation, f"groupe-{group.pk}", open_group=group.pk))

    return _action(
        request,
        formation,
        form,
        lambda expected_version: services.formation_lock(
            formation=formation,
            group=group,
            locked=form.cleaned_data["locked"],
            by=request.user,
            expected_version=expected_version,
        ),
        success,
    )


@require_POST
def formation_rerun(request, formation_id: int):
    formation = access_formation(request.user, formation_id)

    def success(formation):
        formation.refresh_from_db(fields=["status"])
        messages.success(
            request,
            _(
                "Le nouveau calcul est lancé : les groupes verrouillés restent tels quels, "
                "cette page se met à jour dès que les autres sont prêts."
            )
            if formation.status == GroupFormation.Status.RUNNING
            else _("Formation refaite : les groupes verrouillés sont restés tels quels."),
        )
        return redirect(formation_url(formation))

    return _action(
        request,
        formation,
        FormationVersionForm(request.POST),
        lambda expected_version: services.formation_rerun(
            formation=formation, by=request.user, expected_version=expected_version
        ),
        success,
    )


@require_POST
def formation_publish(request, formation_id: int):
    formation = access_formation(request.user, formation_id)

    def success(published):
        messages.success(
            request,
            ngettext(
                "%(count)d groupe publié : ses membres sont invités à le rejoindre et ses "
                "rencontres sont planifiées.",
                "%(count)d groupes publiés : leurs membres sont invités à les rejoindre et "
                "leurs rencontres sont planifiées.",
                len(published),
            )
            % {"count": len(published)},
        )
        return redirect(formation_url(formation))

    return _action(
        request,
        formation,
        FormationVersionForm(request.POST),
        lambda expected_version: services.formation_publish(
            formation=formation, by=request.user, expected_version=expected_version
        ),
        success,
    )


@require_POST
def formation_discard(request, formation_id: int):
    formation = access_formation(request.user, formation_id)

    def success(_result):
        messages.success(request, _("La formation est abandonnée : rien n'a été publié."))
        return redirect(reverse("peers:formations"))

    return _action(
        request,
        formation,
        FormationVersionForm(request.POST),
        lambda expected_version: services.formation_discard(
            formation=formation, by=request.user, expected_version=expected_version
        ),
        success,
    )
