"""The coordinator's CPF and BPF choices: a period for the service-fait lines, a year for
the BPF."""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("Bilans terminés du"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Indiquez le premier jour de la période."),
            "invalid": _("Indiquez une date, par exemple 01/03/2025."),
        },
    )
    end = forms.DateField(
        label=_("au"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Indiquez le dernier jour de la période."),
            "invalid": _("Indiquez une date, par exemple 31/03/2025."),
        },
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("La fin de la période ne peut pas précéder son début."))
        return cleaned


def default_period(today: date | None = None) -> dict:
    """From the first day of last month to today."""
    today = today or timezone.localdate()
    first = today.replace(day=1)
    previous = (
        first.replace(year=first.year - 1, month=12)
        if first.month == 1
        else first.replace(month=first.month - 1)
    )
    return {"start": previous, "end": today}


class YearForm(forms.Form):
    year = forms.IntegerField(
        label=_("Année"),
        min_value=2000,
        error_messages={
            "required": _("Indiquez l'année."),
            "invalid": _("Indiquez une année en chiffres, par exemple 2025."),
            "min_value": _("Indiquez une année à partir de 2000."),
        },
    )

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year > timezone.localdate().year:
            raise forms.ValidationError(_("Cette année n'a pas encore commencé."))
        return year
