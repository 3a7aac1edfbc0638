"""The consultant's private notes on an entretien. The entretien itself is a meetings
occurrence of kind BILAN_SESSION (see `BilanSession`): its date, mode, shared summary
(`Occurrence.notes` / `decisions`) and émargement (`Attendance`) live there."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionNoteQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Only the bilan's consultant reads their private notes: never the beneficiary,
        never a coordinator (not even the superuser through this method)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(bilan__consultant=user)


class SessionNote(models.Model):
    """The consultant's private notes on one entretien of a bilan. `version` guards
    concurrent edits (two tabs, two devices)."""

    bilan = models.ForeignKey(
        "bilans.Bilan", on_delete=models.CASCADE, related_name="session_notes"
    )
    occurrence = models.OneToOneField(
        "meetings.Occurrence", on_delete=models.CASCADE, related_name="private_note"
    )
    text = models.TextField(_("notes privées"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = SessionNoteQuerySet.as_manager()

    class Meta:
        ordering = ["bilan", "occurrence"]
        verbose_name = _("notes privées d'entretien")
        verbose_name_plural = _("notes privées d'entretien")

    def __str__(self) -> str:
        return f"{self.bilan} — {self.occurrence_id}"
