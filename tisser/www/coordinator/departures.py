"""A person who leaves (ADR 0019): the organisation's members, and for one of them the
confirmation page that lists what goes and what stays before erasing them. A member of
another organisation answers 404; the service checks the coordinator again."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from tisser.accounts.models import Membership
from tisser.bilans.services.departure import person_departure_preview, person_erase
from tisser.core.access import role_required
from tisser.core.enums import Role
from tisser.core.french import de
from tisser.www.forms import form_errors_apply

PER_PAGE = 50


class ErasureConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("Je confirme : l'effacement est définitif."),
        error_messages={
            "required": gettext_lazy("Cochez la case pour confirmer : l'effacement est définitif.")
        },
    )


def _members(request):
    return (
        Membership.objects.visible_to(request.user)
        .filter(organisation_id=request.membership.organisation_id)
        .exclude(user__email__startswith="personne-effacee-", user__email__endswith=".invalid")
        .select_related("user", "organisation")
    )


@role_required(Role.COORDINATOR)
@require_http_methods(["GET"])
def departures(request):
    people = _members(request).order_by("user__last_name", "user__first_name", "pk")
    page_obj = Paginator(people, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "www/coordinator/departures.html", {"page_obj": page_obj})


@role_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def departure_erase(request, membership_id: int):
    membership = get_object_or_404(_members(request), pk=membership_id)
    name = membership.user.get_full_name() or membership.user.email
    form = ErasureConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            person_erase(coordinator=request.user, membership=membership)
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(
                request,
                _("Le compte %(de_name)s est effacé ; seules les données de gestion sont gardées.")
                % {"de_name": de(name)},
            )
            return redirect("coordinator:departures")
    preview = person_departure_preview(coordinator=request.user, membership=membership)
    return render(
        request,
        "www/coordinator/departure_erase.html",
        {"membership": membership, "name": name, "preview": preview, "form": form},
        status=400 if form.errors else 200,
    )
