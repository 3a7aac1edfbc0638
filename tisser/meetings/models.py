"""Rencontres: recurring, prepared meetings shared by bilan sessions, mentoring and peer groups.

A `MeetingSeries` carries an RFC 5545 recurrence rule expanded in its own time zone (wall-clock
times stay put across daylight-saving changes); its `Occurrence` rows are materialised so that
each can be moved or cancelled on its own, prepared (agenda), attended and written up."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    BILAN_SESSION = "bilan_session", _("Entretien de bilan")
    MENTORING = "mentoring", _("Rencontre de mentorat")
    PEER_GROUP = "peer_group", _("Réunion du groupe de pairs")
    OTHER = "other", _("Autre rencontre")


class MeetingMode(models.TextChoices):
    VIDEO = "video", _("Visioconférence")
    ON_SITE = "on_site", _("Sur place")
    PHONE = "phone", _("Téléphone")


class MeetingSeriesQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A person sees the series they take part in; a coordinator sees the series of their
        organisation (dates and attendance — the notes stay with the participants)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        coordinated = user.memberships.coordinated_organisation_ids()
        return self.filter(
            models.Q(participants__user=user) | models.Q(organisation_id__in=coordinated)
        ).distinct()


class MeetingSeries(models.Model):
    """A regular meeting between participants: its rule, duration, place and who attends."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="meeting_series"
    )
    kind = models.CharField(_("type"), max_length=20, choices=MeetingKind.choices)
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    timezone = models.CharField(_("fuseau horaire"), max_length=64, default="Europe/Paris")
    first_start = models.DateTimeField(_("première rencontre"))
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"), default=60)
    rrule = models.CharField(
        _("règle de récurrence (RFC 5545)"),
        max_length=500,
        blank=True,
        help_text=_("Vide pour une rencontre unique."),
    )
    mode = models.CharField(_("modalité"), max_length=10, choices=MeetingMode.choices)
    location = models.CharField(_("lieu, lien de visio ou numéro"), max_length=500, blank=True)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    ended_at = models.DateTimeField(_("terminée le"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingSeriesQuerySet.as_manager()

    class Meta:
        ordering = ["first_start", "id"]
        indexes = [
            # The daily jobs read an organisation's series of some kinds not ended.
            models.Index(
                fields=["organisation", "kind", "ended_at"], name="meet_series_org_kind_idx"
            ),
        ]
        verbose_name = _("série de rencontres")
        verbose_name_plural = _("séries de rencontres")

    def __str__(self) -> str:
        return self.title


class SeriesParticipant(models.Model):
    """A person taking part in a series; the organiser may move, cancel and end it."""

    class ParticipantRole(models.TextChoices):
        ORGANISER = "organiser", _("Organisateur·rice")
        PARTICIPANT = "participant", _("Participant·e")

    series = models.ForeignKey(MeetingSeries, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_participations"
    )
    role = models.CharField(max_length=12, choices=ParticipantRole.choices)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["series", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["series", "user"], name="meetings_one_participation")
        ]
        verbose_name = _("participant·e")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class OccurrenceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The occurrences of the series the person may see (see MeetingSeries.visible_to)."""
        return self.filter(series__in=MeetingSeries.objects.visible_to(user))

    def scheduled(self):
        return self.filter(status=Occurrence.Status.SCHEDULED)


class Occurrence(models.Model):
    """One meeting of a series. `original_start` is its slot in the rule (its RECURRENCE-ID);
    `start` is when it really takes place once moved. `sequence` grows with every change so
    that calendar apps update it; `version` guards concurrent edits of its notes."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Prévue")
        CANCELLED = "cancelled", _("Annulée")

    series = models.ForeignKey(MeetingSeries, on_delete=models.CASCADE, related_name="occurrences")
    original_start = models.DateTimeField()
    start = models.DateTimeField(_("début"), db_index=True)
    end = models.DateTimeField(_("fin"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    mode = models.CharField(_("modalité"), max_length=10, choices=MeetingMode.choices)
    location = models.CharField(_("lieu, lien de visio ou numéro"), max_length=500, blank=True)
    sequence = models.PositiveIntegerField(default=0)
    notes = models.TextField(_("notes partagées"), blank=True)
    decisions = models.TextField(_("décisions"), blank=True)
    notes_completed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OccurrenceQuerySet.as_manager()

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "original_start"], name="meetings_one_occurrence_per_slot"
            )
        ]
        indexes = [
            # A series' meetings by date: the last held ones (inactivity), what comes next.
            models.Index(fields=["series", "start"], name="meet_occ_series_start_idx"),
            # The reminders' planner looks for meetings ending in its window (notes).
            models.Index(fields=["end"], name="meet_occ_end_idx"),
        ]
        verbose_name = _("rencontre")

    def __str__(self) -> str:
        return f"{self.series.title} — {self.start:%Y-%m-%d %H:%M}"

    @property
    def duration_minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


class Attendance(models.Model):
    """Who attended an occurrence. For a bilan session, the beneficiary's own confirmation,
    timestamped, is the émargement."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Présent·e")
        ABSENT = "absent", _("Absent·e")
        EXCUSED = "excused", _("Excusé·e")

    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendances"
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_by_participant_at = models.DateTimeField(null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["occurrence", "user_id"]
        constraints = [
            models.UniqueConstraint(fields=["occurrence", "user"], name="meetings_one_attendance")
        ]
        verbose_name = _("présence")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_status_display()}"


class AgendaItem(models.Model):
    """A point to discuss, prepared before the meeting: a blocker, a question, a success to
    share, or a free topic."""

    class Kind(models.TextChoices):
        BLOCKER = "blocker", _("Point de blocage")
        QUESTION = "question", _("Question")
        SUCCESS = "success", _("Succès à partager")
        TOPIC = "topic", _("Sujet libre")

    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="agenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    text = models.CharField(_("intitulé"), max_length=500)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurrence", "position", "id"]
        verbose_name = _("point de l'ordre du jour")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} : {self.text}"


class ActionItem(models.Model):
    """A next action decided at a meeting. Until it is done it stays on the agenda of the
    series' following meetings."""

    series = models.ForeignKey(MeetingSeries, on_delete=models.CASCADE, related_name="actions")
    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="actions")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_actions"
    )
    text = models.CharField(_("action"), max_length=500)
    due_on = models.DateField(_("échéance"), null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("action")

    def __str__(self) -> str:
        return self.text


class CalendarFeed(models.Model):
    """A person's private iCalendar subscription. Only the SHA-256 of its secret is stored;
    regenerating it makes the old address stop working."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("abonnement calendrier")

    def __str__(self) -> str:
        return f"{self.user}"
