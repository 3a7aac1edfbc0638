"""The auditor's export (issue #18, ADR 0039): one ZIP archive per request, one folder per
indicator that applies to bilans, built in the background by `quality.tasks`."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tisser.accounts.models import Membership


class AuditExportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The coordinators of the export's organisation, and nobody else."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(
            organisation_id__in=Membership.objects.coordinating()
            .filter(user=user)
            .values("organisation_id")
        )


class AuditExport(models.Model):
    """One export asked by a coordinator for a span of days. Its archive is a file in
    `settings.TISSER_EXPORTS_DIR` (never in the database, never under the media URL), named
    after the export's id, removed once `expires_at` is past."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("en attente")
        RUNNING = "running", _("en cours")
        READY = "ready", _("prête")
        FAILED = "failed", _("échec")

    # A build that has not ended after this long died with its worker: the daily job says so.
    STALE_AFTER = timedelta(hours=6)

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="audit_exports"
    )
    first_day = models.DateField(_("du"))
    last_day = models.DateField(_("au"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    steps_done = models.PositiveIntegerField(default=0)
    steps_total = models.PositiveIntegerField(default=0)
    step_label = models.CharField(max_length=300, blank=True)
    error = models.TextField(blank=True)
    size = models.BigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    # When the daily job removed the archive (it expired or the build died).
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = AuditExportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("export pour l'audit")
        verbose_name_plural = _("exports pour l'audit")

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.first_day}–{self.last_day} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)

    @property
    def stale(self) -> bool:
        return not self.finished and self.created_at < timezone.now() - self.STALE_AFTER

    @property
    def downloadable(self) -> bool:
        return (
            self.status == self.Status.READY
            and self.removed_at is None
            and (self.expires_at is None or self.expires_at > timezone.now())
        )

    @property
    def archive_name(self) -> str:
        """The name the coordinator downloads it under."""
        return f"export-qualiopi-{self.first_day:%Y-%m-%d}-{self.last_day:%Y-%m-%d}.zip"
