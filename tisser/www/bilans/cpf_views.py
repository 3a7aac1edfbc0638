"""The CPF dossier of a bilan, for the consultant who runs it (the coordinator's copy of the
page is in `tisser.www.coordinator.cpf`): number, dates, deadlines and the service fait."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tisser.bilans.access import access_cpf_bilan_run
from tisser.bilans.models import Bilan, CpfDossier
from tisser.bilans.services import cpf
from tisser.core.errors import StaleVersion
from tisser.www.bilans.cpf_forms import CpfDossierForm
from tisser.www.forms import form_conflict_apply, form_errors_apply


def cpf_dossier_page(request, bilan: Bilan, *, back_url: str, action_url: str, done_url: str):
    """The dossier's form and figures; what both pages share (ADR 0007 for the conflict)."""
    dossier = CpfDossier.objects.filter(bilan=bilan).first()
    conflict = None
    status = 200
    if request.method == "POST":
        form = CpfDossierForm(request.POST)
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in cpf.FIELDS}
            try:
                cpf.cpf_dossier_save(
                    actor=request.user,
                    bilan=bilan,
                    values=values,
                    expected_version=form.cleaned_data["version"],
                )
            except StaleVersion as error:
                conflict = form_conflict_apply(form, error, changed_only=True)
                status = 409
            except ValidationError as error:
                form_errors_apply(form, error)
                status = 400
            else:
                messages.success(request, _("Le dossier CPF est enregistré."))
                return redirect(done_url)
        else:
            status = 400
    elif dossier is not None:
        form = CpfDossierForm(
            initial={
                **{name: getattr(dossier, name) for name in cpf.FIELDS},
                "version": dossier.version,
            }
        )
    else:
        form = CpfDossierForm(initial={**cpf.cpf_dossier_initial(bilan), "version": 0})
    if dossier is not None:
        bilan.cpf_dossier = dossier
    return render(
        request,
        "www/bilans/cpf_dossier.html",
        {
            "bilan": bilan,
            "dossier": dossier,
            "summary": cpf.cpf_summary(bilan),
            "form": form,
            "conflict": conflict,
            "back_url": back_url,
            "action_url": action_url,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def cpf_dossier(request, bilan_id: int):
    from django.urls import reverse

    bilan = access_cpf_bilan_run(request.user, bilan_id)
    here = reverse("bilans:cpf_dossier", args=[bilan.pk])
    return cpf_dossier_page(
        request,
        bilan,
        back_url=reverse("bilans:detail", args=[bilan.pk]),
        action_url=here,
        done_url=here,
    )
