"""A person who leaves (ADR 0019): their preferences, their place in their groups, the
charters they agreed to, their commitments and check-ins, the help they gave or received.
The groups go on with the others."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tisser.core.departure_counts import Going, add_deleted
from tisser.core.personal_data import register_departure, register_departure_goings
from tisser.peers.models import (
    CharterAgreement,
    Commitment,
    Contribution,
    PeerGroupMember,
    PeerProfile,
)


@register_departure(
    "peers",
    label=_("Les groupes de pairs : préférences, place dans les groupes, engagements, entraide"),
    covers=(
        "peers.PeerProfile",
        "peers.PeerGroupMember",
        "peers.CharterAgreement",
        "peers.Commitment",
        "peers.Contribution",
    ),
)
def peers_departure(*, user) -> dict[str, int]:
    counts: dict[str, int] = {}
    add_deleted(counts, Contribution.objects.filter(Q(giver=user) | Q(receiver=user)).delete())
    add_deleted(counts, Commitment.objects.filter(user=user).delete())
    add_deleted(counts, CharterAgreement.objects.filter(user=user).delete())
    add_deleted(counts, PeerGroupMember.objects.filter(user=user).delete())
    add_deleted(counts, PeerProfile.objects.filter(user=user).delete())
    return counts


@register_departure_goings("peers")
def peers_goings(*, user) -> list[Going]:
    return [
        Going(Contribution.objects.filter(Q(giver=user) | Q(receiver=user))),
        Going(Commitment.objects.filter(user=user)),
        Going(CharterAgreement.objects.filter(user=user)),
        Going(PeerGroupMember.objects.filter(user=user)),
        Going(PeerProfile.objects.filter(user=user)),
    ]
