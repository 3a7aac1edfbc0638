"""Mentor profiles and mentee needs: the mentor's own profile (edit, submit, pause), the
beneficiary's needs with what a mentor will see, and the coordination's pages (the mentor
pool and its review, mentees and their cohorts, declared incompatibilities).

Every object comes through `visible_to(user)` restricted to the current organisation:
someone else's profile is a 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Value, When
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from tisser.core.access import role_required
from tisser.core.enums import Role
from tisser.core.errors import StaleVersion
from tisser.core.french import de
from tisser.mentoring import services
from tisser.mentoring.models import (
    WEEKDAYS,
    DaySlot,
    DeclaredConflict,
    HelpKind,
    Language,
    MenteeProfile,
    MentorProfile,
    Mentorship,
    availability_labels,
)
from tisser.mentoring.places import ACTIVE, mentor_places, organisation_places
from tisser.mentoring.sharing import shared_needs
from tisser.referentiel.models import Metier, RomeVersion
from tisser.referentiel.search import search_metiers
from tisser.www.forms import form_conflict_apply, form_errors_apply
from tisser.www.mentoring.profiles_forms import (
    CohortForm,
    ConflictForm,
    MenteeNeedsForm,
    MentorProfileForm,
    ReviewForm,
    fiche_codes,
)
from tisser.www.people_search import search_text

SEARCH_MAX_LENGTH = 200
# Fields whose value is a list: kept whole when the form comes back without being saved.
LIST_FIELDS = {
    "current_fiches",
    "past_fiches",
    "target_fiches",
    "extra_domaines",
    "skills",
    "sectors",
    "help_offered",
    "help_wanted",
    "availability",
    "languages",
}


def initial_from_post(post: QueryDict) -> dict:
    """The typed values, for a form shown again without being saved (a fiche search)."""
    return {
        name: post.getlist(name) if name in LIST_FIELDS else post.get(name)
        for name in post
        if name != "csrfmiddlewaretoken"
    }


# The fields a conflict shows side by side (the pickers and grids keep what was typed).
MENTOR_CONFLICT_FIELDS = [
    "headline",
    "career_path",
    "reconversion",
    "help_offered",
    "capacity",
    "motivation",
    "employer",
]
MENTEE_CONFLICT_FIELDS = ["seeking", "help_wanted", "wishes", "employer"]


# -- the fiche picker (several fiches) -----------------------------------------------------


def fiche_picker(form, name: str, *, legend: str, help_text: str, post=None) -> dict:
    """Context of `_fiche_picker.html`: the fiches chosen (checked boxes), the codes typed
    that match no fiche (kept in the add box), and what a search found."""
    field = form[name]
    raw = form.data.getlist(name) if form.is_bound else (field.value() or [])
    codes = fiche_codes(raw)
    by_code = {m.code_rome: m for m in Metier.objects.filter(code_rome__in=codes)}
    query = ((post or {}).get(f"{name}_q") or "").strip()[:SEARCH_MAX_LENGTH]
    version = RomeVersion.objects.current()
    results = []
    if query and version is not None:
        results = [r for r in search_metiers(query) if r.code_rome not in by_code]
    return {
        "name": name,
        "legend": legend,
        "help_text": help_text,
        "selected": [(code, by_code[code].libelle) for code in codes if code in by_code],
        "unknown": " ".join(code for code in codes if code not in by_code),
        "query": query,
        "results": [(r.code_rome, r.libelle) for r in results],
        "searched": bool(query),
        "rome_version": version,
        "errors": field.errors,
    }


def availability_grid(form) -> dict:
    """The 7 × 3 grid of the availability checkboxes: column headers, one row per day."""
    checked = set(form["availability"].value() or [])
    return {
        "slots": [slot.label for slot in DaySlot],
        "rows": [
            {
                "day": WEEKDAYS[day],
                "cells": [
                    {
                        "key": f"{day}-{slot.value}",
                        "label": f"{WEEKDAYS[day]} {slot.label}",
                        "checked": f"{day}-{slot.value}" in checked,
                    }
                    for slot in DaySlot
                ],
            }
            for day in range(7)
        ],
    }


def compact_skills(form) -> dict:
    """The compétences folded by fiche (each says how many are ticked) and those chosen,
    listed above the folds: the profile is no longer a wall of 36 boxes per fiche, and
    folding hides nothing that is chosen (ADR 0025)."""
    selected = form.selected_skills()
    groups, chosen = [], []
    for metier, skills in form.skill_groups:
        ticked = [skill for skill in skills if str(skill.pk) in selected]
        chosen += ticked
        groups.append(
            {"metier": metier, "skills": skills, "checked": len(ticked), "total": len(skills)}
        )
    sectors = form["sectors"].value() or []
    return {
        "skill_groups": groups,
        "chosen_skills": sorted(chosen, key=lambda skill: skill.libelle),
        "sectors_checked": len(sectors),
    }


# The description of what a mentor can pass on: read, never stored (the form has no field
# for it); at most TRANSMIT_SHOWN of their fiches' compétences are proposed, best first.
TRANSMIT_MAX_LENGTH = 500
TRANSMIT_SHOWN = 10


def _why_words(words) -> str:
    """« Vos mots : « soin », « plantes » », the description's words a label shares."""
    quoted = ", ".join(f"« {word} »" for word in words)
    return ngettext("Votre mot : %(words)s", "Vos mots : %(words)s", len(words)) % {"words": quoted}


def transmit_suggestions(form, post=None) -> dict:
    """What the page shows of `mentor_skills_described`: each suggested compétence a box of
    the `skills` field with why; a suggested compétence is ticked there only, its fiche's list
    names it without a second box."""
    post = post or {}
    text = (post.get("skills_q") or "").strip()[:TRANSMIT_MAX_LENGTH]
    asked = "skill_suggest" in post
    offered = [skill for _metier, skills in form.skill_groups for skill in skills]
    found = (
        services.mentor_skills_described(text, offered, most=TRANSMIT_SHOWN)
        if text and offered
        else []
    )
    selected = form.selected_skills()
    suggestions = [
        {
            "skill": skill,
            "why": _why_words(words) if words else "",
            "checked": str(skill.pk) in selected,
        }
        for skill, words in found or []
    ]
    return {
        "query": text,
        # Asked with nothing written: said so. Anything written is read again whenever the
        # form comes back (another fiche, an error): the proposals follow the fiches.
        "empty": asked and not text,
        "read": bool(text),
        "no_fiches": not offered,
        "unavailable": found is None,
        "suggestions": suggestions,
        "suggested_pks": {skill.pk for skill, _words in found or []},
    }


def _searching(request) -> bool:
    return request.method == "POST" and (
        "fiche_search" in request.POST
        or "refresh" in request.POST
        or "skill_suggest" in request.POST
    )


# -- the mentor's own profile --------------------------------------------------------------


def own_mentor_profile(request) -> MentorProfile | None:
    return (
        MentorProfile.objects.visible_to(request.user)
        .filter(user=request.user, organisation=request.membership.organisation)
        .select_related("reviewed_by")
        .first()
    )


def render_mentor_profile(request, form, profile, *, conflict=None, status=200):
    post = request.POST if _searching(request) else None
    places = mentor_places(profile) if profile else None
    transmit = transmit_suggestions(form, request.POST if request.method == "POST" else None)
    return render(
        request,
        "www/mentoring/profiles/mentor_profile.html",
        {
            "form": form,
            "profile": profile,
            "missing": services.mentor_profile_missing(profile) if profile else [],
            "places": places,
            "grid": availability_grid(form),
            "current_picker": fiche_picker(
                form,
                "current_fiches",
                legend=_("Mes métiers actuels"),
                help_text=_("Les fiches métier ROME de ce que vous faites aujourd'hui."),
                post=post,
            ),
            "past_picker": fiche_picker(
                form,
                "past_fiches",
                legend=_("Les métiers que j'ai exercés"),
                help_text=_("Les fiches métier ROME de vos emplois précédents."),
                post=post,
            ),
            "selected_skills": form.selected_skills(),
            **compact_skills(form),
            "transmit": transmit,
            "conflict": conflict,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.MENTOR)
def mentor_profile(request):
    """The mentor writes their profile; its status and the coordination's note are shown."""
    profile = own_mentor_profile(request)
    if _searching(request):
        form = MentorProfileForm(initial=initial_from_post(request.POST))
        return render_mentor_profile(request, form, profile)
    if request.method != "POST":
        form = MentorProfileForm(initial=MentorProfileForm.initial_from(profile))
        return render_mentor_profile(request, form, profile)
    form = MentorProfileForm(request.POST)
    if form.is_valid():
        try:
            saved = services.mentor_profile_save(
                user=request.user,
                organisation=request.membership.organisation,
                data=form.to_data(),
                expected_version=form.cleaned_data["version"] or 0,
            )
        except StaleVersion as error:
            conflict = form_conflict_apply(
                form, error, fields=MENTOR_CONFLICT_FIELDS, changed_only=True
            )
            profile = own_mentor_profile(request)
            return render_mentor_profile(request, form, profile, conflict=conflict, status=409)
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            if saved.status in (MentorProfile.Status.DRAFT, MentorProfile.Status.REJECTED):
                messages.success(
                    request,
                    _(
                        "Votre profil est enregistré. Envoyez-le à la coordination quand il est "
                        "prêt : il apparaîtra une fois validé."
                    ),
                )
            else:
                messages.success(request, _("Votre profil est enregistré."))
            return redirect("mentoring:mentor_profile")
    return render_mentor_profile(request, form, profile, status=400)


def _own_profile_or_404(request) -> MentorProfile:
    return get_object_or_404(
        MentorProfile.objects.visible_to(request.user).filter(
            user=request.user, organisation=request.membership.organisation
        )
    )


@require_POST
@role_required(Role.MENTOR)
def mentor_profile_submit(request):
    profile = _own_profile_or_404(request)
    try:
        services.mentor_profile_submit(user=request.user, profile=profile)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "Votre profil est envoyé à la coordination. Vous serez prévenu·e dès qu'il "
                "sera relu."
            ),
        )
    return redirect("mentoring:mentor_profile")


@require_POST
@role_required(Role.MENTOR)
def mentor_profile_pause(request):
    profile = _own_profile_or_404(request)
    paused = request.POST.get("pause") == "1"
    services.mentor_profile_pause(user=request.user, profile=profile, paused=paused)
    messages.success(
        request,
        _(
            "Votre profil est en pause : personne de nouveau ne vous sera proposé. Vos "
            "mentorats en cours continuent."
        )
        if paused
        else _("Votre profil est de nouveau ouvert à de nouvelles personnes."),
    )
    return redirect("mentoring:mentor_profile")


# -- the beneficiary's needs ---------------------------------------------------------------


def own_mentee_profile(request) -> MenteeProfile | None:
    return (
        MenteeProfile.objects.visible_to(request.user)
        .filter(user=request.user, organisation=request.membership.organisation)
        .first()
    )


def render_mentee_needs(request, form, profile, *, preview, conflict=None, status=200):
    context = {
        "form": form,
        "conflict": conflict,
        "profile": profile,
        "preview": preview,
        "grid": availability_grid(form),
        "targets_picker": fiche_picker(
            form,
            "target_fiches",
            legend=_("Les métiers que je vise"),
            help_text=_(
                "Repris du projet privilégié de votre bilan ; vous pouvez en ajouter ou en retirer."
            ),
            post=request.POST if _searching(request) else None,
        ),
    }
    if request.htmx and request.method == "POST" and "preview" in request.POST:
        return render(request, "www/mentoring/profiles/_needs_preview.html", context)
    return render(request, "www/mentoring/profiles/mentee_needs.html", context, status=status)


def _preview_from(request, form):
    """What a mentor would read of the needs as typed; None while the form has errors."""
    if not form.is_valid():
        return None
    try:
        return services.mentee_needs_preview(
            user=request.user,
            organisation=request.membership.organisation,
            data=form.to_data(),
        )
    except ValidationError:
        return None


@require_http_methods(["GET", "POST"])
@role_required(Role.BENEFICIARY)
def mentee_needs(request):
    """The beneficiary's wish for a mentor and their sharing consents, with a preview of
    what a mentor will see (updated as they tick, or with the "Voir l'aperçu" button)."""
    organisation = request.membership.organisation
    profile = own_mentee_profile(request)
    if _searching(request):
        form = MenteeNeedsForm(initial=initial_from_post(request.POST))
        return render_mentee_needs(request, form, profile, preview=None)
    if request.method != "POST":
        targets = [] if profile else services.mentee_initial_targets(request.user, organisation)
        form = MenteeNeedsForm(initial=MenteeNeedsForm.initial_from(profile, targets))
        preview = shared_needs(profile) if profile else None
        if preview is None:
            preview = _preview_from(request, MenteeNeedsForm(_as_querydict(form.initial)))
        return render_mentee_needs(request, form, profile, preview=preview)
    form = MenteeNeedsForm(request.POST)
    if "preview" in request.POST:
        preview = _preview_from(request, form)
        return render_mentee_needs(request, form, profile, preview=preview)
    if form.is_valid():
        try:
            services.mentee_profile_save(
                user=request.user,
                organisation=organisation,
                data=form.to_data(),
                expected_version=form.cleaned_data["version"] or 0,
            )
        except StaleVersion as error:
            conflict = form_conflict_apply(
                form, error, fields=MENTEE_CONFLICT_FIELDS, changed_only=True
            )
            profile = own_mentee_profile(request)
            return render_mentee_needs(
                request, form, profile, preview=None, conflict=conflict, status=409
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Vos besoins sont enregistrés."))
            return redirect("mentoring:mentee_needs")
    return render_mentee_needs(request, form, profile, preview=None, status=400)


def _as_querydict(values: dict) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in values.items():
        if isinstance(value, list | tuple):
            data.setlist(name, [str(item) for item in value])
        elif value is True:
            data[name] = "on"
        elif value not in (None, False):
            data[name] = str(value)
    return data


# -- the coordination: the mentor pool -----------------------------------------------------


def _pool(request):
    return MentorProfile.objects.visible_to(request.user).filter(
        organisation=request.membership.organisation
    )


POOL_PER_PAGE = 50
MENTEES_PER_PAGE = 50


@role_required(Role.COORDINATOR)
def pool(request):
    """The organisation's mentors, those awaiting validation first, with their places, a
    page at a time."""
    profiles = (
        _pool(request)
        .select_related("user")
        .annotate(
            active_count=Count("mentorships", filter=ACTIVE),
            waiting=Case(
                When(status=MentorProfile.Status.SUBMITTED, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
        )
        .order_by("waiting", "user__last_name", "user__first_name", "id")
    )
    page_obj = Paginator(profiles, POOL_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {"profile": profile, "places": mentor_places(profile)} for profile in page_obj.object_list
    ]
    return render(
        request,
        "www/mentoring/profiles/pool.html",
        {
            "rows": rows,
            "page_obj": page_obj,
            # The same computation as the coordination's hub (mentoring.places).
            "totals": organisation_places(request.membership.organisation),
            "waiting": _pool(request).filter(status=MentorProfile.Status.SUBMITTED).count(),
        },
    )


def render_pool_profile(request, profile, review_form, *, status=200):
    active = (
        profile.mentorships.filter(status=Mentorship.Status.ACTIVE)
        .select_related("mentee")
        .order_by("started_at", "id")
    )
    return render(
        request,
        "www/mentoring/profiles/pool_profile.html",
        {
            "profile": profile,
            "form": review_form,
            "active": active,
            "places": mentor_places(profile),
            "help_labels": [HelpKind(kind).label for kind in profile.help_offered],
            "availability": availability_labels(profile.availability),
            "languages": [Language(code).label for code in profile.languages if code in Language],
            "missing": services.mentor_profile_missing(profile),
        },
        status=status,
    )


def _pool_profile(request, profile_id: int) -> MentorProfile:
    return get_object_or_404(_pool(request).select_related("user", "reviewed_by"), pk=profile_id)


@role_required(Role.COORDINATOR)
def pool_profile(request, profile_id: int):
    """Everything of one mentor's profile, the employer included, and its review."""
    profile = _pool_profile(request, profile_id)
    return render_pool_profile(request, profile, ReviewForm())


@require_POST
@role_required(Role.COORDINATOR)
def pool_profile_review(request, profile_id: int):
    profile = _pool_profile(request, profile_id)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.mentor_profile_review(
                coordinator=request.user,
                profile=profile,
                approve=form.cleaned_data["decision"] == "validate",
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            name = profile.user.get_full_name()
            messages.success(
                request,
                _("Le profil %(de_name)s est validé.") % {"de_name": de(name)}
                if form.cleaned_data["decision"] == "validate"
                else _("Le profil %(de_name)s est renvoyé avec votre remarque.")
                % {"de_name": de(name)},
            )
            return redirect("mentoring:pool")
    return render_pool_profile(request, profile, form, status=400)


# -- the coordination: mentees and cohorts -------------------------------------------------


def _mentees(request):
    return MenteeProfile.objects.visible_to(request.user).filter(
        organisation=request.membership.organisation
    )


@role_required(Role.COORDINATOR)
def mentees(request):
    """Who looks for a mentor: name, cohort, help wanted and whether a mentorship runs. The
    wishes text and the bilan fields are not shown here."""
    profiles = (
        _mentees(request)
        .filter(seeking=True)
        .select_related("user")
        .annotate(
            mentored=Exists(
                Mentorship.objects.filter(
                    mentee=OuterRef("user"),
                    organisation=OuterRef("organisation"),
                    status=Mentorship.Status.ACTIVE,
                )
            )
        )
        .order_by("cohort", "user__last_name", "user__first_name", "id")
    )
    page_obj = Paginator(profiles, MENTEES_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {
            "profile": profile,
            "help": [HelpKind(kind).label for kind in profile.help_wanted if kind in HelpKind],
        }
        for profile in page_obj.object_list
    ]
    return render(
        request, "www/mentoring/profiles/mentees.html", {"rows": rows, "page_obj": page_obj}
    )


@require_POST
@role_required(Role.COORDINATOR)
def mentee_cohort(request, profile_id: int):
    profile = get_object_or_404(_mentees(request).select_related("user"), pk=profile_id)
    form = CohortForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("La promotion %(de_name)s n'est pas enregistrée : 100 caractères au plus.")
            % {"de_name": de(profile.user.get_full_name())},
        )
        return redirect("mentoring:mentees")
    services.mentee_cohort_set(
        coordinator=request.user, profile=profile, cohort=form.cleaned_data["cohort"]
    )
    messages.success(
        request,
        _("Promotion %(de_name)s : %(cohort)s.")
        % {
            "de_name": de(profile.user.get_full_name()),
            "cohort": profile.cohort or _("aucune"),
        },
    )
    return redirect("mentoring:mentees")


# -- the coordination: declared incompatibilities -----------------------------------------


CONFLICTS_PER_PAGE = 50


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR)
def conflicts(request):
    """The declared incompatibilities, a page at a time, and the form that declares one: its
    lists offer a few people by name, narrowed by a search (never the whole organisation)."""
    organisation = request.membership.organisation
    mentee_choices = _mentees(request).select_related("user")
    mentor_choices = _pool(request).select_related("user")
    mentee_search = search_text(request.GET.get("personne"))
    mentor_search = search_text(request.GET.get("mentor"))
    form = ConflictForm(
        request.POST or None,
        mentees=mentee_choices,
        mentors=mentor_choices,
        mentee_search=mentee_search,
        mentor_search=mentor_search,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.conflict_declare(
                    coordinator=request.user,
                    mentee=form.cleaned_data["mentee"],
                    mentor=form.cleaned_data["mentor"],
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                messages.success(
                    request,
                    _("L'incompatibilité est enregistrée : ce duo ne sera jamais proposé."),
                )
                return redirect("mentoring:conflicts")
        status = 400
    declared = (
        DeclaredConflict.objects.visible_to(request.user)
        .filter(organisation=organisation)
        .select_related("mentee", "mentor__user", "declared_by")
        .order_by("-created_at", "-id")
    )
    return render(
        request,
        "www/mentoring/profiles/conflicts.html",
        {
            "form": form,
            "page_obj": Paginator(declared, CONFLICTS_PER_PAGE).get_page(request.GET.get("page")),
            "mentee_search": mentee_search,
            "mentor_search": mentor_search,
        },
        status=status,
    )


@require_POST
@role_required(Role.COORDINATOR)
def conflict_delete(request, conflict_id: int):
    conflict = get_object_or_404(
        DeclaredConflict.objects.visible_to(request.user).filter(
            organisation=request.membership.organisation
        ),
        pk=conflict_id,
    )
    services.conflict_remove(coordinator=request.user, conflict=conflict)
    messages.success(request, _("L'incompatibilité est levée."))
    return redirect("mentoring:conflicts")
