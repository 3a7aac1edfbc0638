"""The outbox: every message to a person (email or in-app) is a row first, written in the
same transaction as what caused it, then delivered by a worker. The idempotency key makes
planning the same message twice a no-op."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    IN_APP = "in_app", _("Dans l'application")


class NotificationKind(models.TextChoices):
    AGENDA_REMINDER = "agenda_reminder", _("Préparer l'ordre du jour")
    MEETING_REMINDER = "meeting_reminder", _("Rappel de rencontre")
    NOTES_REMINDER = "notes_reminder", _("Compléter le compte rendu")
    MEETING_CHANGED = "meeting_changed", _("Rencontre modifiée")
    MEETING_CANCELLED = "meeting_cancelled", _("Rencontre annulée")
    DAILY_DIGEST = "daily_digest", _("Résumé du jour")
    INACTIVITY_NUDGE = "inactivity_nudge", _("Relance bienveillante")
    INACTIVITY_ALERT = "inactivity_alert", _("Alerte d'inactivité")
    SYNTHESIS_SUBMITTED = "synthesis_submitted", _("Synthèse à relire")
    SYNTHESIS_RETURNED = "synthesis_returned", _("Synthèse renvoyée")
    SYNTHESIS_VALIDATED = "synthesis_validated", _("Synthèse validée")
    FOLLOWUP_PROPOSED = "followup_proposed", _("Entretien de suivi proposé")
    SATISFACTION_REMINDER = "satisfaction_reminder", _("Questionnaire de satisfaction")
    ISOLATION_CHECK_REMINDER = "isolation_check_reminder", _("Refaire le point sur l'isolement")
    NETWORK_FOLLOW_UP = "network_follow_up", _("Relancer un contact")
    NETWORK_THANK = "network_thank", _("Remercier après une enquête")
    NETWORK_ASK_REFERRAL = "network_ask_referral", _("Demander un autre contact")
    MENTOR_PROFILE_SUBMITTED = "mentor_profile_submitted", _("Profil de mentor à valider")
    MENTOR_PROFILE_REVIEWED = "mentor_profile_reviewed", _("Profil de mentor relu")
    MENTORING_REQUEST = "mentoring_request", _("Demande de mentorat reçue")
    MENTORING_REQUEST_REMINDER = "mentoring_request_reminder", _("Demande de mentorat en attente")
    MENTORING_REQUEST_ANSWERED = (
        "mentoring_request_answered",
        _("Réponse à une demande de mentorat"),
    )
    MENTORING_STARTED = "mentoring_started", _("Nouveau mentorat")
    MENTORING_UPDATE = "mentoring_update", _("Nouvelles du mentorat")
    MENTORING_FEEDBACK_DUE = "mentoring_feedback_due", _("Votre avis sur le mentorat")
    MENTORING_INACTIVE = "mentoring_inactive", _("Mentorat sans activité")
    PEER_GROUP_PROPOSED = "peer_group_proposed", _("Votre groupe de pairs")
    PEER_GROUP_CHANGED = "peer_group_changed", _("Votre groupe de pairs change")
    PEER_REPAIR_PROPOSED = "peer_repair_proposed", _("Groupe de pairs à réajuster")
    PEER_CHECKIN_REMINDER = "peer_checkin_reminder", _("Préparer la réunion du groupe")
    PEER_COMMITMENT_NUDGE = "peer_commitment_nudge", _("Vos engagements de la période")
    PEER_RECIPROCITY_NUDGE = "peer_reciprocity_nudge", _("Donner et recevoir")
    PEER_GROUP_FADING = "peer_group_fading", _("Groupe de pairs sans activité")


# Reminders planned from the meeting calendar; they are checked again when they fall due and
# are the ones a daily digest gathers.
REMINDER_KINDS = (
    NotificationKind.AGENDA_REMINDER,
    NotificationKind.MEETING_REMINDER,
    NotificationKind.NOTES_REMINDER,
)


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A person sees the in-app notifications addressed to them; a coordinator also sees
        the deliveries of their organisation that failed (not their content)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def failed_for_coordinator(self, user):
        """Failed deliveries to members of the organisations `user` coordinates."""
        coordinated = user.memberships.coordinated_organisation_ids()
        return self.filter(
            status=Notification.Status.FAILED,
            recipient__memberships__organisation_id__in=coordinated,
        ).distinct()

    def unread_in_app(self):
        return self.filter(
            channel=Channel.IN_APP, status=Notification.Status.SENT, read_at__isnull=True
        )


class Notification(models.Model):
    """One message to one person on one channel, planned for `scheduled_for`."""

    class Status(models.TextChoices):
        PENDING = "pending", _("À envoyer")
        SENT = "sent", _("Envoyée")
        FAILED = "failed", _("En échec")
        CANCELLED = "cancelled", _("Annulée")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    idempotency_key = models.CharField(max_length=200, unique=True)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    url = models.CharField(max_length=500, blank=True)
    occurrence = models.ForeignKey(
        "meetings.Occurrence",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    # The start of `occurrence` this message was planned for: a reminder whose occurrence has
    # moved since is cancelled at delivery instead of announcing the old time.
    occurrence_start = models.DateTimeField(null=True, blank=True)
    scheduled_for = models.DateTimeField(db_index=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-scheduled_for", "-id"]
        indexes = [models.Index(fields=["status", "scheduled_for"], name="notif_due_idx")]
        verbose_name = _("notification")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient} ({self.channel})"


class NotificationPreference(models.Model):
    """How a person wants to be reminded. No row means the defaults below."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_reminders = models.BooleanField(_("recevoir les rappels par e-mail"), default=True)
    daily_digest = models.BooleanField(
        _("regrouper mes rappels en un e-mail quotidien"), default=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("préférences de notification")

    def __str__(self) -> str:
        return f"{self.user} : e-mail={self.email_reminders}, résumé={self.daily_digest}"
