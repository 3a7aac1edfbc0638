"""The record of the preliminary phase (Code du travail R6313-4 1°: analyse the request and
the need, determine the format best suited to them, define together how the bilan will run).
Written by the consultant, acknowledged by the beneficiary; the bilan leaves the preliminary
phase only once both are done (`tisser.bilans.services.lifecycle.bilan_phase_advance`)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tisser.bilans.models.core import party_of_bilan


class BilanFormat(models.TextChoices):
    ON_SITE = "on_site", _("Sur place")
    REMOTE = "remote", _("À distance")
    MIXED = "mixed", _("Mixte : sur place et à distance")


class PreliminaryRecordQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The consultant who runs the bilan writes it, its beneficiary reads and
        acknowledges it; nobody else sees it."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(party_of_bilan(user, "bilan__"))


class PreliminaryRecord(models.Model):
    """One per bilan. Changes only through `tisser.bilans.services.preliminary`: any change
    by the consultant clears the beneficiary's acknowledgement, since they acknowledged
    another text."""

    bilan = models.OneToOneField(
        "bilans.Bilan", on_delete=models.CASCADE, related_name="preliminary"
    )
    request = models.TextField(_("la demande de la personne, analysée"))
    need = models.TextField(_("le besoin identifié"))
    format = models.CharField(_("format retenu"), max_length=10, choices=BilanFormat.choices)
    individual_hours = models.DecimalField(
        _("heures d'entretiens individuels prévues"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("24"))],
    )
    personal_work_hours = models.DecimalField(
        _("heures de travail personnel prévues"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("23"))],
    )
    objectives = models.TextField(_("objectifs du bilan"))
    plan = models.TextField(_("modalités de déroulement convenues avec la personne"))
    created_at = models.DateTimeField(_("rédigé le"))
    updated_at = models.DateTimeField(_("modifié le"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(
        _("lu et approuvé par la personne le"), null=True, blank=True
    )
    version = models.PositiveIntegerField(default=1)

    objects = PreliminaryRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("compte rendu de la phase préliminaire")
        verbose_name_plural = _("comptes rendus de la phase préliminaire")

    def __str__(self) -> str:
        return f"{self.bilan} — {self.get_format_display()}"

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None
