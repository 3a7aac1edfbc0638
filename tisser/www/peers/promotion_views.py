"""The coordination's promotions (/groupes/coordination/promotions/): its promotions with how
many people each holds and how many of them wait for a group; the organisation's people who
gave peer-group preferences, filtered (name, promotion, asking for a group, bilan ended in a
period) and paginated in a fixed number of queries; placing those ticked — or everyone the
filter finds — in a promotion, then offering a group to those who ask (ADR 0023).

Coordinators only (another role: 404, ADR 0008); a promotion or a person of another
organisation is a 404 or refused by the service."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tisser.core.access import role_required
from tisser.core.enums import Role
from tisser.core.errors import StaleVersion
from tisser.peers.models import Promotion
from tisser.peers.services import promotions as services
from tisser.www.forms import form_conflict_apply, form_errors_apply
from tisser.www.peers.promotion_forms import (
    FILTER,
    PeopleFilterForm,
    PlaceForm,
    PromotionNameForm,
)

PER_PAGE = 50


def _quarter(today, back: int = 0):
    """The first and last day of the quarter `back` quarters before today's."""
    index = (today.year * 4 + (today.month - 1) // 3) - back
    year, quarter = divmod(index, 4)
    start = today.replace(year=year, month=3 * quarter + 1, day=1)
    following = divmod(index + 1, 4)
    end = today.replace(year=following[0], month=3 * following[1] + 1, day=1)
    return start, end - timedelta(days=1)


def _shortcuts() -> list[tuple[str, str]]:
    today = timezone.localdate()
    this_start, this_end = _quarter(today)
    last_start, last_end = _quarter(today, back=1)
    return [
        (_("Bilan terminé ce trimestre"), f"?du={this_start:%Y-%m-%d}&au={this_end:%Y-%m-%d}"),
        (
            _("Bilan terminé le trimestre dernier"),
            f"?du={last_start:%Y-%m-%d}&au={last_end:%Y-%m-%d}",
        ),
        (_("Demandent un groupe, sans promotion"), f"?promo={services.NO_PROMOTION}&demande=on"),
    ]


def _render(
    request, *, place_form=None, create_form=None, conflict=None, placed_ids=(), status=200
):
    organisation = request.membership.organisation
    promotions = services.promotions_overview(organisation=organisation)
    filter_form = PeopleFilterForm(
        request.GET or None, promotions=[promotion.name for promotion in promotions]
    )
    filters = filter_form.filters()
    people = services.promotion_people(organisation=organisation, filters=filters)
    page_obj = Paginator(people, PER_PAGE).get_page(request.GET.get("page"))
    total = page_obj.paginator.count
    if place_form is None:
        place_form = PlaceForm(promotions=promotions, total=total)
    else:
        place_form.fields["portee"].choices = (
            PlaceForm(promotions=promotions, total=total).fields["portee"].choices
        )
    query = request.GET.copy()
    query.pop("page", None)
    checked = set(request.POST.getlist("personnes")) if request.method == "POST" else set()
    return render(
        request,
        "www/peers/promotion/list.html",
        {
            "promotions": promotions,
            "filter_form": filter_form,
            "filtered": bool(request.GET.dict().keys() - {"page"}),
            "shortcuts": _shortcuts(),
            "page_obj": page_obj,
            "total": total,
            "querystring": query.urlencode(),
            "signature": services.people_signature(people.values_list("pk", "version"))
            if total
            else "",
            "place_form": place_form,
            "create_form": create_form or PromotionNameForm(),
            "checked": checked,
            "conflict": conflict,
            "no_promotion": services.NO_PROMOTION,
            "ended_without_preferences": services.ended_without_preferences(
                organisation=organisation, filters=filters
            ),
        },
        status=status,
    )


@role_required(Role.COORDINATOR)
@require_GET
def promotions(request):
    return _render(request)


def _back(request) -> str:
    query = request.GET.urlencode()
    return reverse("peers:promotions") + (f"?{query}" if query else "")


@role_required(Role.COORDINATOR)
@require_POST
def promotion_create(request):
    form = PromotionNameForm(request.POST)
    if form.is_valid():
        try:
            promotion = services.promotion_create(
                organisation=request.membership.organisation,
                name=form.cleaned_data["name"],
                by=request.user,
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(
                request,
                _(
                    "La promotion « %(name)s » est créée : cochez les personnes à y placer, "
                    "puis choisissez-la en bas de la liste."
                )
                % {"name": promotion.name},
            )
            return redirect(_back(request))
    return _render(request, create_form=form, status=400)


def _placed_message(placed, offers) -> list[str]:
    name = placed.promotion.name
    lines = []
    if placed.moved:
        lines.append(
            ngettext(
                "%(count)d personne placée dans « %(name)s ».",
                "%(count)d personnes placées dans « %(name)s ».",
                len(placed.moved),
            )
            % {"count": len(placed.moved), "name": name}
        )
    if placed.already:
        lines.append(
            ngettext(
                "%(count)d personne y était déjà.",
                "%(count)d personnes y étaient déjà.",
                len(placed.already),
            )
            % {"count": len(placed.already)}
        )
    if placed.kept:
        lines.append(
            _("Déjà dans un groupe, gardent leur promotion : %(names)s.")
            % {"names": ", ".join(placed.kept)}
        )
    if offers is not None:
        for person, group in offers.offered:
            lines.append(
                _("%(person)s se voit proposer le groupe « %(group)s ».")
                % {"person": person, "group": group}
            )
        if offers.waiting:
            lines.append(
                _(
                    "Aucun groupe de la promotion n'a de place pour %(names)s : un groupe leur "
                    "sera proposé à la prochaine formation (un message les en prévient)."
                )
                % {"names": ", ".join(offers.waiting)}
                if len(offers.waiting) > 1
                else _(
                    "Aucun groupe de la promotion n'a de place pour %(names)s : un groupe lui "
                    "sera proposé à la prochaine formation (le message lui en est envoyé)."
                )
                % {"names": offers.waiting[0]}
            )
    return lines


@role_required(Role.COORDINATOR)
@require_POST
def promotion_place(request):
    organisation = request.membership.organisation
    promotions = services.promotions_overview(organisation=organisation)
    form = PlaceForm(request.POST, promotions=promotions, total=0)
    conflict = None
    if form.is_valid():
        promotion = get_object_or_404(
            Promotion.objects.visible_to(request.user).filter(organisation=organisation),
            pk=form.cleaned_data["promotion"],
        )
        filters = None
        people = {}
        if form.cleaned_data["portee"] == FILTER:
            filter_form = PeopleFilterForm(
                request.GET or None, promotions=[item.name for item in promotions]
            )
            if filter_form.is_bound and not filter_form.is_valid():
                # Never "everyone" by mistake: a filter with an error filters nothing.
                form.add_error(
                    "portee",
                    _("Corrigez d'abord le filtre : il contient une erreur."),
                )
                return _render(request, place_form=form, status=400)
            filters = filter_form.filters()
        else:
            for pk in form.cleaned_data["personnes"]:
                version = request.POST.get(f"v-{pk}", "")
                people[pk] = int(version) if version.isdigit() else 0
        try:
            placed = services.promotion_place(
                promotion=promotion,
                people=people,
                by=request.user,
                signature=form.cleaned_data["signature"],
                filters=filters,
            )
        except StaleVersion as error:
            conflict = error.messages[0]
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            offers = None
            if form.cleaned_data["proposer"] and placed.moved:
                offers = services.promotion_offer(
                    promotion=placed.promotion, user_ids=placed.moved, by=request.user
                )
            messages.success(request, " ".join(_placed_message(placed, offers)))
            return redirect(_back(request))
    return _render(request, place_form=form, conflict=conflict, status=409 if conflict else 400)


@role_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def promotion_rename(request, promotion_id: int):
    promotion = get_object_or_404(
        Promotion.objects.visible_to(request.user).filter(
            organisation=request.membership.organisation
        ),
        pk=promotion_id,
    )
    conflict = None
    status = 200
    if request.method == "POST":
        form = PromotionNameForm(request.POST)
        if form.is_valid():
            try:
                services.promotion_rename(
                    promotion=promotion,
                    name=form.cleaned_data["name"],
                    by=request.user,
                    expected_version=form.cleaned_data["version"] or 0,
                )
            except StaleVersion as error:
                conflict = form_conflict_apply(form, error, fields=["name"])
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                messages.success(
                    request,
                    _("La promotion s'appelle désormais « %(name)s ».") % {"name": promotion.name},
                )
                return redirect("peers:promotions")
        status = 409 if conflict else 400
    else:
        form = PromotionNameForm(initial={"name": promotion.name, "version": promotion.version})
    return render(
        request,
        "www/peers/promotion/rename.html",
        {"promotion": promotion, "form": form, "conflict": conflict},
        status=status,
    )
