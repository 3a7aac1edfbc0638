"""The notices of the enquêtes-métiers: follow up a contact, thank them, ask for another."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tisser.notifications import kinds


class NetworkNotice(models.TextChoices):
    NETWORK_FOLLOW_UP = "network_follow_up", _("Relancer un contact")
    NETWORK_THANK = "network_thank", _("Remercier après une enquête")
    NETWORK_ASK_REFERRAL = "network_ask_referral", _("Demander un autre contact")


# Each asks for the enquête's next step: taking it marks the reminder done
# (`services.pipeline`, `notifications.actions.resolve`, ADR 0024).
kinds.register(NetworkNotice, action=True)
