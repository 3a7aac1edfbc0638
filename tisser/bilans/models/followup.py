"""After the bilan: the follow-up interview (entretien de suivi) and the satisfaction
questionnaires (Qualiopi indicator 30) at the end and six months later."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tisser.bilans.models.core import party_of_bilan
from tisser.meetings.models import MeetingMode


class FollowUpQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The bilan's beneficiary and consultant see its follow-up (the beneficiary never
        its `notes`, which the pages only show to the consultant). Coordinators count
        follow-ups through aggregates only."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(party_of_bilan(user, "bilan__"))


class FollowUp(models.Model):
    """The follow-up interview the consultant offers once the bilan ends (usually six
    months later). Its status changes only through the `followup_*` services."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposé")
        ACCEPTED = "accepted", _("Accepté")
        DECLINED = "declined", _("Décliné")
        DONE = "done", _("Réalisé")

    bilan = models.OneToOneField("bilans.Bilan", on_delete=models.CASCADE, related_name="followup")
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    start = models.DateTimeField(_("date proposée"))
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"), default=60)
    mode = models.CharField(_("modalité"), max_length=10, choices=MeetingMode.choices)
    location = models.CharField(_("lieu, lien de visio ou numéro"), max_length=500, blank=True)
    message = models.TextField(_("message à la personne"), blank=True)
    proposed_at = models.DateTimeField(_("proposé le"))
    answered_at = models.DateTimeField(_("réponse le"), null=True, blank=True)
    decline_reason = models.TextField(_("raison du refus"), blank=True)
    series = models.OneToOneField(
        "meetings.MeetingSeries",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bilan_followup",
    )
    done_at = models.DateTimeField(_("réalisé le"), null=True, blank=True)
    # The consultant's own notes of the interview: never shown to the beneficiary.
    notes = models.TextField(_("notes de l'entretien de suivi"), blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("entretien de suivi")
        verbose_name_plural = _("entretiens de suivi")

    def __str__(self) -> str:
        return f"{self.bilan} — {self.get_status_display()}"


class SatisfactionMoment(models.TextChoices):
    END = "end", _("Fin du bilan")
    PLUS_6_MONTHS = "plus_6_months", _("6 mois après")


class SatisfactionResponseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A beneficiary sees their own answers, nobody else: the consultant knows whether
        they answered (through the services), a coordinator sees aggregates of at least
        five answers (see `tisser.bilans.stats`)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(bilan__beneficiary=user)


class SatisfactionResponse(models.Model):
    """The beneficiary's answers to the satisfaction questionnaire at one moment, stored
    with the questionnaire version they were given (see `tisser.bilans.satisfaction`)."""

    bilan = models.ForeignKey(
        "bilans.Bilan", on_delete=models.CASCADE, related_name="satisfaction_responses"
    )
    moment = models.CharField(_("moment"), max_length=20, choices=SatisfactionMoment.choices)
    version = models.CharField(_("version du questionnaire"), max_length=40)
    answers = models.JSONField(_("réponses"), default=dict)
    comment = models.TextField(_("commentaire"), blank=True)
    created_at = models.DateTimeField(_("date"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = SatisfactionResponseQuerySet.as_manager()

    class Meta:
        ordering = ["bilan", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["bilan", "moment"], name="bilans_one_satisfaction_per_moment"
            )
        ]
        verbose_name = _("réponse au questionnaire de satisfaction")
        verbose_name_plural = _("réponses au questionnaire de satisfaction")

    def __str__(self) -> str:
        return f"{self.bilan} — {self.get_moment_display()}"
