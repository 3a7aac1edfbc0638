from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEventQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A coordinator sees the audit trail of their organisations; nobody else sees it."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        org_ids = user.memberships.coordinated_organisation_ids()
        return self.filter(organisation_id__in=org_ids)


class AuditEvent(models.Model):
    """One line of the audit log: who did what to which object, and when."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    action = models.CharField(max_length=80)
    target_type = models.CharField(max_length=80, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("événement d'audit")
        indexes = [
            # The newest events about one object of an organisation (a bilan's last activity).
            models.Index(
                fields=["organisation", "target_type", "target_id", "-created_at"],
                name="core_audit_org_target_idx",
            ),
            # The newest events done by one person in an organisation.
            models.Index(
                fields=["organisation", "actor", "-created_at"], name="core_audit_org_actor_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_type}:{self.target_id}"


class WorkerHeartbeat(models.Model):
    """The last sign of life of one task worker (`manage.py tisser_worker`), so that a worker
    that stopped working can be noticed (see `tisser.core.worker`). One row per worker id; the
    worker refreshes it while its loop turns, and says when it is running a task."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)
    # Set while a task runs (a peer-group formation may take minutes without a beat).
    task_started_at = models.DateTimeField(null=True, blank=True)
    tasks_run = models.PositiveIntegerField(default=0)
    errors_in_a_row = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("signe de vie du service des tâches")

    def __str__(self) -> str:
        return f"{self.worker_id} {self.seen_at:%Y-%m-%d %H:%M:%S}"
