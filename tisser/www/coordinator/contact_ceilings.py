"""How many contacts each beneficiary may hold (docs/adr/0012-bounded-imports.md): the list of
the organisation's beneficiaries with their count and ceiling, and the form that raises one.
A beneficiary of another organisation is a 404; the service checks the coordinator again."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tisser.accounts.models import Membership
from tisser.core.access import role_required
from tisser.core.enums import Role
from tisser.network.models import Contact, ContactCeiling
from tisser.network.services import contact_ceiling, contact_ceiling_set
from tisser.network.services.ceiling import ceiling_default, figure
from tisser.www.coordinator.contact_ceilings_forms import ContactCeilingForm
from tisser.www.forms import form_errors_apply

PER_PAGE = 50


def _beneficiaries(request):
    return Membership.objects.visible_to(request.user).filter(
        role=Role.BENEFICIARY, organisation_id=request.membership.organisation_id
    )


@role_required(Role.COORDINATOR)
@require_http_methods(["GET"])
def contact_ceilings(request):
    held = (
        Contact.objects.filter(owner_id=OuterRef("user_id"))
        .order_by()
        .values("owner_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    raised = ContactCeiling.objects.filter(membership=OuterRef("pk")).values("ceiling")
    people = (
        _beneficiaries(request)
        .filter(is_active=True)
        .select_related("user")
        .annotate(
            held=Coalesce(Subquery(held, output_field=IntegerField()), 0),
            ceiling=Coalesce(Subquery(raised), ceiling_default()),
        )
        .order_by("user__last_name", "user__first_name", "pk")
    )
    page_obj = Paginator(people, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "www/coordinator/contact_ceilings.html",
        {"page_obj": page_obj, "default": ceiling_default()},
    )


@role_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def contact_ceiling_edit(request, membership_id: int):
    membership = get_object_or_404(_beneficiaries(request).select_related("user"), pk=membership_id)
    current = contact_ceiling(membership)
    form = ContactCeilingForm(request.POST or None, initial={"ceiling": current})
    if request.method == "POST" and form.is_valid():
        try:
            contact_ceiling_set(
                coordinator=request.user,
                membership=membership,
                ceiling=form.cleaned_data["ceiling"],
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(
                request,
                _("%(name)s peut désormais garder %(ceiling)s contacts au plus.")
                % {
                    "name": membership.user.get_full_name() or membership.user.email,
                    "ceiling": figure(form.cleaned_data["ceiling"]),
                },
            )
            return redirect("coordinator:contact_ceilings")
    held = Contact.objects.owned_by(membership.user).count()
    return render(
        request,
        "www/coordinator/contact_ceiling.html",
        {
            "form": form,
            "person": membership.user,
            "held": held,
            "current": current,
            "default": ceiling_default(),
        },
        status=400 if form.errors else 200,
    )
