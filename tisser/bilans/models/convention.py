"""The tripartite convention of a bilan funded by the employer (plan de développement des
compétences) or during a congé de reclassement: the organisme, the employer and the
beneficiary agree on the contents listed by Code du travail R6313-8. The employee has ten
days from the transmission of the draft to accept it by signing; silence is a refusal
(R6313-8, last two paragraphs): the dates below record that, and
`tisser.bilans.services.convention.convention_status` reads them."""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tisser.bilans.models.core import Funding, party_of_bilan

# R6313-8: a bilan in the skills development plan or during a congé de reclassement.
CONVENTION_FUNDINGS = (Funding.EMPLOYER, Funding.RECLASSEMENT)

# R6313-8: "Le salarié dispose d'un délai de dix jours à compter de la transmission [...] du
# projet de convention pour faire connaître son acceptation en apposant sa signature."
ACCEPTANCE_DAYS = 10


class ConventionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The consultant of the bilan writes the convention; the beneficiary, who signs it,
        reads it. Nobody else: the employer receives the signed paper, not an account."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            party_of_bilan(user, "bilan__"),
            bilan__funding__in=CONVENTION_FUNDINGS,
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
    # The price is the bilan's (`Bilan.price_euros`, the one source: see the property below).
    payment_terms = models.TextField(_("modalités de règlement"))
    # Transmission and signatures, recorded by the consultant from the signed paper; the
    # beneficiary may also accept in the app (`beneficiary_accepted_at`, then the day of it
    # is their signing date). A revised convention clears them all (a new draft to sign).
    transmitted_on = models.DateField(_("transmise à la personne le"), null=True, blank=True)
    organisme_signed_on = models.DateField(_("signée par l'organisme le"), null=True, blank=True)
    employer_signed_on = models.DateField(_("signée par l'employeur le"), null=True, blank=True)
    beneficiary_signed_on = models.DateField(_("signée par la personne le"), null=True, blank=True)
    beneficiary_accepted_at = models.DateTimeField(
        _("acceptée dans Tisser par la personne le"), null=True, blank=True
    )
    signed_place = models.CharField(_("fait à"), max_length=120, blank=True)
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

    @property
    def price_euros(self) -> Decimal | None:
        """The price written on the convention is the bilan's: one amount for the document,
        the BPF and the CPF."""
        return self.bilan.price_euros

    @property
    def deadline(self) -> date | None:
        """The last day the beneficiary may sign: ten days after the transmission (the day
        of transmission is not counted, so a draft sent on the 1st may be signed up to the
        11th)."""
        if self.transmitted_on is None:
            return None
        return self.transmitted_on + timedelta(days=ACCEPTANCE_DAYS)

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("La fin de la période ne peut pas précéder son début.")}
            )
