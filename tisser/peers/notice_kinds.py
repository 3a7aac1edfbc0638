"""The notices of peer groups: formation, repairs, meeting preparation and gentle nudges."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tisser.notifications import kinds


class PeerNotice(models.TextChoices):
    PEER_GROUP_PROPOSED = "peer_group_proposed", _("Votre groupe de pairs")
    PEER_GROUP_CHANGED = "peer_group_changed", _("Votre groupe de pairs change")
    PEER_REPAIR_PROPOSED = "peer_repair_proposed", _("Groupe de pairs à réajuster")
    PEER_CHECKIN_REMINDER = "peer_checkin_reminder", _("Préparer la réunion du groupe")
    PEER_COMMITMENT_NUDGE = "peer_commitment_nudge", _("Vos engagements de la période")
    PEER_RECIPROCITY_NUDGE = "peer_reciprocity_nudge", _("Donner et recevoir")
    PEER_GROUP_FADING = "peer_group_fading", _("Groupe de pairs sans activité")
    PEER_PROMOTION_SET = "peer_promotion_set", _("Votre demande de groupe de pairs")


# Asks the coordination to readjust a group: done when the group is readjusted or ended
# (`notifications.actions.resolve`, ADR 0024).
ACTION_KINDS = (PeerNotice.PEER_REPAIR_PROPOSED,)

kinds.register(ACTION_KINDS, action=True)
kinds.register(kind for kind in PeerNotice if kind not in ACTION_KINDS)
