"""Phone numbers as people type them ("06 12 34 56 78", "+44 20 7946 0958", "0033 6…"),
checked and stored in E.164 with the `phonenumbers` library (France by default)."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DEFAULT_REGION = "FR"


def phone_normalise(raw: str) -> str:
    """The number in E.164 (+33612345678), "" for an empty input; ValidationError with a
    French message when it is not a valid French or international number."""
    text = raw.strip()
    if not text:
        return ""
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _(
                "Ce numéro de téléphone n'est pas valide : écrivez-le comme 06 12 34 56 78, "
                "ou avec l'indicatif du pays (+44 20 7946 0958)."
            ),
            code="invalid_phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_display(e164: str) -> str:
    """A stored number the way people read it: national format for France, international
    otherwise."""
    if not e164:
        return ""
    number = phonenumbers.parse(e164, None)
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if phonenumbers.region_code_for_number(number) == DEFAULT_REGION
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)
