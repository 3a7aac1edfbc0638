"""The tripartite convention of a bilan funded by the employer (plan de développement des
compétences): the organisme, the employer and the beneficiary agree on the contents listed by
Code du travail R6313-8."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tisser.bilans.models.core import Funding, party_of_bilan


class ConventionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The consultant of the bilan writes the convention; the beneficiary, who signs it,
        reads it. Nobody else: the employer receives the signed paper, not an account."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            party_of_bilan(user, "bilan__"),
            bilan__funding=Funding.EMPLOYER,
        )


class Convention(models.Model):
    """One per bilan funded by the employer; written by the consultant, `version` grows with
    every save (two tabs or two people never silently overwrite each other)."""

    bilan = models.OneToOneField(
        "bilans.Bilan", on_delete=models.CASCADE, related_name="convention"
    )
    employer_name = models.CharField(_("employeur (raison sociale)"), max_length=200)
    employer_address = models.TextField(_("adresse de l'employeur"))
    employer_representative = models.CharField(
        _("représenté par (nom et fonction)"), max_length=200
    )
    objective = models.TextField(_("objectif du bilan"))
    content = models.TextField(_("contenu de l'action"))
    human_means = models.TextField(_("moyens humains"))
    material_means = models.TextField(_("moyens matériels"))
    duration_hours = models.DecimalField(
        _("durée (heures)"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("24"))],
    )
    start_date = models.DateField(_("début de la période"))
    end_date = models.DateField(_("fin de la période"))
    phase_preliminary = models.TextField(_("phase préliminaire"))
    phase_investigation = models.TextField(_("phase d'investigation"))
    phase_conclusion = models.TextField(_("phase de conclusion"))
    tools_methods = models.TextField(_("outils et méthodes"))
    results_delivery = models.TextField(_("modalités de remise des résultats"))
    price_euros = models.DecimalField(
        _("prix (euros, TTC)"),
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    payment_terms = models.TextField(_("modalités de règlement"))
    created_at = models.DateTimeField(_("créée le"))
    updated_at = models.DateTimeField(_("modifiée le"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    objects = ConventionQuerySet.as_manager()

    class Meta:
        verbose_name = _("convention tripartite")

    def __str__(self) -> str:
        return f"{self.bilan} — {self.employer_name}"

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("La fin de la période ne peut pas précéder son début.")}
            )
