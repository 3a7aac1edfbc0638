"""The public offer and results pages (Qualiopi indicators 1 and 2, ADR 0038): the
coordinator edits the offer and publishes or withdraws each page. Every write checks the
coordinator, takes the row's version (ADR 0007) and leaves an audit entry."""

from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tisser.accounts.access import require_coordinator_of
from tisser.accounts.models import Organisation, User
from tisser.core.audit import audit_record
from tisser.core.errors import StaleVersion
from tisser.core.versioning import version_bump
from tisser.quality.models import PublicOffer
from tisser.quality.models.public import MAX_DURATION_HOURS
from tisser.quality.public_defaults import DEFAULTS

# The fields of the offer the coordinator edits (the form's, the conflict's rows).
OFFER_FIELDS = tuple(DEFAULTS)
# An offer never saved yet: the version its first form carries.
UNSAVED_VERSION = 0


class PublicPage(StrEnum):
    OFFER = "offer"
    RESULTS = "results"


def public_offer_of(organisation: Organisation) -> PublicOffer:
    """The organisation's offer, or, never saved yet, its first draft (unsaved, at
    UNSAVED_VERSION) for the coordinator to edit."""
    offer = PublicOffer.objects.filter(organisation=organisation).first()
    if offer is not None:
        return offer
    return PublicOffer(
        organisation=organisation,
        version=UNSAVED_VERSION,
        content_updated_at=timezone.now(),
        **DEFAULTS,
    )


def published_offer(slug: str, page: PublicPage) -> PublicOffer | None:
    """The offer of the organisation `slug` when `page` is published, else None (one query,
    the organisation with it)."""
    published = {PublicPage.OFFER: "offer_published", PublicPage.RESULTS: "results_published"}
    return (
        PublicOffer.objects.select_related("organisation")
        .filter(organisation__slug=slug, **{published[page]: True})
        .first()
    )


def _offer_claimed(organisation: Organisation, expected_version: int) -> PublicOffer:
    """The organisation's offer row, locked at `expected_version` (created from the draft when
    the form started from an unsaved one); StaleVersion otherwise."""
    if expected_version == UNSAVED_VERSION:
        existing = PublicOffer.objects.select_for_update().filter(organisation=organisation).first()
        if existing is not None:
            raise StaleVersion(current=existing, version=existing.version)
        return PublicOffer.objects.create(
            organisation=organisation, content_updated_at=timezone.now(), **DEFAULTS
        )
    offer = PublicOffer.objects.filter(organisation=organisation).first()
    if offer is None:
        raise StaleVersion(current=None, version=UNSAVED_VERSION)
    try:
        return version_bump(offer, expected=expected_version)
    except StaleVersion as error:
        current = error.current
        raise StaleVersion(current=current, version=current.version if current else 0) from None


def _checked(values: dict) -> None:
    errors = {}
    hours = values.get("duration_hours")
    if not isinstance(hours, int) or not 1 <= hours <= MAX_DURATION_HOURS:
        errors["duration_hours"] = _(
            "Un bilan de compétences dure 24 heures au plus (Code du travail, article R6313-4) : "
            "indiquez un nombre d'heures entre 1 et 24."
        )
    amount = values.get("price_amount")
    if amount is not None and amount < 0:
        errors["price_amount"] = _("Indiquez un tarif positif, ou laissez le champ vide.")
    for name in (
        "objectives",
        "access_delay",
        "methods",
        "evaluation",
        "accessibility",
        "contacts",
    ):
        if not str(values.get(name) or "").strip():
            errors[name] = _("Ce point de l'offre doit être renseigné : l'indicateur 1 le demande.")
    if errors:
        raise ValidationError(errors)


def public_offer_save(
    *,
    coordinator: User,
    organisation: Organisation,
    values: dict,
    expected_version: int,
) -> PublicOffer:
    """Save what the offer page says (every field of OFFER_FIELDS); the page says it was
    updated now. PermissionDenied for anyone but a coordinator of `organisation`;
    ValidationError for a duration over 24 hours or a missing item; StaleVersion when someone
    saved it meanwhile."""
    require_coordinator_of(coordinator, organisation)
    values = {name: values[name] for name in OFFER_FIELDS}
    _checked(values)
    with transaction.atomic():
        offer = _offer_claimed(organisation, expected_version)
        now = timezone.now()
        PublicOffer.objects.filter(pk=offer.pk).update(content_updated_at=now, **values)
        for name, value in values.items():
            setattr(offer, name, value)
        offer.content_updated_at = now
        audit_record(
            actor=coordinator,
            action="quality.public_offer_save",
            target=offer,
            organisation=organisation,
        )
    return offer


def public_page_publish(
    *,
    coordinator: User,
    organisation: Organisation,
    page: PublicPage,
    published: bool,
    expected_version: int,
) -> PublicOffer:
    """Publish `page` (the offer or the results) or withdraw it. Publishing a page already
    published keeps its date. Same refusals as `public_offer_save`."""
    require_coordinator_of(coordinator, organisation)
    flag, since = f"{page.value}_published", f"{page.value}_published_at"
    with transaction.atomic():
        offer = _offer_claimed(organisation, expected_version)
        changes: dict = {flag: published}
        if published and not getattr(offer, flag):
            changes[since] = timezone.now()
        if not published:
            changes[since] = None
        PublicOffer.objects.filter(pk=offer.pk).update(**changes)
        for name, value in changes.items():
            setattr(offer, name, value)
        audit_record(
            actor=coordinator,
            action="quality.public_page_publish" if published else "quality.public_page_withdraw",
            target=offer,
            organisation=organisation,
            data={"page": page.value},
        )
    return offer
