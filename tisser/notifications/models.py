"""The outbox: every message to a person (email or in-app) is a row first, written in the
same transaction as what caused it, then delivered by a worker. The idempotency key makes
planning the same message twice a no-op."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from tisser.notifications.kinds import kind_label, validate_kind


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    IN_APP = "in_app", _("Dans l'application")


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
        # A subquery, not a join: a join repeats a recipient with several memberships, and
        # the DISTINCT it then needs compares every column of every failed row.
        recipients = get_user_model().objects.filter(memberships__organisation_id__in=coordinated)
        return self.filter(status=Notification.Status.FAILED, recipient__in=recipients)

    def unread_in_app(self):
        """Delivered in-app notifications neither read nor done: an action notice whose
        action somebody did (`actions.resolve`) leaves the unread count for every recipient."""
        return self.filter(
            channel=Channel.IN_APP,
            status=Notification.Status.SENT,
            read_at__isnull=True,
            done_at__isnull=True,
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
    # No choices: each app declares its kinds in the registry (`kinds`), so that a new kind
    # needs no migration of this app; the validator refuses a kind nobody declared.
    kind = models.CharField(max_length=30, validators=[validate_kind])
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
    # What the message is about (a mentor profile, a mentoring request, a synthèse…): the
    # object an action notice asks someone to act on. When that action is done, by anyone,
    # `actions.resolve(about, kind)` marks every such notice done (docs/adr/0024).
    about_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    about_id = models.PositiveBigIntegerField(null=True, blank=True)
    about = GenericForeignKey("about_type", "about_id")
    done_at = models.DateTimeField(null=True, blank=True)
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
        indexes = [
            models.Index(fields=["status", "scheduled_for"], name="notif_due_idx"),
            models.Index(fields=["about_type", "about_id", "kind"], name="notif_about_idx"),
            # The reminders of an occurrence, per person, for its start: the per-minute planner
            # probes it for every participant of the meetings in its window.
            models.Index(
                fields=["occurrence", "recipient", "kind", "channel", "occurrence_start"],
                name="notif_occurrence_idx",
            ),
        ]
        verbose_name = _("notification")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient} ({self.channel})"

    def get_kind_display(self) -> str:
        return kind_label(self.kind)

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_unread(self) -> bool:
        return self.read_at is None and self.done_at is None


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
