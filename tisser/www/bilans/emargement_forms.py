"""The form of an entretien recorded afterwards (docs/adr/0018)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tisser.bilans.services.emargement import REASON_MAX_LENGTH
from tisser.meetings.models import MeetingMode
from tisser.www.meetings.forms import DATE_INPUT, TIME_INPUT, local_datetime


class UnplannedEntretienForm(forms.Form):
    date = forms.DateField(
        label=_("Date de l'entretien"),
        widget=DATE_INPUT,
        error_messages={
            "required": _("Indiquez la date de l'entretien."),
            "invalid": _("Indiquez une date, par exemple 14/03/2026."),
        },
    )
    start_time = forms.TimeField(
        label=_("Heure de début"),
        widget=TIME_INPUT,
        error_messages={
            "required": _("Indiquez l'heure de début."),
            "invalid": _("Indiquez une heure, par exemple 14:00."),
        },
    )
    duration_minutes = forms.IntegerField(
        label=_("Durée (minutes)"),
        min_value=15,
        max_value=480,
        initial=60,
        error_messages={
            "required": _("Indiquez la durée de l'entretien."),
            "min_value": _("Un entretien dure au moins 15 minutes."),
            "max_value": _("Un entretien dure 8 heures au plus."),
        },
    )
    mode = forms.ChoiceField(label=_("Modalité"), choices=MeetingMode.choices)
    reason = forms.CharField(
        label=_("Pourquoi cet entretien n'avait pas été planifié"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Par exemple : entretien téléphonique ajouté à la demande de la personne. Ce motif "
            "figure sur la feuille d'émargement."
        ),
        error_messages={"required": _("Dites pourquoi cet entretien n'avait pas été planifié.")},
    )

    def start(self):
        return local_datetime(self.cleaned_data["date"], self.cleaned_data["start_time"])
