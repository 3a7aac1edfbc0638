"""The notices a bilan sends: its synthèse under review, and the follow-up after the bilan
(follow-up interview, satisfaction questionnaires, isolation check to take again)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tisser.notifications import kinds


class BilanNotice(models.TextChoices):
    SYNTHESIS_SUBMITTED = "synthesis_submitted", _("Synthèse à relire")
    SYNTHESIS_RETURNED = "synthesis_returned", _("Synthèse renvoyée")
    SYNTHESIS_VALIDATED = "synthesis_validated", _("Synthèse validée")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consentement retiré")
    FOLLOWUP_PROPOSED = "followup_proposed", _("Entretien de suivi proposé")
    SATISFACTION_REMINDER = "satisfaction_reminder", _("Questionnaire de satisfaction")
    ISOLATION_CHECK_REMINDER = "isolation_check_reminder", _("Refaire le point sur l'isolement")


kinds.register(BilanNotice)
