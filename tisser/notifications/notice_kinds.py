"""The outbox's own notice kind: the daily digest (see `digest`). Its text is written when it
leaves, by the delivery itself."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tisser.notifications import kinds


class OutboxNotice(models.TextChoices):
    DAILY_DIGEST = "daily_digest", _("Résumé du jour")


kinds.register(OutboxNotice)
