"""Exploring métiers during the bilan: "Pistes de métiers" (ranked fiches, each explained),
the gap analysis of one fiche, and the shortlist of fiches to explore.

The beneficiary explores and writes; their consultant reads the same pages (no forms);
anyone else gets a 404. A closed bilan is read-only for everyone."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tisser.bilans import services as bilans
from tisser.bilans.access import access_bilan, access_own_bilan
from tisser.bilans.models import Bilan, DismissedFiche, Phase, Project, ShortlistEntry
from tisser.bilans.recommendation_profile import HELD_MIN_LEVEL, beneficiary_profile
from tisser.core.access import role_required
from tisser.core.enums import Role
from tisser.core.errors import StaleVersion
from tisser.referentiel import recommendations as reco
from tisser.referentiel.models import Metier, RomeVersion
from tisser.referentiel.search import search_metiers
from tisser.www.bilans.exploration_forms import ShortlistEntryForm
from tisser.www.confirmation import safe_next
from tisser.www.forms import form_conflict_apply, form_errors_apply

PAGE_SIZE = 20
MAX_SHOWN = 100
SEARCH_MAX_LENGTH = 200

# The investigation tools the pages point to when the profile lacks something: (URL name,
# whether it takes the bilan's id). They are built in other parts of the bilan: a link
# appears once its page exists.
TOOL_URLS = {
    "interests": ("inventories:interests", False),
    "portfolio": ("bilans:portfolio", True),
    "parcours": ("bilans:parcours", True),
}


def can_edit(user, bilan: Bilan) -> bool:
    return user.pk == bilan.beneficiary_id and bilan.status != Phase.CLOSED


def tool_url(key: str, bilan: Bilan) -> str | None:
    name, takes_bilan = TOOL_URLS[key]
    try:
        return reverse(name, args=[bilan.pk] if takes_bilan else [])
    except NoReverseMatch:
        return None


def exploration_context(request, bilan: Bilan) -> dict:
    version = RomeVersion.objects.current()
    return {
        "bilan": bilan,
        "is_beneficiary": request.user.pk == bilan.beneficiary_id,
        "can_edit": can_edit(request.user, bilan),
        "rome_version": version,
    }


def shown_count(request) -> int:
    try:
        count = int(request.GET.get("nombre", PAGE_SIZE))
    except ValueError:
        return PAGE_SIZE
    return max(PAGE_SIZE, min(MAX_SHOWN, count - count % PAGE_SIZE))


def pistes(request, bilan_id: int):
    bilan = access_bilan(request.user, bilan_id)
    context = exploration_context(request, bilan)
    if context["rome_version"] is not None:
        count = shown_count(request)
        profile = beneficiary_profile(bilan)
        # One more than shown tells whether "voir plus" has anything to show.
        results = reco.recommendations_explain(profile, limit=count + 1)
        shortlisted = set(
            ShortlistEntry.objects.filter(bilan=bilan).values_list("metier__code_rome", flat=True)
        )
        shown = results[:count]
        context.update(
            recommendations=[(result, result.code_rome in shortlisted) for result in shown],
            last_code=shown[-1].code_rome if shown else "",
            here=request.get_full_path(),
            has_more=len(results) > count and count < MAX_SHOWN,
            next_count=count + PAGE_SIZE,
            completeness=reco.profile_completeness(profile),
            profile_code=reco.profile_code(profile),
            dismissed_count=len(profile.excluded),
            interests_url=tool_url("interests", bilan),
            portfolio_url=tool_url("portfolio", bilan),
            parcours_url=tool_url("parcours", bilan),
            held_min_level=HELD_MIN_LEVEL,
        )
    return render(request, "www/bilans/exploration/pistes.html", context)


def gap(request, bilan_id: int, code_rome: str):
    bilan = access_bilan(request.user, bilan_id)
    context = exploration_context(request, bilan)
    if context["rome_version"] is None:
        raise Http404
    profile = beneficiary_profile(bilan)
    try:
        view = reco.gap_explain(profile, code_rome.upper())
    except (reco.UnknownFiche, KeyError):
        raise Http404 from None
    entry = ShortlistEntry.objects.filter(bilan=bilan, metier__code_rome=view.code_rome).first()
    context.update(
        gap=view,
        entry=entry,
        dismissed=view.code_rome in profile.excluded,
        projects=Project.objects.filter(bilan=bilan, targets__code_rome=view.code_rome)
        .order_by("-preferred", "created_at", "id")
        .distinct(),
        profile_code=reco.profile_code(profile),
        portfolio_url=tool_url("portfolio", bilan),
    )
    return render(request, "www/bilans/exploration/gap.html", context)


def gap_search(request, bilan_id: int):
    """Any fiche's gap analysis, found through the métier search."""
    bilan = access_bilan(request.user, bilan_id)
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    context = exploration_context(request, bilan)
    context.update(query=query, results=search_metiers(query) if query else [])
    return render(request, "www/bilans/exploration/gap_search.html", context)


@role_required(Role.BENEFICIARY)
def gap_mine(request, code_rome: str):
    """From a public fiche page: the gap analysis of that fiche in the person's last bilan."""
    bilan = (
        Bilan.objects.visible_to(request.user)
        .filter(beneficiary=request.user)
        .order_by("-opened_at", "-id")
        .first()
    )
    metier = get_object_or_404(Metier, code_rome=code_rome.upper())
    if bilan is None:
        raise Http404
    return redirect("bilans:gap", bilan_id=bilan.pk, code_rome=metier.code_rome)


def _write(request, action, success: str) -> bool:
    try:
        action()
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return False
    messages.success(request, success)
    return True


@require_POST
def fiche_shortlist(request, bilan_id: int, code_rome: str):
    bilan = access_own_bilan(request.user, bilan_id)
    metier = get_object_or_404(Metier, code_rome=code_rome.upper())
    _write(
        request,
        lambda: bilans.shortlist_add(actor=request.user, bilan=bilan, metier=metier),
        _("« %(fiche)s » est dans votre sélection de métiers à explorer.")
        % {"fiche": metier.libelle},
    )
    return redirect(safe_next(request, reverse("bilans:shortlist", args=[bilan.pk])))


@require_POST
def fiche_dismiss(request, bilan_id: int, code_rome: str):
    bilan = access_own_bilan(request.user, bilan_id)
    metier = get_object_or_404(Metier, code_rome=code_rome.upper())
    _write(
        request,
        lambda: bilans.fiche_dismiss(actor=request.user, bilan=bilan, metier=metier),
        _(
            "« %(fiche)s » ne vous sera plus proposé. Vous pouvez changer d'avis depuis votre "
            "sélection."
        )
        % {"fiche": metier.libelle},
    )
    return redirect(safe_next(request, reverse("bilans:pistes", args=[bilan.pk])))


@require_POST
def fiche_restore(request, bilan_id: int, code_rome: str):
    bilan = access_own_bilan(request.user, bilan_id)
    metier = get_object_or_404(Metier, code_rome=code_rome.upper())
    _write(
        request,
        lambda: bilans.fiche_restore(actor=request.user, bilan=bilan, metier=metier),
        _("« %(fiche)s » peut de nouveau vous être proposé.") % {"fiche": metier.libelle},
    )
    return redirect(safe_next(request, reverse("bilans:shortlist", args=[bilan.pk])))


def _entry_form(entry: ShortlistEntry, data=None) -> ShortlistEntryForm:
    return ShortlistEntryForm(
        data,
        prefix=f"entry-{entry.pk}",
        initial={"status": entry.status, "note": entry.note, "version": entry.version},
    )


def render_shortlist(request, bilan: Bilan, *, bound=None, conflict=None, status=200):
    """The shortlist page; `bound` is the (entry id, form) being corrected, if any."""
    entries = list(
        ShortlistEntry.objects.filter(bilan=bilan)
        .select_related("metier")
        .order_by("added_at", "id")
    )
    editable = can_edit(request.user, bilan)
    rows = []
    for entry in entries:
        form = None
        if editable:
            form = bound[1] if bound and bound[0] == entry.pk else _entry_form(entry)
        rows.append(
            {
                "entry": entry,
                "form": form,
                "conflict": conflict if bound and bound[0] == entry.pk else None,
            }
        )
    context = exploration_context(request, bilan)
    context.update(
        rows=rows,
        dismissed=DismissedFiche.objects.filter(bilan=bilan)
        .select_related("metier")
        .order_by("-dismissed_at", "-id"),
    )
    return render(request, "www/bilans/exploration/shortlist.html", context, status=status)


def shortlist(request, bilan_id: int):
    return render_shortlist(request, access_bilan(request.user, bilan_id))


@require_POST
def shortlist_update(request, bilan_id: int, entry_id: int):
    bilan = access_own_bilan(request.user, bilan_id)
    entry = get_object_or_404(ShortlistEntry.objects.filter(bilan=bilan), pk=entry_id)
    form = ShortlistEntryForm(request.POST, prefix=f"entry-{entry.pk}")
    conflict = None
    if form.is_valid():
        try:
            bilans.shortlist_update(
                actor=request.user,
                entry=entry,
                note=form.cleaned_data["note"],
                status=form.cleaned_data["status"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersion as error:
            conflict = form_conflict_apply(form, error)
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(
                request,
                _("Votre note sur « %(fiche)s » est enregistrée.")
                % {"fiche": entry.metier.libelle},
            )
            return redirect(f"{reverse('bilans:shortlist', args=[bilan.pk])}#entry-{entry.pk}")
    return render_shortlist(
        request, bilan, bound=(entry.pk, form), conflict=conflict, status=409 if conflict else 400
    )


@require_POST
def shortlist_remove(request, bilan_id: int, entry_id: int):
    bilan = access_own_bilan(request.user, bilan_id)
    entry = get_object_or_404(
        ShortlistEntry.objects.filter(bilan=bilan).select_related("metier", "bilan"), pk=entry_id
    )
    _write(
        request,
        lambda: bilans.shortlist_remove(actor=request.user, entry=entry),
        _("« %(fiche)s » n'est plus dans votre sélection.") % {"fiche": entry.metier.libelle},
    )
    return redirect("bilans:shortlist", bilan_id=bilan.pk)
