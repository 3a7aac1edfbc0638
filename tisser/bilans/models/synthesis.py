"""The document de synthèse (Code du travail R6313-7): written by the consultant in three
sections, read, commented and validated by the beneficiary, to whom it belongs. It reaches
nobody else without a recorded, revocable consent naming the recipient (`SynthesisShare`)."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tisser.bilans.models.core import party_of_bilan
from tisser.bilans.models.retention import EXCEPTION_MAX_DAYS


class SynthesisStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Soumise à la personne")
    VALIDATED = "validated", _("Validée par la personne")


class SynthesisDocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The beneficiary reads their synthèse, the consultant of the bilan writes it;
        nobody else sees it — not even a coordinator: its content is the beneficiary's."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(party_of_bilan(user, "bilan__"))


class SynthesisDocument(models.Model):
    """One per bilan. `status` changes only through the services of
    `tisser.bilans.services.synthesis`; `version` grows with every write so that the
    consultant's editing and the beneficiary's reading never silently overwrite each other."""

    bilan = models.OneToOneField("bilans.Bilan", on_delete=models.CASCADE, related_name="synthesis")
    circumstances = models.TextField(_("circonstances du bilan"), blank=True)
    competences = models.TextField(_("compétences et aptitudes au regard des projets"), blank=True)
    projects = models.TextField(_("projets et principales étapes"), blank=True)
    status = models.CharField(
        _("état"), max_length=12, choices=SynthesisStatus.choices, default=SynthesisStatus.DRAFT
    )
    # What the person asked to change when they sent the synthèse back: a message to their
    # consultant, never printed in the document.
    beneficiary_comment = models.TextField(_("commentaire de la personne"), blank=True)
    # The person's observations on the synthèse presented to them (former R6322-39: the
    # synthèse is the organisme's, presented to the person for their observations): their own
    # words, printed in the document as theirs.
    beneficiary_observations = models.TextField(_("observations de la personne"), blank=True)
    observations_at = models.DateTimeField(_("observations écrites le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"))
    updated_at = models.DateTimeField(_("modifiée le"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("soumise le"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    returned_at = models.DateTimeField(_("renvoyée le"), null=True, blank=True)
    validated_at = models.DateTimeField(_("validée le"), null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    objects = SynthesisDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document de synthèse")
        verbose_name_plural = _("documents de synthèse")

    def __str__(self) -> str:
        return f"{self.bilan} — {self.get_status_display()}"

    @property
    def is_draft(self) -> bool:
        return self.status == SynthesisStatus.DRAFT

    @property
    def is_submitted(self) -> bool:
        return self.status == SynthesisStatus.SUBMITTED

    @property
    def is_validated(self) -> bool:
        return self.status == SynthesisStatus.VALIDATED


class SynthesisPdf(models.Model):
    """The PDF of a validated synthèse, rendered in the background. Kept in the database, out
    of any public folder: it is only ever served by views that check who asks. A row of its
    own so that reading the synthèse never loads the file."""

    document = models.OneToOneField(SynthesisDocument, on_delete=models.CASCADE, related_name="pdf")
    # The version of the synthèse this file was rendered from, and the fingerprint of its
    # HTML (`tisser.documents.html.pdf_fingerprint`): the organisme's identity, the hours and
    # the entretiens are printed too, and change without the synthèse's version.
    version = models.PositiveIntegerField()
    fingerprint = models.CharField(max_length=64, blank=True, default="")
    content = models.BinaryField()
    rendered_at = models.DateTimeField()

    class Meta:
        verbose_name = _("PDF du document de synthèse")

    def __str__(self) -> str:
        return f"{self.document} (v{self.version})"


def share_token_hash(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


class SynthesisShareQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Only the beneficiary sees (and revokes) the consents they gave."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(document__bilan__beneficiary=user)


class SynthesisShare(models.Model):
    """The beneficiary's consent to give their synthèse to one named recipient, for a
    purpose. The recipient downloads it through a private link (only the SHA-256 of its token
    is stored) until the consent is revoked."""

    document = models.ForeignKey(SynthesisDocument, on_delete=models.CASCADE, related_name="shares")
    recipient_name = models.CharField(_("nom du destinataire"), max_length=200)
    recipient_email = models.EmailField(_("adresse e-mail du destinataire"))
    recipient_role = models.CharField(_("fonction du destinataire"), max_length=200)
    recipient_organisation = models.CharField(_("organisme"), max_length=200, blank=True)
    purpose = models.CharField(_("objet du partage"), max_length=500)
    # Sent, at the beneficiary's request, to their conseil en évolution professionnelle
    # (L6313-4): the synthèse is then kept one year from this share (R6313-7).
    to_cep = models.BooleanField(_("conseil en évolution professionnelle"), default=False)
    token_hash = models.CharField(max_length=64, unique=True)
    given_at = models.DateTimeField(_("consentement donné le"))
    revoked_at = models.DateTimeField(_("retiré le"), null=True, blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)

    objects = SynthesisShareQuerySet.as_manager()

    class Meta:
        ordering = ["-given_at", "-id"]
        verbose_name = _("partage du document de synthèse")

    def __str__(self) -> str:
        return f"{self.recipient_name} <{self.recipient_email}>"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def kept_until(self):
        """The last day a CEP share keeps the synthèse after the bilan (R6313-7: one year
        from the share); None for any other share."""
        if not self.to_cep:
            return None
        return timezone.localdate(self.given_at) + timedelta(days=EXCEPTION_MAX_DAYS)


class SynthesisShareDownload(models.Model):
    """One download of a shared synthèse by its recipient (the beneficiary sees them)."""

    share = models.ForeignKey(SynthesisShare, on_delete=models.CASCADE, related_name="downloads")
    at = models.DateTimeField()
    # Truncated: enough to tell two devices apart, not a fingerprint.
    user_agent = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("téléchargement d'une synthèse partagée")

    def __str__(self) -> str:
        return f"{self.share} — {self.at:%Y-%m-%d %H:%M}"
