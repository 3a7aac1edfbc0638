"""The informed-consent text a beneficiary accepts before the bilan goes past its
preliminary phase (Code du travail, L6313-4). Each wording has a version: a consent stores
the version and the very text it was given with, so that a later wording never rewrites it."""

from django.utils.translation import gettext_lazy as _

VERSION = "2026-11"

TEXT = _(
    "Le bilan de compétences a pour objet de vous permettre d'analyser vos compétences "
    "professionnelles et personnelles, vos aptitudes et vos motivations, afin de définir un "
    "projet professionnel et, le cas échéant, un projet de formation. "
    "Vous y participez librement. "
    "Les résultats du bilan vous appartiennent, à vous seul·e : ils ne peuvent être "
    "communiqués à un tiers, y compris votre employeur, qu'avec votre accord. "
    "Refuser de réaliser un bilan de compétences ne constitue ni une faute ni un motif de "
    "licenciement."
)
