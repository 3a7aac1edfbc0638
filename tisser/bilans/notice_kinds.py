"""The notices a bilan sends: its synthèse under review, the follow-up after the bilan
(follow-up interview, satisfaction questionnaires, isolation check to take again), and the
convention whose signing deadline nears."""

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
    CPF_DEADLINE = "cpf_deadline", _("Déclaration CPF à faire")
    # R6313-8: the ten days to sign the convention run out soon.
    CONVENTION_DEADLINE = "convention_deadline", _("Convention à signer")
    # A coordinator handed the bilan over to another consultant (ADR 0021).
    CONSULTANT_CHANGED = "bilan_consultant_changed", _("Changement de consultant·e")


# The notices that ask their recipient to act on an object (a synthèse to read or to revise,
# a proposal to answer, a convention to sign, a CPF declaration to make); the services that
# act mark them done (`notifications.actions.resolve`, ADR 0024).
ACTION_KINDS = (
    BilanNotice.SYNTHESIS_SUBMITTED,
    BilanNotice.SYNTHESIS_RETURNED,
    BilanNotice.FOLLOWUP_PROPOSED,
    BilanNotice.CONVENTION_DEADLINE,
    BilanNotice.CPF_DEADLINE,
)

kinds.register(ACTION_KINDS, action=True)
kinds.register(kind for kind in BilanNotice if kind not in ACTION_KINDS)
