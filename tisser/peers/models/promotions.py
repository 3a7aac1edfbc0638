"""Promotions (cohorts): the coordination names them and places people in them. A group never
mixes promotions (the engine's hard rule), so a person without one, or alone in hers, can
never be grouped: the promotions page is how everyone gets one (ADR 0023).

The name is the key the rest of peer groups already use: `PeerProfile.cohort`,
`PeerGroup.cohort` and `GroupFormation.cohort` hold it, and renaming a promotion renames it
there too, in one transaction."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PromotionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The coordination of the organisation only."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(organisation_id__in=user.memberships.coordinated_organisation_ids())


class Promotion(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="peer_promotions"
    )
    name = models.CharField(_("nom de la promotion"), max_length=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    objects = PromotionQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="peers_one_promotion_per_name"
            )
        ]
        verbose_name = _("promotion")

    def __str__(self) -> str:
        return self.name
