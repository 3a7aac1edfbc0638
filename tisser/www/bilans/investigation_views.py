"""The investigation tools of a bilan: parcours, réussites and their suggested compétences,
portfolio, needs and aspirations.

The beneficiary edits them; the bilan's consultant reads the same pages without forms.
The bilan comes through `Bilan.objects.visible_to`, narrowed to these two people (a
coordinator sees management data only: 404 here), and its parts through their own
`visible_to` within it. Writes answer 404 to anyone but the beneficiary."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from tisser.bilans import services as bilans
from tisser.bilans.access import (
    access_achievement,
    access_bilan,
    access_experience,
    access_own_bilan,
    access_portfolio_item,
)
from tisser.bilans.models import (
    Achievement,
    Aspirations,
    Bilan,
    CompetenceSuggestion,
    Experience,
    ItemKind,
    PortfolioItem,
)
from tisser.bilans.suggestions import rome_items_search
from tisser.core.errors import StaleVersion
from tisser.referentiel.models import Metier, RomeVersion
from tisser.referentiel.search import search_metiers
from tisser.www.bilans.investigation_forms import (
    LEVEL_WORDS,
    AchievementForm,
    AspirationsForm,
    ExperienceForm,
    PortfolioAddForm,
    PortfolioItemForm,
)
from tisser.www.confirmation import confirmation_asked
from tisser.www.forms import form_conflict_apply, form_errors_apply

QUERY_MAX_LENGTH = 200
SEARCH_LIMIT = 20


def tools_context(request, bilan: Bilan, tool: str) -> dict:
    is_beneficiary = request.user.pk == bilan.beneficiary_id
    return {
        "bilan": bilan,
        "tool": tool,
        "is_beneficiary": is_beneficiary,
        "editable": bilans.can_edit(request.user, bilan),
    }


def level_words(name: str, value):
    """A portfolio level as its few words ("Peut transmettre"), other values unchanged."""
    if name == "level" and str(value).isdigit():
        return LEVEL_WORDS.get(int(value), value)
    return value


def error_messages(error: ValidationError) -> list[str]:
    return list(error.messages)


# -- parcours -------------------------------------------------------------------------------


def experiences_of(bilan: Bilan, user):
    return (
        Experience.objects.visible_to(user)
        .filter(bilan=bilan)
        .prefetch_related(Prefetch("fiches", queryset=Metier.objects.order_by("code_rome")))
    )


@require_http_methods(["GET", "POST"])
def parcours(request, bilan_id: int):
    if request.method == "POST":
        bilan = access_own_bilan(request.user, bilan_id)
        form = ExperienceForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                experience = bilans.experience_create(
                    actor=request.user,
                    bilan=bilan,
                    kind=data["kind"],
                    title=data["title"],
                    organisation_name=data["organisation_name"],
                    started_on=data["started_on"],
                    ended_on=data["ended_on"],
                    description=data["description"],
                )
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                messages.success(
                    request,
                    _("L'expérience est ajoutée. Vous pouvez la relier à des fiches métier."),
                )
                return redirect(
                    reverse("bilans:experience_edit", args=[bilan.pk, experience.pk]) + "#fiches"
                )
        status = 400
    else:
        bilan = access_bilan(request.user, bilan_id)
        form = ExperienceForm(initial={"kind": Experience.Kind.JOB})
        status = 200
    context = tools_context(request, bilan, "parcours")
    context.update(form=form, experiences=experiences_of(bilan, request.user))
    return render(request, "www/bilans/investigation/parcours.html", context, status=status)


def fiche_search_context(request) -> dict:
    query = request.GET.get("q", "").strip()[:QUERY_MAX_LENGTH]
    return {
        "query": query,
        "fiche_results": search_metiers(query) if query else [],
        "rome_version": RomeVersion.objects.current(),
    }


@require_http_methods(["GET", "POST"])
def experience_edit(request, bilan_id: int, experience_id: int):
    if request.method == "POST":
        bilan = access_own_bilan(request.user, bilan_id)
    else:
        bilan = access_bilan(request.user, bilan_id)
    experience = access_experience(request.user, bilan, experience_id)
    context = tools_context(request, bilan, "parcours")
    context.update(fiche_search_context(request))
    if request.htmx and request.method == "GET":
        return render(
            request,
            "www/bilans/investigation/_fiche_results.html",
            {**context, "experience": experience},
        )
    status = 200
    conflict = None
    if request.method == "POST":
        form = ExperienceForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                bilans.experience_update(
                    actor=request.user,
                    experience=experience,
                    expected_version=data["version"],
                    kind=data["kind"],
                    title=data["title"],
                    organisation_name=data["organisation_name"],
                    started_on=data["started_on"],
                    ended_on=data["ended_on"],
                    description=data["description"],
                )
            except StaleVersion as error:
                conflict = form_conflict_apply(form, error)
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                messages.success(request, _("L'expérience est enregistrée."))
                return redirect("bilans:parcours", bilan_id=bilan.pk)
        status = 409 if conflict else 400
    else:
        form = ExperienceForm(
            initial={
                "kind": experience.kind,
                "title": experience.title,
                "organisation_name": experience.organisation_name,
                "started_on": experience.started_on,
                "ended_on": experience.ended_on,
                "description": experience.description,
                "version": experience.version,
            }
        )
    context.update(
        form=form,
        conflict=conflict,
        experience=experience,
        fiches=experience.fiches.order_by("code_rome"),
    )
    return render(request, "www/bilans/investigation/experience.html", context, status=status)


@require_POST
def experience_delete(request, bilan_id: int, experience_id: int):
    bilan = access_own_bilan(request.user, bilan_id)
    experience = access_experience(request.user, bilan, experience_id)
    if bilans.can_edit(request.user, bilan):
        asked = confirmation_asked(
            request,
            question=_("Supprimer l'expérience « %(title)s » ?") % {"title": experience.title},
            consequences=[
                _("Elle disparaît de votre parcours, avec ses fiches métier."),
                _("Les réussites qui lui sont rattachées restent, sans ce lien."),
            ],
            confirm_label=_("Oui, supprimer l'expérience"),
            cancel_url=reverse("bilans:parcours", args=[bilan.pk]),
            cancel_label=_("Non, la garder"),
        )
        if asked is not None:
            return asked
    try:
        bilans.experience_delete(actor=request.user, experience=experience)
    except ValidationError as error:
        for text in error_messages(error):
            messages.error(request, text)
    else:
        messages.success(
            request, _("L'expérience « %(title)s » est supprimée.") % {"title": experience.title}
        )
    return redirect("bilans:parcours", bilan_id=bilan.pk)


def _experience_fiche_change(request, bilan_id: int, experience_id: int, *, add: bool):
    bilan = access_own_bilan(request.user, bilan_id)
    experience = access_experience(request.user, bilan, experience_id)
    metier = get_object_or_404(Metier, code_rome=request.POST.get("code_rome", "").upper())
    service = bilans.experience_fiche_add if add else bilans.experience_fiche_remove
    try:
        service(actor=request.user, experience=experience, metier=metier)
    except ValidationError as error:
        for text in error_messages(error):
            messages.error(request, text)
    else:
        message = (
            _("La fiche « %(fiche)s » est reliée à cette expérience.")
            if add
            else _("La fiche « %(fiche)s » n'est plus reliée à cette expérience.")
        )
        messages.success(request, message % {"fiche": metier.libelle})
    return redirect(reverse("bilans:experience_edit", args=[bilan.pk, experience.pk]) + "#fiches")


@require_POST
def experience_fiche_add(request, bilan_id: int, experience_id: int):
    return _experience_fiche_change(request, bilan_id, experience_id, add=True)


@require_POST
def experience_fiche_remove(request, bilan_id: int, experience_id: int):
    return _experience_fiche_change(request, bilan_id, experience_id, add=False)


# -- réussites ------------------------------------------------------------------------------


def achievement_form(bilan: Bilan, *args, **kwargs) -> AchievementForm:
    return AchievementForm(
        *args, experiences=bilan.experiences.order_by("-started_on", "-id"), **kwargs
    )


def achievement_values(data) -> dict:
    return {
        "title": data["title"],
        "situation": data["situation"],
        "action": data["action"],
        "result": data["result"],
        "experience": data["experience"],
    }


@require_http_methods(["GET", "POST"])
def achievements(request, bilan_id: int):
    if request.method == "POST":
        bilan = access_own_bilan(request.user, bilan_id)
        form = achievement_form(bilan, request.POST)
        if form.is_valid():
            try:
                achievement = bilans.achievement_create(
                    actor=request.user, bilan=bilan, **achievement_values(form.cleaned_data)
                )
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                messages.success(
                    request,
                    _("La réussite est enregistrée. Voici les compétences qu'elle évoque."),
                )
                return redirect(
                    reverse("bilans:achievement_edit", args=[bilan.pk, achievement.pk])
                    + "#suggestions"
                )
        status = 400
    else:
        bilan = access_bilan(request.user, bilan_id)
        form = achievement_form(bilan)
        status = 200
    context = tools_context(request, bilan, "achievements")
    context.update(
        form=form,
        achievements=Achievement.objects.visible_to(request.user)
        .filter(bilan=bilan)
        .select_related("experience")
        .prefetch_related(
            Prefetch(
                "suggestions",
                queryset=CompetenceSuggestion.objects.exclude(
                    status=CompetenceSuggestion.Status.REJECTED
                ),
            )
        ),
    )
    return render(request, "www/bilans/investigation/achievements.html", context, status=status)


@require_http_methods(["GET", "POST"])
def achievement_edit(request, bilan_id: int, achievement_id: int):
    if request.method == "POST":
        bilan = access_own_bilan(request.user, bilan_id)
    else:
        bilan = access_bilan(request.user, bilan_id)
    achievement = access_achievement(request.user, bilan, achievement_id)
    status = 200
    conflict = None
    if request.method == "POST":
        form = achievement_form(bilan, request.POST)
        if form.is_valid():
            try:
                bilans.achievement_update(
                    actor=request.user,
                    achievement=achievement,
                    expected_version=form.cleaned_data["version"],
                    **achievement_values(form.cleaned_data),
                )
            except StaleVersion as error:
                conflict = form_conflict_apply(
                    form, error, fields=["title", "experience", "situation", "action", "result"]
                )
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                messages.success(
                    request,
                    _("La réussite est enregistrée ; les compétences suggérées sont à jour."),
                )
                return redirect(
                    reverse("bilans:achievement_edit", args=[bilan.pk, achievement.pk])
                    + "#suggestions"
                )
        status = 409 if conflict else 400
    else:
        form = achievement_form(
            bilan,
            initial={
                "title": achievement.title,
                "experience": achievement.experience_id,
                "situation": achievement.situation,
                "action": achievement.action,
                "result": achievement.result,
                "version": achievement.version,
            },
        )
    by_status = {status_value: [] for status_value in CompetenceSuggestion.Status.values}
    for suggestion in achievement.suggestions.order_by("-score", "code_ogr"):
        by_status[suggestion.status].append(suggestion)
    context = tools_context(request, bilan, "achievements")
    context.update(
        form=form,
        conflict=conflict,
        achievement=achievement,
        pending=by_status[CompetenceSuggestion.Status.PENDING],
        accepted=by_status[CompetenceSuggestion.Status.ACCEPTED],
        rejected=by_status[CompetenceSuggestion.Status.REJECTED],
        rome_version=RomeVersion.objects.current(),
    )
    return render(request, "www/bilans/investigation/achievement.html", context, status=status)


@require_POST
def achievement_delete(request, bilan_id: int, achievement_id: int):
    bilan = access_own_bilan(request.user, bilan_id)
    achievement = access_achievement(request.user, bilan, achievement_id)
    if bilans.can_edit(request.user, bilan):
        asked = confirmation_asked(
            request,
            question=_("Supprimer la réussite « %(title)s » ?") % {"title": achievement.title},
            consequences=[
                _("Son récit et les compétences que vous y aviez repérées sont effacés.")
            ],
            confirm_label=_("Oui, supprimer la réussite"),
            cancel_url=reverse("bilans:achievements", args=[bilan.pk]),
            cancel_label=_("Non, la garder"),
        )
        if asked is not None:
            return asked
    try:
        bilans.achievement_delete(actor=request.user, achievement=achievement)
    except ValidationError as error:
        for text in error_messages(error):
            messages.error(request, text)
    else:
        messages.success(
            request, _("La réussite « %(title)s » est supprimée.") % {"title": achievement.title}
        )
    return redirect("bilans:achievements", bilan_id=bilan.pk)


def _suggestion_decide(request, bilan_id: int, suggestion_id: int, *, accept: bool):
    bilan = access_own_bilan(request.user, bilan_id)
    suggestion = get_object_or_404(
        CompetenceSuggestion.objects.filter(
            achievement__in=Achievement.objects.visible_to(request.user).filter(bilan=bilan)
        ).select_related("achievement"),
        pk=suggestion_id,
    )
    try:
        if accept:
            bilans.suggestion_accept(actor=request.user, suggestion=suggestion)
        else:
            bilans.suggestion_reject(actor=request.user, suggestion=suggestion)
    except ValidationError as error:
        for text in error_messages(error):
            messages.error(request, text)
    else:
        message = (
            _("« %(label)s » est dans votre portefeuille, avec cette réussite comme preuve.")
            if accept
            else _("« %(label)s » est écartée pour cette réussite.")
        )
        messages.success(request, message % {"label": suggestion.label})
    return redirect(
        reverse("bilans:achievement_edit", args=[bilan.pk, suggestion.achievement_id])
        + "#suggestions"
    )


@require_POST
def suggestion_accept(request, bilan_id: int, suggestion_id: int):
    return _suggestion_decide(request, bilan_id, suggestion_id, accept=True)


@require_POST
def suggestion_reject(request, bilan_id: int, suggestion_id: int):
    return _suggestion_decide(request, bilan_id, suggestion_id, accept=False)


# -- portfolio ------------------------------------------------------------------------------

# Lazy: the headings follow the language of each request, not the one active at import.
PREFERENCE_GROUPS = (
    (
        PortfolioItem.Preference.WANTED,
        "wanted",
        gettext_lazy("Ce que j'ai envie d'utiliser"),
    ),
    (
        PortfolioItem.Preference.ENDURED,
        "endured",
        gettext_lazy("Ce que je fais parce qu'il le faut"),
    ),
    (
        PortfolioItem.Preference.NEUTRAL,
        "neutral",
        gettext_lazy("Ni l'un ni l'autre"),
    ),
)


def rome_search_context(request, held: set[tuple[str, int]]) -> dict:
    """The portfolio search: ROME items matching `q`, of the `nature` asked for, each
    marked if it is `held` already."""
    query = request.GET.get("q", "").strip()[:QUERY_MAX_LENGTH]
    kind = request.GET.get("nature", "")
    kind = kind if kind in ItemKind.values else ""
    found = rome_items_search(query, limit=SEARCH_LIMIT, kind=kind or None) if query else []
    return {
        "query": query,
        "nature": kind,
        "kinds": ItemKind.choices,
        "rome_results": [
            {
                "kind": hit.kind,
                "code_ogr": hit.code_ogr,
                "label": hit.label,
                "fiche": hit.fiche,
                "held": (hit.kind, hit.code_ogr) in held,
            }
            for hit in found
        ],
        "rome_version": RomeVersion.objects.current(),
    }


def portfolio(request, bilan_id: int):
    bilan = access_bilan(request.user, bilan_id)
    context = tools_context(request, bilan, "portfolio")
    items = list(
        PortfolioItem.objects.visible_to(request.user)
        .filter(bilan=bilan)
        .prefetch_related(Prefetch("achievements", queryset=Achievement.objects.order_by("title")))
    )
    context.update(rome_search_context(request, {(item.kind, item.code_ogr) for item in items}))
    if request.htmx:
        return render(request, "www/bilans/investigation/_rome_results.html", context)
    for item in items:
        item.level_words = LEVEL_WORDS.get(item.level, "")
    context["groups"] = [
        {
            "slug": slug,
            "title": title,
            "items": [item for item in items if item.preference == preference],
        }
        for preference, slug, title in PREFERENCE_GROUPS
    ]
    context["item_count"] = len(items)
    return render(request, "www/bilans/investigation/portfolio.html", context)


def portfolio_achievements(bilan: Bilan):
    return bilan.achievements.order_by("title", "id")


@require_http_methods(["GET", "POST"])
def portfolio_add(request, bilan_id: int):
    bilan = access_own_bilan(request.user, bilan_id)
    if request.method == "POST":
        form = PortfolioAddForm(request.POST, achievements=portfolio_achievements(bilan))
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                item = bilans.portfolio_item_add(
                    actor=request.user,
                    bilan=bilan,
                    kind=data["kind"],
                    code_ogr=data["code"],
                    level=data["level"],
                    preference=data["preference"],
                    evidence=data["evidence"],
                    achievements=data["achievements"],
                )
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                messages.success(
                    request, _("« %(label)s » est dans votre portefeuille.") % {"label": item.label}
                )
                return redirect("bilans:portfolio", bilan_id=bilan.pk)
        kind, code = form.data.get("kind", ""), form.data.get("code", "")
    else:
        kind, code = request.GET.get("nature", ""), request.GET.get("code", "")
        form = PortfolioAddForm(
            initial={
                "kind": kind,
                "code": code,
                "level": 2,
                "preference": PortfolioItem.Preference.NEUTRAL,
            },
            achievements=portfolio_achievements(bilan),
        )
        status = 200
    try:
        label = bilans.rome_item_label(kind, int(code))
    except (TypeError, ValueError):
        label = None
    if label is None:
        raise Http404
    context = tools_context(request, bilan, "portfolio")
    context.update(
        form=form,
        label=label,
        kind_label=ItemKind(kind).label,
        adding=True,
        rome_version=RomeVersion.objects.current(),
    )
    return render(request, "www/bilans/investigation/portfolio_item.html", context, status=status)


@require_http_methods(["GET", "POST"])
def portfolio_item_edit(request, bilan_id: int, item_id: int):
    if request.method == "POST":
        bilan = access_own_bilan(request.user, bilan_id)
    else:
        bilan = access_bilan(request.user, bilan_id)
    item = access_portfolio_item(request.user, bilan, item_id)
    status = 200
    conflict = None
    if request.method == "POST":
        form = PortfolioItemForm(request.POST, achievements=portfolio_achievements(bilan))
        if form.is_valid():
            data = form.cleaned_data
            try:
                bilans.portfolio_item_update(
                    actor=request.user,
                    item=item,
                    expected_version=data["version"],
                    level=data["level"],
                    preference=data["preference"],
                    evidence=data["evidence"],
                    achievements=data["achievements"],
                )
            except StaleVersion as error:
                conflict = form_conflict_apply(
                    form,
                    error,
                    fields=["level", "preference", "evidence"],
                    display=level_words,
                )
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                messages.success(
                    request, _("« %(label)s » est enregistré.") % {"label": item.label}
                )
                return redirect("bilans:portfolio", bilan_id=bilan.pk)
        status = 409 if conflict else 400
    else:
        form = PortfolioItemForm(
            initial={
                "level": item.level,
                "preference": item.preference,
                "evidence": item.evidence,
                "achievements": list(item.achievements.values_list("pk", flat=True)),
                "version": item.version,
            },
            achievements=portfolio_achievements(bilan),
        )
    context = tools_context(request, bilan, "portfolio")
    context.update(
        form=form,
        conflict=conflict,
        item=item,
        label=item.label,
        kind_label=item.get_kind_display(),
        level_words=LEVEL_WORDS.get(item.level, ""),
        item_achievements=item.achievements.order_by("title"),
        rome_version=RomeVersion.objects.current(),
    )
    return render(request, "www/bilans/investigation/portfolio_item.html", context, status=status)


@require_POST
def portfolio_item_remove(request, bilan_id: int, item_id: int):
    bilan = access_own_bilan(request.user, bilan_id)
    item = access_portfolio_item(request.user, bilan, item_id)
    try:
        bilans.portfolio_item_remove(actor=request.user, item=item)
    except ValidationError as error:
        for text in error_messages(error):
            messages.error(request, text)
    else:
        messages.success(
            request, _("« %(label)s » est retiré de votre portefeuille.") % {"label": item.label}
        )
    return redirect("bilans:portfolio", bilan_id=bilan.pk)


# -- needs and aspirations ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def aspirations(request, bilan_id: int):
    if request.method == "POST":
        bilan = access_own_bilan(request.user, bilan_id)
    else:
        bilan = access_bilan(request.user, bilan_id)
    saved = Aspirations.objects.visible_to(request.user).filter(bilan=bilan).first()
    status = 200
    conflict = None
    if request.method == "POST":
        form = AspirationsForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                bilans.aspirations_save(
                    actor=request.user,
                    bilan=bilan,
                    expected_version=data["version"],
                    mobility=data["mobility"],
                    income=data["income"],
                    time=data["time"],
                    constraints=data["constraints"],
                    work_setting=data["work_setting"],
                    other=data["other"],
                )
            except StaleVersion as error:
                conflict = form_conflict_apply(form, error)
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                messages.success(request, _("Vos besoins et aspirations sont enregistrés."))
                return redirect("bilans:aspirations", bilan_id=bilan.pk)
        status = 409 if conflict else 400
    else:
        initial = {"version": saved.version if saved else 0}
        if saved:
            initial.update({name: getattr(saved, name) for name in bilans.ASPIRATION_FIELDS})
        form = AspirationsForm(initial=initial)
    context = tools_context(request, bilan, "aspirations")
    context.update(
        form=form,
        conflict=conflict,
        saved=saved,
        headings=[
            (form.fields[name].label, getattr(saved, name) if saved else "")
            for name in bilans.ASPIRATION_FIELDS
        ],
    )
    return render(request, "www/bilans/investigation/aspirations.html", context, status=status)
