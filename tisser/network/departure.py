"""A person who leaves (ADR 0019): their whole network goes, as when they erase it."""

from django.utils.translation import gettext_lazy as _

from tisser.core.departure_counts import Going
from tisser.core.personal_data import register_departure, register_departure_goings
from tisser.network.models import (
    Contact,
    ContactImport,
    InformationalInterview,
    NetworkSharing,
    NetworkSnapshot,
)
from tisser.network.services.personal_data import NETWORK_MODELS, network_erase


@register_departure(
    "network",
    label=_("Le réseau : contacts, enquêtes-métiers et leurs notes, imports"),
    covers=NETWORK_MODELS,
)
def network_departure(*, user) -> dict[str, int]:
    return network_erase(owner=user)


@register_departure_goings("network")
def network_goings(*, user) -> list[Going]:
    """What `network_erase` deletes, in its order."""
    return [
        Going(model.objects.filter(owner=user))
        for model in (
            InformationalInterview,
            Contact,
            NetworkSnapshot,
            NetworkSharing,
            ContactImport,
        )
    ]
