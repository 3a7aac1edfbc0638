"""The contract of a bilan the person pays for themselves (Code du travail L6353-3 to
L6353-7): written and signed before the definitive enrolment and any payment (L6353-3), with
the contents L6353-4 lists on pain of nullity, a ten-day withdrawal period from the signature
(L6353-5), nothing asked before it ends and at most 30 % of the price then (L6353-6)."""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tisser.bilans.models.core import Funding, party_of_bilan

# L6353-5: "Dans le délai de dix jours à compter de la signature du contrat, le stagiaire
# peut se rétracter par lettre recommandée avec avis de réception."
WITHDRAWAL_DAYS = 10
# L6353-6: "Il ne peut être payé à l'expiration de ce délai une somme supérieure à 30 % du
# prix convenu."
UPFRONT_MAX_SHARE = Decimal("0.30")


class ContractQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The consultant of the bilan writes the contract; the beneficiary, who signs it,
        reads it. Nobody else."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(party_of_bilan(user, "bilan__"), bilan__funding=Funding.PERSONAL)


class Contract(models.Model):
    """One per self-funded bilan, written by the consultant; the price is the bilan's
    (`Bilan.price_euros`). `version` grows with every save."""

    bilan = models.OneToOneField("bilans.Bilan", on_delete=models.CASCADE, related_name="contract")
    # L6353-4 1°: nature, duration, programme and object of the action, and its headcount.
    nature = models.TextField(_("nature de l'action"))
    objective = models.TextField(_("objet de l'action"))
    programme = models.TextField(_("programme"))
    headcount = models.CharField(_("effectif concerné"), max_length=200)
    duration_hours = models.DecimalField(
        _("durée (heures)"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("24"))],
    )
    start_date = models.DateField(_("début de la période"))
    end_date = models.DateField(_("fin de la période"))
    # 2°: the prior knowledge required.
    prerequisites = models.TextField(_("niveau de connaissances préalables requis"))
    # 3°: how it is given (remote sessions included), the means, how it is assessed.
    conditions = models.TextField(_("conditions de déroulement"))
    means = models.TextField(_("moyens pédagogiques et techniques"))
    assessment = models.TextField(_("modalités d'évaluation et sanction de l'action"))
    # 4°: the diplomas, titles or references of the people who run it.
    trainers = models.TextField(_("diplômes, titres ou références des intervenant·es"))
    # 5°: payment, and the financial terms of an early end or an abandonment.
    payment_terms = models.TextField(_("modalités de paiement"))
    early_end_terms = models.TextField(
        _("conditions financières en cas de cessation anticipée ou d'abandon")
    )
    upfront_euros = models.DecimalField(
        _("acompte à l'issue du délai de rétractation (euros)"),
        max_digits=9,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    # Signatures and what followed, recorded by the consultant (the beneficiary may also sign
    # in the app: `beneficiary_accepted_at`, and the day of it is `signed_on`).
    signed_on = models.DateField(_("signé par la personne le"), null=True, blank=True)
    beneficiary_accepted_at = models.DateTimeField(
        _("accepté dans Tisser par la personne le"), null=True, blank=True
    )
    organisme_signed_on = models.DateField(_("signé par l'organisme le"), null=True, blank=True)
    signed_place = models.CharField(_("fait à"), max_length=120, blank=True)
    withdrawn_on = models.DateField(_("rétractation reçue le"), null=True, blank=True)
    upfront_paid_on = models.DateField(_("acompte payé le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"))
    updated_at = models.DateTimeField(_("modifié le"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    objects = ContractQuerySet.as_manager()

    class Meta:
        verbose_name = _("contrat de bilan (financement personnel)")

    def __str__(self) -> str:
        return f"{self.bilan} — {self.pk}"

    @property
    def price_euros(self) -> Decimal | None:
        return self.bilan.price_euros

    @property
    def withdrawal_ends_on(self) -> date | None:
        """The last day the person may withdraw: ten days after the signature (the day of
        signing is not counted)."""
        if self.signed_on is None:
            return None
        return self.signed_on + timedelta(days=WITHDRAWAL_DAYS)

    @property
    def upfront_max_euros(self) -> Decimal | None:
        if self.price_euros is None:
            return None
        return (self.price_euros * UPFRONT_MAX_SHARE).quantize(Decimal("0.01"))

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("La fin de la période ne peut pas précéder son début.")}
            )
