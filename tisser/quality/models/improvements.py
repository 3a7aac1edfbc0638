"""Improvement actions (Qualiopi indicator 32, docs/adr/0034): the organisme's log of what it
changes, each action tied to what prompted it (a complaint, a low appraisal, an audit
finding, its watch), with an owner, a due date, a status and, once done, its result."""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ActionSource(models.TextChoices):
    COMPLAINT = "complaint", _("Réclamation")
    APPRAISAL = "appraisal", _("Appréciation faible")
    AUDIT = "audit", _("Constat d'audit")
    WATCH = "watch", _("Veille")
    OTHER = "other", _("Autre")


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Prévue")
    IN_PROGRESS = "in_progress", _("En cours")
    DONE = "done", _("Réalisée")
    ABANDONED = "abandoned", _("Abandonnée")


ACTION_OPEN_STATUSES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


class ImprovementActionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An improvement action is seen by the coordinators of its organisation only."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(organisation_id__in=user.memberships.coordinated_organisation_ids())

    def open(self):
        return self.filter(status__in=ACTION_OPEN_STATUSES)

    def overdue(self, today: date):
        return self.open().filter(due_on__lt=today)


class ImprovementAction(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="improvement_actions"
    )
    title = models.CharField(_("intitulé"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("origine"), max_length=20, choices=ActionSource.choices)
    complaint = models.ForeignKey(
        "quality.Complaint",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="improvement_actions",
    )
    source_reference = models.CharField(_("référence de l'origine"), max_length=200, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="improvement_actions",
        verbose_name=_("responsable"),
    )
    due_on = models.DateField(_("échéance"), null=True, blank=True)
    status = models.CharField(
        _("état"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    result = models.TextField(_("résultat"), blank=True)
    created_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = ImprovementActionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_on", "-id"]
        indexes = [models.Index(fields=["organisation", "status", "due_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in ACTION_OPEN_STATUSES

    def overdue(self, today: date) -> bool:
        return self.is_open and self.due_on is not None and today > self.due_on

    @property
    def late(self) -> bool:
        """Overdue today (for the pages)."""
        return self.overdue(timezone.localdate())
