"""What keeps robots off the public forms, without any third-party service (docs/adr/0034):

- a rate limit per client address (django-ratelimit, in the shared cache; the address as
  allauth reads it, with the same trusted-proxy settings as the login throttling);
- a honeypot: a field people never see (hidden by the stylesheet, out of the tab order),
  that robots filling every input fill;
- a minimum fill time: the form carries the moment it was shown, signed (django.core.signing),
  so that a post sooner than FILL_MIN_SECONDS after it, or with a stamp forged, too old or
  missing, is refused.

A refused post keeps what was typed and says why in French; a honeypot caught is answered
as a success and records nothing (a robot learns nothing)."""

import time

from allauth.account.adapter import get_adapter
from django import forms
from django.core import signing
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FILL_MIN_SECONDS = 3
FILL_MAX_SECONDS = 24 * 60 * 60
STAMP_SALT = "tisser.quality.public-form"
HONEYPOT = "site_web"
# Posts per client address: a person sends one or two; a robot many.
PUBLIC_FORM_RATE = "5/h"


def client_address(group: str, request) -> str:
    """The rate limit's key: the client address, as allauth reads it (its proxy settings)."""
    return get_adapter(request).get_client_ip(request)


def stamp_issue(now: float | None = None) -> str:
    return signing.dumps(int(now if now is not None else time.time()), salt=STAMP_SALT)


def stamp_refusal(value: str, now: float | None = None) -> str:
    """Why the form's stamp refuses the post ("" when it is fine)."""
    now = now if now is not None else time.time()
    try:
        shown = int(signing.loads(value or "", salt=STAMP_SALT, max_age=FILL_MAX_SECONDS))
        if now - shown > FILL_MAX_SECONDS:
            raise signing.SignatureExpired
    except (signing.BadSignature, ValueError, TypeError):
        return _(
            "Ce formulaire a expiré ou n'a pas pu être vérifié. Votre saisie est conservée : "
            "envoyez-le à nouveau."
        )
    if now - shown < FILL_MIN_SECONDS:
        return _(
            "Ce formulaire a été envoyé trop vite pour avoir été rempli par une personne. "
            "Votre saisie est conservée : relisez-la, puis envoyez-la à nouveau."
        )
    return ""


class SpamGuardedForm(forms.Form):
    """A public form's guards: the signed stamp and the honeypot. The view gives a fresh
    stamp each time it shows the form."""

    stamp = forms.CharField(widget=forms.HiddenInput, required=False)
    site_web = forms.CharField(
        label=gettext_lazy("Laissez ce champ vide"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def honeypot_filled(self) -> bool:
        return bool((self.data.get(HONEYPOT) or "").strip())

    def clean(self):
        cleaned = super().clean()
        refusal = stamp_refusal(self.data.get("stamp", ""))
        if refusal:
            raise forms.ValidationError(refusal, code="stamp")
        return cleaned
