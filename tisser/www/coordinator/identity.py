"""The organisme's identity (docs/adr/0018-organisme-identity-and-emargement.md): the
coordinator edits the legal name, SIRET, NDA, address, Qualiopi certificate, référent
handicap, DPO and logo that every document of the organisme carries. Another role gets the
coordination space's 403; the service checks the coordinator again."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tisser.accounts.identity import IDENTITY_FIELDS, identity_of, organisation_identity_save
from tisser.accounts.models import Organisation
from tisser.core.access import role_required
from tisser.core.enums import Role
from tisser.core.errors import StaleVersion
from tisser.www.coordinator.identity_forms import IdentityForm
from tisser.www.forms import form_conflict_apply, form_errors_apply


def _organisation(request) -> Organisation:
    return Organisation.objects.get(pk=request.membership.organisation_id)


@role_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def identity_edit(request):
    organisation = _organisation(request)
    conflict = None
    if request.method == "POST":
        form = IdentityForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                organisation_identity_save(
                    coordinator=request.user,
                    organisation=organisation,
                    identity=form.identity(),
                    expected_version=form.cleaned_data["version"],
                    logo=form.cleaned_data["logo"],
                    logo_remove=form.cleaned_data["logo_remove"],
                )
            except StaleVersion as error:
                conflict = form_conflict_apply(form, error, fields=list(IDENTITY_FIELDS))
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                messages.success(
                    request,
                    _("L'identité de l'organisme est enregistrée : vos documents la porteront."),
                )
                return redirect("coordinator:identity")
    else:
        form = IdentityForm(
            initial={**identity_of(organisation).__dict__, "version": organisation.version}
        )
    status = 200 if request.method == "GET" else (409 if conflict else 400)
    return render(
        request,
        "www/coordinator/identity.html",
        {"form": form, "organisation": organisation, "conflict": conflict},
        status=status,
    )


@role_required(Role.COORDINATOR)
@require_GET
def identity_logo(request):
    """The saved logo of the coordinator's organisation, for the identity page; 404 when
    there is none."""
    organisation = _organisation(request)
    if not organisation.logo or not organisation.logo_content_type:
        raise Http404
    response = HttpResponse(bytes(organisation.logo), content_type=organisation.logo_content_type)
    response["Cache-Control"] = "private, no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    return response
