"""What is kept after a bilan ends, and for how long (Code du travail R6313-7, ADR 0014).

The documents made for a bilan are destroyed as soon as it ends. Two exceptions, each for one
year at most: the synthèse the person sent to their conseil en évolution professionnelle (a
`SynthesisShare` marked `to_cep`), and the documents the person agreed in writing to keep
because their follow-up needs them (`KeepAgreement`). `FinalDownload` records that the person
took their documents before they went; `OutcomeRecord` keeps, with no link to anyone, what the
programme's outcome figures need."""

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# R6313-7: an exception keeps documents "pendant un an" at most.
EXCEPTION_MAX_DAYS = 365


class KeepAgreementQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The beneficiary who gave it and the consultant of the bilan read it."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(models.Q(bilan__beneficiary=user) | models.Q(bilan__consultant=user))

    def standing(self):
        return self.filter(withdrawn_at__isnull=True)


class KeepAgreement(models.Model):
    """The beneficiary's written agreement to keep some of their bilan's documents after its
    end, because their follow-up needs them (R6313-7): which kinds of documents, the need in
    their own words, until when (at most one year after the end). Withdrawable: the documents
    then go with the next daily run."""

    bilan = models.ForeignKey(
        "bilans.Bilan", on_delete=models.CASCADE, related_name="keep_agreements"
    )
    # Keys of the working-documents registry (`tisser.bilans.working_documents`).
    kinds = models.JSONField(_("documents conservés"), default=list)
    need = models.TextField(_("besoin de suivi"))
    given_at = models.DateTimeField(_("accord donné le"))
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The day the person chose; None: as long as allowed, one year after the end.
    until = models.DateField(_("conservés jusqu'au"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("retiré le"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = KeepAgreementQuerySet.as_manager()

    class Meta:
        ordering = ["given_at", "id"]
        verbose_name = _("accord de conservation de documents")
        verbose_name_plural = _("accords de conservation de documents")

    def __str__(self) -> str:
        return f"{self.bilan} — {', '.join(self.kinds)}"

    def ends_on(self, closed_at=None) -> date | None:
        """The last day the documents are kept: the chosen day, capped at one year after the
        end of the bilan; None while the bilan is open and no day was chosen."""
        closed_at = closed_at if closed_at is not None else self.bilan.closed_at
        if closed_at is None:
            return self.until
        cap = timezone.localdate(closed_at) + timedelta(days=EXCEPTION_MAX_DAYS)
        return min(self.until, cap) if self.until else cap


class FinalDownload(models.Model):
    """One download, by the beneficiary, of the documents offered before the end (the
    synthèse PDF, the "résultats détaillés" PDF). Management data: when, never what."""

    class Kind(models.TextChoices):
        SYNTHESIS = "synthesis", _("Document de synthèse (PDF)")
        RESULTS = "results", _("Résultats détaillés (PDF)")

    bilan = models.ForeignKey(
        "bilans.Bilan", on_delete=models.CASCADE, related_name="final_downloads"
    )
    kind = models.CharField(_("document"), max_length=12, choices=Kind.choices)
    at = models.DateTimeField(_("téléchargé le"))

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("téléchargement des documents de fin de bilan")

    def __str__(self) -> str:
        return f"{self.bilan_id} — {self.kind} ({self.at:%Y-%m-%d})"


class OutcomeRecord(models.Model):
    """What the programme's outcome figures need from one bilan, recorded just before its
    documents are destroyed: anonymous, with no link to the person nor to the bilan (no id,
    no day, only the month of the end), so that the figures survive the destruction without
    keeping anyone's data (ADR 0014)."""

    # A random key: a sequence would tell in which order the bilans ended.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    # The first day of the month the bilan ended.
    ended_month = models.DateField(_("mois de fin"))
    outcome = models.CharField(_("issue"), max_length=20, blank=True)
    # Overall isolation scores (0–100) of the checks at each moment, when there was one.
    isolation_start = models.PositiveSmallIntegerField(null=True, blank=True)
    isolation_end = models.PositiveSmallIntegerField(null=True, blank=True)
    isolation_plus_3_months = models.PositiveSmallIntegerField(null=True, blank=True)
    isolation_plus_6_months = models.PositiveSmallIntegerField(null=True, blank=True)
    # The research measures asked with the check (ADR 0031): the direct question on how often
    # one feels lonely (1 never … 5 often or always) and the short loneliness scale's total.
    lonely_frequency_start = models.PositiveSmallIntegerField(null=True, blank=True)
    lonely_frequency_end = models.PositiveSmallIntegerField(null=True, blank=True)
    lonely_frequency_plus_3_months = models.PositiveSmallIntegerField(null=True, blank=True)
    lonely_frequency_plus_6_months = models.PositiveSmallIntegerField(null=True, blank=True)
    loneliness_scale_start = models.PositiveSmallIntegerField(null=True, blank=True)
    loneliness_scale_end = models.PositiveSmallIntegerField(null=True, blank=True)
    loneliness_scale_plus_3_months = models.PositiveSmallIntegerField(null=True, blank=True)
    loneliness_scale_plus_6_months = models.PositiveSmallIntegerField(null=True, blank=True)
    # Size of the person's network at the start and at the end of the bilan, then 3 and 6
    # months after its end (when an agreement kept the follow-up): contacts, enquêtes-métiers
    # done and introductions received (contacts who came through another contact).
    network_start = models.PositiveIntegerField(null=True, blank=True)
    network_end = models.PositiveIntegerField(null=True, blank=True)
    network_plus_3_months = models.PositiveIntegerField(null=True, blank=True)
    network_plus_6_months = models.PositiveIntegerField(null=True, blank=True)
    interviews_end = models.PositiveIntegerField(null=True, blank=True)
    interviews_plus_3_months = models.PositiveIntegerField(null=True, blank=True)
    interviews_plus_6_months = models.PositiveIntegerField(null=True, blank=True)
    introductions_end = models.PositiveIntegerField(null=True, blank=True)
    introductions_plus_3_months = models.PositiveIntegerField(null=True, blank=True)
    introductions_plus_6_months = models.PositiveIntegerField(null=True, blank=True)
    # Whether the person had a mentor, and had joined a peer group, by the time of the record;
    # the name of their promotion then (the programme's figures are read per promotion).
    had_mentor = models.BooleanField(null=True, blank=True)
    # Whether the person agreed in writing to keep their isolation checks for the follow-up:
    # only then can the +3/+6-month answers reach this record (the response rates' base).
    followed_up = models.BooleanField(null=True, blank=True)
    had_group = models.BooleanField(null=True, blank=True)
    promotion = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["ended_month", "outcome"]
        verbose_name = _("résultat anonyme d'un bilan")
        verbose_name_plural = _("résultats anonymes des bilans")

    def __str__(self) -> str:
        return f"{self.ended_month:%Y-%m} — {self.outcome}"
