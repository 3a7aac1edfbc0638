from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class Role(models.TextChoices):
    """A person's role in one organisation."""

    BENEFICIARY = "beneficiary", _("Bénéficiaire")
    CONSULTANT = "consultant", _("Conseiller·ère bilan")
    MENTOR = "mentor", _("Mentor")
    COORDINATOR = "coordinator", _("Coordinateur·rice")

    def count_label(self, count: int) -> str:
        """The role's noun agreeing with a count, to follow a figure (« 12 bénéficiaires »):
        the label above is a singular title, wrong after any count but 0 and 1."""
        match self:
            case Role.BENEFICIARY:
                return ngettext("bénéficiaire", "bénéficiaires", count)
            case Role.CONSULTANT:
                return ngettext("conseiller·ère bilan", "conseillers·ères bilan", count)
            case Role.MENTOR:
                return ngettext("mentor", "mentors", count)
            case Role.COORDINATOR:
                return ngettext("coordinateur·rice", "coordinateurs·rices", count)
