"""A mentorship and its life: the expectations agreement, goals, progress updates and thanks,
feedback at 30 days and at the end. Its meetings are a `meetings` series."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tisser.meetings.models import MeetingMode
from tisser.mentoring.models.profiles import MentorProfile

DEFAULT_DURATION_MONTHS = 6
DEFAULT_MEETING_MINUTES = 60


class MentorshipQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The mentee and the mentor see their mentorship and everything in it; the
        coordination of the organisation sees it as management data (dates, status, meetings
        held, last activity) — pages never show it the goals, updates or feedback texts."""
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

    def of_member(self, user):
        """Only the mentorships `user` takes part in (not those they coordinate)."""
        return self.filter(models.Q(mentee=user) | models.Q(mentor__user=user))

    def active(self):
        return self.filter(status=Mentorship.Status.ACTIVE)


class Mentorship(models.Model):
    """A mentee and a mentor. It counts against the mentor's capacity while ACTIVE;
    `mentorship_start` takes the last place atomically."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("En cours")
        ENDED = "ended", _("Terminée")

    class Origin(models.TextChoices):
        REQUEST = "request", _("Demande de la personne mentorée")
        ROUND = "round", _("Tour d'appariement de la coordination")

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="mentorships"
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentorships_as_mentee"
    )
    mentor = models.ForeignKey(MentorProfile, on_delete=models.PROTECT, related_name="mentorships")
    origin = models.CharField(max_length=10, choices=Origin.choices)
    request = models.OneToOneField(
        "mentoring.MentorshipRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentorship",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    started_at = models.DateTimeField(_("commencée le"))
    planned_end = models.DateField(_("fin prévue le"))
    extended_times = models.PositiveSmallIntegerField(default=0)
    ended_at = models.DateTimeField(_("terminée le"), null=True, blank=True)
    end_reason = models.TextField(_("bilan de fin"), blank=True)
    series = models.OneToOneField(
        "meetings.MeetingSeries",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentorship",
    )
    last_activity_at = models.DateTimeField(_("dernière activité"))
    # A pause keeps the mentorship ACTIVE (it still holds its place with the mentor) while its
    # meetings to come are cancelled; resuming plans them again on the same rhythm (ADR 0025).
    paused_at = models.DateTimeField(_("en pause depuis le"), null=True, blank=True)
    pause_reason = models.TextField(_("motif de la pause"), blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = MentorshipQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentee", "mentor"],
                condition=models.Q(status="active"),
                name="mentoring_one_active_mentorship_per_pair",
            )
        ]
        indexes = [
            # The daily follow-up of one organisation: its active mentorships gone quiet.
            models.Index(
                fields=["organisation", "status", "last_activity_at"],
                name="mentorship_org_status_act_idx",
            ),
        ]
        verbose_name = _("relation de mentorat")
        verbose_name_plural = _("relations de mentorat")

    def __str__(self) -> str:
        return f"{self.mentee.get_full_name()} × {self.mentor.user.get_full_name()}"

    @property
    def is_paused(self) -> bool:
        return self.status == self.Status.ACTIVE and self.paused_at is not None

    @property
    def status_label(self) -> str:
        """« En cours », « En pause » or « Terminée »: what every page shows."""
        if self.is_paused:
            return str(_("En pause"))
        return self.get_status_display()


class Agreement(models.Model):
    """The expectations agreed at the start. Both sign it; any change after a signature asks
    both to sign again (`version` guards concurrent edits)."""

    mentorship = models.OneToOneField(
        Mentorship, on_delete=models.CASCADE, related_name="agreement"
    )
    goals_summary = models.TextField(_("objectifs du mentorat"))
    mentee_expectations = models.TextField(_("ce que la personne mentorée attend"))
    mentor_commitment = models.TextField(_("ce que le ou la mentor propose"), blank=True)
    meeting_minutes = models.PositiveSmallIntegerField(
        _("durée d'une rencontre (minutes)"), default=DEFAULT_MEETING_MINUTES
    )
    meetings_per_month = models.PositiveSmallIntegerField(_("rencontres par mois"), default=1)
    confidentiality = models.TextField(_("confidentialité"))
    duration_months = models.PositiveSmallIntegerField(
        _("durée (mois)"), default=DEFAULT_DURATION_MONTHS
    )
    # The first meeting: when both have signed, the monthly series starts from it.
    first_meeting_at = models.DateTimeField(_("première rencontre"), null=True, blank=True)
    first_meeting_mode = models.CharField(
        _("modalité"), max_length=10, choices=MeetingMode.choices, blank=True
    )
    first_meeting_place = models.CharField(
        _("lieu, lien de visio ou numéro"), max_length=500, blank=True
    )
    mentee_signed_at = models.DateTimeField(null=True, blank=True)
    mentor_signed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("charte de mentorat")

    def __str__(self) -> str:
        return f"{self.mentorship}"

    @property
    def is_signed(self) -> bool:
        return self.mentee_signed_at is not None and self.mentor_signed_at is not None


class Goal(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("À démarrer")
        IN_PROGRESS = "in_progress", _("En cours")
        ACHIEVED = "achieved", _("Atteint")
        DROPPED = "dropped", _("Abandonné")

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("objectif"), max_length=300)
    success_criteria = models.TextField(_("comment saurons-nous qu'il est atteint ?"), blank=True)
    status = models.CharField(_("état"), max_length=12, choices=Status.choices, default=Status.OPEN)
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["mentorship", "position", "id"]
        verbose_name = _("objectif de mentorat")

    def __str__(self) -> str:
        return self.title


class ProgressUpdate(models.Model):
    """A typed message between the two members, in either direction: an encouragement, a
    question, thanks or news. Its type chooses the notice's subject (ADR 0025)."""

    class Kind(models.TextChoices):
        ENCOURAGEMENT = "encouragement", _("Encouragement")
        QUESTION = "question", _("Question")
        THANKS = "thanks", _("Remerciement")
        UPDATE = "update", _("Nouvelles")

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(
        _("type de message"), max_length=16, choices=Kind.choices, default=Kind.UPDATE
    )
    text = models.TextField(_("message"))
    goal = models.ForeignKey(
        Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="updates"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("message de mentorat")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.author}"


class Feedback(models.Model):
    """Each side's view after 30 days and at the end. Private to its author and, as ratings
    only, to the coordination."""

    class Stage(models.TextChoices):
        DAY_30 = "day_30", _("Après 30 jours")
        END = "end", _("À la fin du mentorat")

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="feedback")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    rating = models.PositiveSmallIntegerField(_("dans l'ensemble, de 1 à 5"))
    going_well = models.TextField(_("ce qui fonctionne"), blank=True)
    to_improve = models.TextField(_("ce qui pourrait être amélioré"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["mentorship", "stage", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentorship", "author", "stage"], name="mentoring_one_feedback_per_stage"
            ),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="mentoring_rating_1_5"
            ),
        ]
        verbose_name = _("retour sur le mentorat")

    def __str__(self) -> str:
        return f"{self.mentorship} — {self.get_stage_display()}"
