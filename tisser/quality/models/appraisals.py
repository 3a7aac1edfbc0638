"""Appraisals by the stakeholders other than the beneficiary (Qualiopi indicator 30, issue #18):
the employer's and the funder's, answered from an e-mail link without an account, and the
consultant's appraisal of each bilan they led. The beneficiary's own end and +6-month
questionnaires stay in `bilans` (`SatisfactionResponse`); the results page shows both.

Each organisation has one questionnaire per audience, whose questions the coordinator edits
(add, reword, reorder, retire). An answer keeps the wording and the kind of the question it
answered (`AppraisalAnswer.question_text`): rewording a question never changes what an earlier
respondent was asked. Questions are retired, never deleted, so that answers keep their link."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    EMPLOYER = "employer", _("Employeur")
    FUNDER = "funder", _("Financeur")
    CONSULTANT = "consultant", _("Conseiller·ère")


# The audiences reached by an e-mail link (no account); the consultant answers in Tisser.
INVITED_AUDIENCES = (Audience.EMPLOYER, Audience.FUNDER)


class QuestionKind(models.TextChoices):
    RATING = "rating", _("Note de 1 à 5")
    YES_NO = "yes_no", _("Oui / non")
    TEXT = "text", _("Texte libre")


class QuestionnaireQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The coordinators of the organisation edit its questionnaires; nobody else."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(organisation_id__in=user.memberships.coordinated_organisation_ids())


class Questionnaire(models.Model):
    """The questions one audience of one organisation is asked. `version` grows with every
    change of its questions (ADR 0007): two coordinators never silently overwrite each other."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    audience = models.CharField(_("public"), max_length=20, choices=Audience.choices)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "audience"], name="quality_one_questionnaire_per_audience"
            )
        ]
        verbose_name = _("questionnaire d'appréciation")
        verbose_name_plural = _("questionnaires d'appréciation")

    def __str__(self) -> str:
        return f"{self.organisation} — {self.get_audience_display()}"


class Question(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    kind = models.CharField(_("type de réponse"), max_length=10, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=300)
    position = models.PositiveIntegerField(_("ordre"), default=0)
    # A retired question is no longer asked; its answers stay, with the wording they answered.
    retired_at = models.DateTimeField(_("retirée le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)

    class Meta:
        ordering = ["questionnaire", "position", "id"]
        verbose_name = _("question d'appréciation")
        verbose_name_plural = _("questions d'appréciation")

    def __str__(self) -> str:
        return self.text


def appraisal_token_hash(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


class AppraisalInvitationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The coordinators of the organisation see every invitation; a consultant sees the
        ones of the bilans they run."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            models.Q(organisation_id__in=user.memberships.coordinated_organisation_ids())
            | models.Q(bilan__consultant=user)
        )


class AppraisalInvitation(models.Model):
    """An employer or a funder asked for its appraisal of one bilan by an e-mail link. Only
    the SHA-256 of the link's secret is stored: the e-mail task creates the secret and puts it
    in the e-mail, nowhere else (`services.appraisals.appraisal_link_issue`). The link works
    once, until `expires_at`."""

    class Status(models.TextChoices):
        SENT = "sent", _("Envoyée")
        ANSWERED = "answered", _("Répondue")
        EXPIRED = "expired", _("Expirée")

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    bilan = models.ForeignKey(
        "bilans.Bilan", on_delete=models.CASCADE, related_name="appraisal_invitations"
    )
    audience = models.CharField(_("public"), max_length=20, choices=Audience.choices)
    email = models.EmailField(_("adresse e-mail"))
    recipient_name = models.CharField(_("destinataire (structure)"), max_length=200, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expire le"))
    answered_at = models.DateTimeField(_("répondue le"), null=True, blank=True)

    objects = AppraisalInvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "created_at"], name="quality_apprinv_org_idx")
        ]
        verbose_name = _("invitation à donner une appréciation")
        verbose_name_plural = _("invitations à donner une appréciation")

    def __str__(self) -> str:
        return f"{self.get_audience_display()} — {self.email}"

    def status_at(self, now=None) -> "AppraisalInvitation.Status":
        if self.answered_at is not None:
            return self.Status.ANSWERED
        if (now or timezone.now()) >= self.expires_at:
            return self.Status.EXPIRED
        return self.Status.SENT

    @property
    def status(self) -> "AppraisalInvitation.Status":
        return self.status_at()


class Appraisal(models.Model):
    """One stakeholder's answers about one bilan: an invited employer or funder
    (`invitation`), or the consultant who led it (`respondent`, once per bilan)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    bilan = models.ForeignKey("bilans.Bilan", on_delete=models.CASCADE, related_name="appraisals")
    audience = models.CharField(_("public"), max_length=20, choices=Audience.choices)
    invitation = models.OneToOneField(
        AppraisalInvitation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appraisal",
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Who answered, for the small-numbers rule (one person counted once): the invitation's
    # e-mail address (lower case) or "user:<id>" for a consultant.
    respondent_key = models.CharField(max_length=254, editable=False)
    questionnaire_version = models.PositiveIntegerField(_("version du questionnaire"))
    created_at = models.DateTimeField(_("répondu le"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["organisation", "audience", "created_at"], name="quality_appr_org_idx"
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["bilan"],
                condition=models.Q(audience="consultant"),
                name="quality_one_consultant_appraisal_per_bilan",
            )
        ]
        verbose_name = _("appréciation")
        verbose_name_plural = _("appréciations")

    def __str__(self) -> str:
        return f"{self.get_audience_display()} — {self.bilan_id}"


class AppraisalAnswer(models.Model):
    """One answer, with the question's wording and kind as they were asked."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    question_text = models.CharField(_("question posée"), max_length=300)
    kind = models.CharField(_("type de réponse"), max_length=10, choices=QuestionKind.choices)
    rating = models.PositiveSmallIntegerField(_("note"), null=True, blank=True)
    yes = models.BooleanField(_("oui"), null=True, blank=True)
    text = models.TextField(_("réponse libre"), blank=True)

    class Meta:
        ordering = ["appraisal", "id"]
        verbose_name = _("réponse d'appréciation")
        verbose_name_plural = _("réponses d'appréciation")

    def __str__(self) -> str:
        return self.question_text
