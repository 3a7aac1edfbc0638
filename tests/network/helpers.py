from tisser.network import services
from tisser.network.models import HowKnown


def contact_data(**overrides) -> services.ContactData:
    return services.ContactData(
        **{"last_name": "Martin", "how_known": HowKnown.LINKEDIN} | overrides
    )


def a_contact(owner, **overrides):
    return services.contact_create(owner=owner, data=contact_data(**overrides))
