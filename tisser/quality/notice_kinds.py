"""The notices of the quality app: a complaint received (to the coordinators) and its
follow-up (to its author)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tisser.notifications import kinds


class QualityNotice(models.TextChoices):
    COMPLAINT_RECEIVED = "complaint_received", _("Réclamation ou difficulté reçue")
    COMPLAINT_FOLLOW_UP = "complaint_follow_up", _("Suivi de votre réclamation")


kinds.register(QualityNotice)
