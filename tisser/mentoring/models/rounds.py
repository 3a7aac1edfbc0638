"""Matching rounds: the coordination matches a cohort of mentees at once, reviews each
proposal (accept, adjust, override with a reason) and publishes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tisser.mentoring.models.profiles import MentorProfile


class MatchingRoundQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The coordination of the organisation only."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        coordinated = user.memberships.coordinated_organisation_ids()
        return self.filter(organisation_id__in=coordinated)


class MatchingRound(models.Model):
    class Status(models.TextChoices):
        REVIEW = "review", _("En relecture")
        PUBLISHED = "published", _("Publié")
        DISCARDED = "discarded", _("Abandonné")

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="matching_rounds"
    )
    cohort = models.CharField(
        _("promotion ou programme"),
        max_length=100,
        blank=True,
        help_text=_("Vide : toutes les personnes qui cherchent un·e mentor."),
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REVIEW)
    weights = models.JSONField(default=dict)
    stats = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = MatchingRoundQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("tour d'appariement")
        verbose_name_plural = _("tours d'appariement")

    def __str__(self) -> str:
        return f"{self.cohort or _('Tous')} — {self.created_at:%Y-%m-%d}"


class RoundProposal(models.Model):
    """One mentee of a round: the engine's mentor (or why none), then the coordination's
    decision. `mentor` is the pair that will be published; `proposed_mentor` what the engine
    said, kept for the history."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("À relire")
        ACCEPTED = "accepted", _("Acceptée")
        OVERRIDDEN = "overridden", _("Modifiée")
        REJECTED = "rejected", _("Écartée")

    class Unmatched(models.TextChoices):
        NO_COMPATIBLE_MENTOR = "no_compatible_mentor", _("Aucun·e mentor compatible")
        CAPACITY_EXHAUSTED = "capacity_exhausted", _("Les mentors compatibles sont complets")

    round = models.ForeignKey(MatchingRound, on_delete=models.CASCADE, related_name="proposals")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    proposed_mentor = models.ForeignKey(
        MentorProfile, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    mentor = models.ForeignKey(
        MentorProfile, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    score = models.FloatField(null=True, blank=True)
    explanation = models.JSONField(default=list, blank=True)
    # The pair the coordination chose instead (an override): its score and top factors,
    # computed when chosen; `score` and `explanation` stay the engine's.
    chosen_score = models.FloatField(null=True, blank=True)
    chosen_explanation = models.JSONField(default=list, blank=True)
    unmatched_reason = models.CharField(max_length=24, choices=Unmatched.choices, blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    override_reason = models.CharField(_("motif de la modification"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    mentorship = models.OneToOneField(
        "mentoring.Mentorship",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposal",
    )

    class Meta:
        ordering = ["round", "mentee__last_name", "mentee__first_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "mentee"], name="mentoring_one_proposal")
        ]
        verbose_name = _("proposition d'appariement")

    def __str__(self) -> str:
        return f"{self.mentee} → {self.mentor or '—'}"
