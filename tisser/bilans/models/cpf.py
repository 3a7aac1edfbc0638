"""The CPF dossier of a bilan funded by the compte personnel de formation: what the organisme
declares on the Caisse des Dépôts' platform (Mon Compte Formation, EDOF) and when it did.

The platform has no API here: the consultant or a coordinator declares on EDOF, then records
here the date they did it. Tisser computes the deadlines (three working days after the
actual entry and after the actual exit, `tisser.bilans.services.cpf`) and reminds before
they pass. The actual exit is the bilan's end (`Bilan.closed_at`); the service-fait figures
(hours done, completion rate, reason of an early end) are the bilan's own, frozen at its end.
ADR 0017 says what was read and decided."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from tisser.bilans.models.core import Funding

# The Caisse des Dépôts' help pages call it "le numéro de dossier" and show it as a number;
# no page we could read gives its length. We accept digits only, 5 to 20 of them, spaces
# ignored (ADR 0017).
DOSSIER_NUMBER = re.compile(r"^[0-9]{5,20}$")


def dossier_number_clean(value: str) -> str:
    """The number as stored: spaces and non-breaking spaces removed."""
    return re.sub(r"[\s\u00a0\u202f]", "", value or "")


def dossier_number_validate(value: str) -> None:
    if not DOSSIER_NUMBER.match(dossier_number_clean(value)):
        raise ValidationError(
            _(
                "Le numéro de dossier CPF s'écrit en chiffres seulement (de 5 à 20), tel "
                "qu'il apparaît sur Mon Compte Formation."
            ),
            code="dossier_number",
        )


class CpfDossierQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The consultant who runs the bilan and the coordinators of its organisation: the
        dossier is management data. Not the beneficiary, who follows it on Mon Compte
        Formation."""
        if not user.is_authenticated:
            return self.none()
        coordinated = user.memberships.coordinated_organisation_ids()
        return self.filter(
            models.Q(bilan__consultant=user) | models.Q(bilan__organisation_id__in=coordinated),
            bilan__funding=Funding.CPF,
        )


class CpfDossier(models.Model):
    """One per CPF bilan; `version` grows with every save (ADR 0007)."""

    bilan = models.OneToOneField(
        "bilans.Bilan", on_delete=models.CASCADE, related_name="cpf_dossier"
    )
    number = models.CharField(
        _("numéro de dossier CPF"), max_length=20, validators=[dossier_number_validate]
    )
    planned_entry_on = models.DateField(_("entrée prévue le"))
    planned_exit_on = models.DateField(_("sortie prévue le"))
    # The actual entry: the day the person really began (the first entretien), which the
    # platform asks for rather than the session's theoretical start. Empty: the bilan's
    # opening day.
    entry_on = models.DateField(_("entrée effective le"), null=True, blank=True)
    entry_declared_on = models.DateField(_("entrée déclarée sur EDOF le"), null=True, blank=True)
    exit_declared_on = models.DateField(_("sortie déclarée sur EDOF le"), null=True, blank=True)
    service_fait_declared_on = models.DateField(
        _("service fait déclaré sur EDOF le"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("créé le"))
    updated_at = models.DateTimeField(_("modifié le"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    objects = CpfDossierQuerySet.as_manager()

    class Meta:
        verbose_name = _("dossier CPF")
        verbose_name_plural = _("dossiers CPF")

    def __str__(self) -> str:
        return f"{self.bilan} — {self.number}"

    def clean(self):
        errors = {}
        planned = self.planned_entry_on and self.planned_exit_on
        if planned and self.planned_exit_on < self.planned_entry_on:
            errors["planned_exit_on"] = _("La sortie prévue ne peut pas précéder l'entrée prévue.")
        if self.entry_declared_on and self.entry_on and self.entry_declared_on < self.entry_on:
            errors["entry_declared_on"] = _(
                "L'entrée ne peut pas être déclarée avant d'avoir eu lieu."
            )
        if self.service_fait_declared_on and not self.exit_declared_on:
            errors["service_fait_declared_on"] = _(
                "Déclarez d'abord la sortie : le service fait l'accompagne."
            )
        if self.exit_declared_on and not self.entry_declared_on:
            errors["exit_declared_on"] = _("Déclarez d'abord l'entrée en formation.")
        if errors:
            raise ValidationError(errors)
