"""The demo organisme's public pages (ADR 0038): its offer, the first draft completed as a
coordinator would (a price, its contacts, its rhythm), and both pages published. Left as it
is once the offer exists (a coordinator may have edited it)."""

from decimal import Decimal

from django.urls import reverse

from tisser.core.demo import Demo, register
from tisser.core.enums import Role
from tisser.quality.models import PublicOffer
from tisser.quality.public_defaults import DEFAULTS
from tisser.quality.services.public import (
    PublicPage,
    public_offer_save,
    public_page_publish,
)


@register("quality_public_pages", order=1000, after=("people", "organisation_identity"))
def public_pages_demo(demo: Demo) -> None:
    organisation = demo.organisation
    if PublicOffer.objects.filter(organisation=organisation).exists():
        return
    coordinator = demo.people[Role.COORDINATOR][0]
    offer = public_offer_save(
        coordinator=coordinator,
        organisation=organisation,
        expected_version=0,
        values={
            **DEFAULTS,
            "price_amount": Decimal("1800.00"),
            "price_details": (
                "1 800 € TTC pour un bilan de 24 heures, premier entretien d'information "
                "gratuit. Pour un bilan plus court, le tarif est établi au prorata des heures "
                "et indiqué dans la proposition."
            ),
            "contacts": (
                "Accueil : contact@horizons-bilans.demo.tisser.fr, 05 61 00 00 00, du lundi "
                "au vendredi de 9 h à 17 h.\nCoordination : Nadia Benali."
            ),
        },
    )
    for page in PublicPage:
        offer = public_page_publish(
            coordinator=coordinator,
            organisation=organisation,
            page=page,
            published=True,
            expected_version=offer.version,
        )
    slug = organisation.slug
    demo.notes.append(
        "Pages publiques de l'organisme : "
        f"{reverse('quality_public:offer', kwargs={'slug': slug})} et "
        f"{reverse('quality_public:results', kwargs={'slug': slug})}."
    )
