"""Peer groups, the formations that propose them, and their members."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tisser.peers.models.choices import Rhythm


class FormationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The coordination of the organisation only."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(organisation_id__in=user.memberships.coordinated_organisation_ids())


class GroupFormation(models.Model):
    """One run of the formation engine over a cohort: the engine computes in the background
    (RUNNING), then the coordination reviews the proposed groups (moves people, locks groups)
    and publishes them. A re-run goes back to RUNNING until the new groups are stored."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Calcul en cours")
        REVIEW = "review", _("En relecture")
        PUBLISHED = "published", _("Publiée")
        DISCARDED = "discarded", _("Abandonnée")

    class Stage(models.TextChoices):
        QUEUED = "queued", _("En attente du calcul")
        READING = "reading", _("Lecture des préférences")
        COMPUTING = "computing", _("Calcul des groupes")
        STORING = "storing", _("Enregistrement des groupes")

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="group_formations"
    )
    cohort = models.CharField(_("promotion ou programme"), max_length=100, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REVIEW)
    config = models.JSONField(default=dict)
    stats = models.JSONField(default=dict)
    unplaced = models.JSONField(default=list, blank=True)
    # Since when the engine computes (RUNNING), and why its last computation did not give
    # groups, if it did not (a code: see `tisser.peers.services.formation.COMPUTE_ERRORS`).
    running_since = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=20, blank=True)
    # While RUNNING, what the task worker is doing and how far it is (0–100), written by
    # `formation_compute` outside its transactions for the page's poll.
    stage = models.CharField(max_length=10, choices=Stage.choices, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = FormationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("formation de groupes")
        indexes = [
            models.Index(fields=["organisation", "status"], name="peers_formation_org_status")
        ]

    def __str__(self) -> str:
        return f"{self.cohort or '—'} ({self.created_at:%Y-%m-%d})"


class PeerGroupQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Its current members (proposed or accepted, not those who left) see the group; the
        coordination of the organisation sees it as management data (members, dates,
        attendance, commitments kept, last activity) — never the commitments' texts, the
        check-ins' comments or what members gave each other."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(
            models.Q(
                members__user=user,
                members__status__in=[
                    PeerGroupMember.Status.PROPOSED,
                    PeerGroupMember.Status.ACCEPTED,
                ],
            )
            | models.Q(organisation_id__in=user.memberships.coordinated_organisation_ids())
        ).distinct()

    def of_member(self, user):
        """Only the groups `user` belongs to now (not those they coordinate)."""
        return self.filter(
            members__user=user,
            members__status__in=[PeerGroupMember.Status.PROPOSED, PeerGroupMember.Status.ACCEPTED],
        ).distinct()


class PeerGroup(models.Model):
    """3 to 5 people with a common dynamic. PROPOSED while the formation is in review, ACTIVE
    once published (its twice-monthly series is created then), ENDED when it stops."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposé")
        ACTIVE = "active", _("Actif")
        ENDED = "ended", _("Terminé")

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="peer_groups"
    )
    formation = models.ForeignKey(
        GroupFormation, on_delete=models.SET_NULL, null=True, blank=True, related_name="groups"
    )
    name = models.CharField(_("nom du groupe"), max_length=100)
    cohort = models.CharField(_("promotion ou programme"), max_length=100, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    locked = models.BooleanField(_("verrouillé"), default=False)
    rhythm = models.CharField(
        _("rythme des engagements"), max_length=10, choices=Rhythm.choices, default=Rhythm.WEEKLY
    )
    score = models.FloatField(null=True, blank=True)
    explanation = models.JSONField(default=list, blank=True)
    series = models.OneToOneField(
        "meetings.MeetingSeries",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="peer_group",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = PeerGroupQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("groupe de pairs")
        # The coordination's pages and the formations read an organisation's groups by
        # status, in name order (issue #16).
        indexes = [
            models.Index(fields=["organisation", "status", "name"], name="peers_group_org_status"),
        ]
        verbose_name_plural = _("groupes de pairs")

    def __str__(self) -> str:
        return self.name


class PeerGroupMember(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposé·e")
        ACCEPTED = "accepted", _("A rejoint le groupe")
        LEFT = "left", _("A quitté le groupe")

    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="peer_memberships"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order of the facilitator rotation."
    )
    joined_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)
    leave_reason = models.CharField(_("pourquoi je quitte le groupe"), max_length=300, blank=True)

    class Meta:
        ordering = ["group", "position", "id"]
        # "Is this person in a current group?" (who a formation places, who waits).
        indexes = [models.Index(fields=["user", "status"], name="peers_member_user_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"],
                condition=~models.Q(status="left"),
                name="peers_one_current_membership_per_group",
            )
        ]
        verbose_name = _("membre du groupe")

    def __str__(self) -> str:
        return f"{self.user} — {self.group}"

    @property
    def is_current(self) -> bool:
        return self.status != self.Status.LEFT
