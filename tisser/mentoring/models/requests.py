"""A mentee's personalised request to one mentor, answered within a week."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tisser.mentoring.models.profiles import MentorProfile

ANSWER_DAYS = 7


class MentorshipRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The mentee who sent it and the mentor it is addressed to; the coordination of the
        organisation (it follows requests left unanswered). Nobody else, other mentees
        included."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        coordinated = user.memberships.coordinated_organisation_ids()
        return self.filter(
            models.Q(mentee=user)
            | models.Q(mentor__user=user)
            | models.Q(organisation_id__in=coordinated)
        )

    def pending(self):
        return self.filter(status=MentorshipRequest.Status.PENDING)


class MentorshipRequest(models.Model):
    """Sent with a message the mentee wrote (prefilled from the suggestion's explanation);
    `explanation` keeps the factors shown when it was sent. Answered within ANSWER_DAYS days:
    a reminder on the way, then it expires."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente de réponse")
        ACCEPTED = "accepted", _("Acceptée")
        DECLINED = "declined", _("Déclinée")
        EXPIRED = "expired", _("Expirée sans réponse")
        WITHDRAWN = "withdrawn", _("Retirée")

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentorship_requests"
    )
    mentor = models.ForeignKey(MentorProfile, on_delete=models.CASCADE, related_name="requests")
    message = models.TextField(_("votre message"))
    score = models.FloatField(null=True, blank=True)
    explanation = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    sent_at = models.DateTimeField(_("envoyée le"))
    respond_by = models.DateTimeField(_("réponse attendue avant le"))
    reminded_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("réponse"), blank=True)

    objects = MentorshipRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentee", "mentor"],
                condition=models.Q(status="pending"),
                name="mentoring_one_pending_request_per_pair",
            )
        ]
        verbose_name = _("demande de mentorat")
        verbose_name_plural = _("demandes de mentorat")

    def __str__(self) -> str:
        return f"{self.mentee} → {self.mentor.user} ({self.get_status_display()})"
