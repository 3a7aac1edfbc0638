from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """A person's role in one organisation."""

    BENEFICIARY = "beneficiary", _("Bénéficiaire")
    CONSULTANT = "consultant", _("Conseiller·ère bilan")
    MENTOR = "mentor", _("Mentor")
    COORDINATOR = "coordinator", _("Coordinateur·rice")
