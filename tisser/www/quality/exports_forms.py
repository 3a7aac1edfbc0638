"""The auditor's export: the span a coordinator asks for."""

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ExportForm(forms.Form):
    first_day = forms.DateField(
        label=_("Du"),
        widget=DATE_WIDGET,
        error_messages={
            "required": _("Indiquez le premier jour de la période."),
            "invalid": _("Indiquez une date, par exemple 01/03/2025."),
        },
    )
    last_day = forms.DateField(
        label=_("Au (inclus)"),
        widget=DATE_WIDGET,
        error_messages={
            "required": _("Indiquez le dernier jour de la période."),
            "invalid": _("Indiquez une date, par exemple 31/03/2025."),
        },
    )
