"""The suggestions page's filter: du … au …, two days as GET parameters in French (they show in
the address and the CSV link keeps them); the last twelve months when left out."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from tisser.core.dates import last_twelve_months

DATE = {"type": "date"}
DATE_ERRORS = {
    "invalid": _("Indiquez une date sous la forme jour/mois/année, par exemple 31/03/2026."),
}


class SuggestionsPeriodForm(forms.Form):
    du = forms.DateField(
        label=_("Du"),
        required=False,
        error_messages=DATE_ERRORS,
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
    )
    au = forms.DateField(
        label=_("Au (inclus)"),
        required=False,
        error_messages=DATE_ERRORS,
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
    )

    def __init__(self, data, *, today: date):
        self.default = last_twelve_months(today)
        first, last = self.default
        # What the address leaves out is the default period.
        filled = {"du": first.isoformat(), "au": last.isoformat()}
        filled.update((key, value) for key, value in (data or {}).items() if value)
        super().__init__(filled)

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("du"), cleaned.get("au")
        if first and last and last < first:
            self.add_error(
                "au", _("La date de fin doit être la date de début ou venir après elle.")
            )
        return cleaned

    def period(self) -> tuple[date, date] | None:
        """The days asked for, both included; None while a date is wrong (the form says which)."""
        if not self.is_valid():
            return None
        return self.cleaned_data["du"], self.cleaned_data["au"]
