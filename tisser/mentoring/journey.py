"""What mentoring adds to the beneficiary's next steps once the bilan is closed
(`tisser.bilans.journey`, which does not import this app)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tisser.bilans.journey import NextStep, register_after_bilan_step
from tisser.bilans.models import Bilan
from tisser.mentoring.models import MenteeProfile, Mentorship


@register_after_bilan_step
def mentor_step(bilan: Bilan) -> NextStep | None:
    """After the bilan: find a mentor, unless one is sought or found (needs described, or a
    mentorship)."""
    beneficiary = bilan.beneficiary_id
    if (
        MenteeProfile.objects.filter(user_id=beneficiary).exists()
        or Mentorship.objects.filter(mentee_id=beneficiary).exists()
    ):
        return None
    return NextStep(_("Trouver un·e mentor pour passer à l'action"), reverse("mentoring:home"))
