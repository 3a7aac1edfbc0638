"""Exploring métiers during the bilan: the fiches the beneficiary keeps to explore (through
enquêtes-métiers, issue #5 links contacts to them) and the fiches they asked not to be
proposed again. Both point at ROME fiches with PROTECT: an import that would retire a fiche
someone keeps is refused rather than silently erasing their choice (see the importer)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tisser.bilans.models.core import Bilan
from tisser.bilans.models.investigation import BilanPartQuerySet


class ShortlistEntry(models.Model):
    """A fiche métier the beneficiary keeps to explore, with their own note."""

    class Status(models.TextChoices):
        TO_EXPLORE = "to_explore", _("À explorer")
        EXPLORED = "explored", _("Explorée")
        SET_ASIDE = "set_aside", _("Mise de côté")

    bilan = models.ForeignKey(Bilan, on_delete=models.CASCADE, related_name="shortlist")
    metier = models.ForeignKey(
        "referentiel.Metier",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("fiche métier"),
    )
    note = models.TextField(_("ma note"), blank=True)
    status = models.CharField(
        _("où j'en suis"), max_length=12, choices=Status.choices, default=Status.TO_EXPLORE
    )
    added_at = models.DateTimeField(_("ajoutée le"))
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = BilanPartQuerySet.as_manager()

    class Meta:
        ordering = ["added_at", "id"]
        verbose_name = _("fiche à explorer")
        verbose_name_plural = _("fiches à explorer")
        constraints = [
            models.UniqueConstraint(fields=["bilan", "metier"], name="bilans_shortlist_once")
        ]

    def __str__(self) -> str:
        return f"{self.bilan_id} → {self.metier_id}"


class DismissedFiche(models.Model):
    """A fiche the beneficiary asked not to be proposed again ("Ne plus me proposer")."""

    bilan = models.ForeignKey(Bilan, on_delete=models.CASCADE, related_name="dismissed_fiches")
    metier = models.ForeignKey(
        "referentiel.Metier",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("fiche métier"),
    )
    dismissed_at = models.DateTimeField(_("écartée le"))

    objects = BilanPartQuerySet.as_manager()

    class Meta:
        ordering = ["-dismissed_at", "-id"]
        verbose_name = _("fiche écartée")
        verbose_name_plural = _("fiches écartées")
        constraints = [
            models.UniqueConstraint(fields=["bilan", "metier"], name="bilans_dismissed_once")
        ]

    def __str__(self) -> str:
        return f"{self.bilan_id} ✕ {self.metier_id}"
