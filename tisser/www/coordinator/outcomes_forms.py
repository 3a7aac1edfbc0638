"""The programme outcomes' filter: a period of months and a promotion, as GET parameters in
French (they show in the address the coordinator may share, and the CSV link keeps them)."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from tisser.outcomes.period import Period

ALL = ""
MONTH_FORMAT = "%Y-%m"


class MonthField(forms.DateField):
    """A month typed in an `<input type="month">` (2026-01), as the first day of that month."""

    widget = forms.DateInput(attrs={"type": "month"}, format=MONTH_FORMAT)
    input_formats = [MONTH_FORMAT]
    default_error_messages = {
        "invalid": _("Indiquez un mois sous la forme année-mois, par exemple 2026-01."),
        "required": _("Indiquez un mois."),
    }


class OutcomesFilterForm(forms.Form):
    du = MonthField(label=_("Du mois"))
    au = MonthField(label=_("Au mois (inclus)"))
    promotion = forms.ChoiceField(
        label=_("Promotion"),
        required=False,
        error_messages={"invalid_choice": _("Choisissez une promotion de la liste.")},
    )

    def __init__(self, data, *, promotions: list[str], default: Period):
        # What the address leaves out is the default: the last twelve months, every promotion.
        filled = {
            "du": default.first_month.strftime(MONTH_FORMAT),
            "au": default.last_month.strftime(MONTH_FORMAT),
            "promotion": ALL,
        }
        filled.update((data or {}).items())
        super().__init__(filled)
        self.fields["promotion"].choices = [
            (ALL, _("Toutes les promotions")),
            *((name, name) for name in promotions),
        ]

    def clean(self):
        data = super().clean()
        first, last = data.get("du"), data.get("au")
        if first and last and last < first:
            self.add_error("au", _("Le mois de fin doit être le mois de début ou venir après lui."))
        return data

    def period(self) -> Period | None:
        """The period asked for, None while the form has errors."""
        if not self.is_valid():
            return None
        first: date = self.cleaned_data["du"]
        last: date = self.cleaned_data["au"]
        return Period(first, last, self.cleaned_data["promotion"] or None)
