from datetime import datetime, time
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tisser.meetings.models import AgendaItem, Attendance, MeetingMode
from tisser.meetings.recurrence import RecurrencePreset, preset_rrule, rrule_validate

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DEFAULT_TIMEZONE = "Europe/Paris"


def local_datetime(day, at: time, tz_name: str = DEFAULT_TIMEZONE) -> datetime:
    """A wall-clock date and time in the series' zone, as an aware datetime."""
    return datetime.combine(day, at).replace(tzinfo=ZoneInfo(tz_name))


class WhenFieldsMixin(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    start_time = forms.TimeField(label=_("Heure de début"), widget=TIME_INPUT)
    duration_minutes = forms.IntegerField(
        label=_("Durée (minutes)"), min_value=15, max_value=480, initial=60
    )

    def clean_start(self) -> datetime | None:
        day, at = self.cleaned_data.get("date"), self.cleaned_data.get("start_time")
        if day is None or at is None:
            return None
        start = local_datetime(day, at)
        if start <= timezone.now():
            self.add_error("date", _("Choisissez une date et une heure à venir."))
            return None
        return start


class SeriesForm(WhenFieldsMixin):
    title = forms.CharField(label=_("Titre"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Type de rencontre"),
        help_text=_(
            "Les entretiens d'un bilan se planifient depuis la page du bilan, où leurs "
            "heures sont comptées."
        ),
    )
    participants = forms.ModelMultipleChoiceField(
        label=_("Participant·es"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    recurrence = forms.ChoiceField(
        label=_("Régularité"),
        choices=RecurrencePreset.choices,
        initial=RecurrencePreset.MONTHLY,
        # What `preset_rrule` does with MONTHLY: the weekday's place, not the day's number.
        help_text=_(
            "« Une fois par mois » garde le même jour de la semaine, à la même place dans le "
            "mois : une première rencontre le vendredi 15 janvier (le troisième vendredi) "
            "revient le troisième vendredi de chaque mois. Après le 28, c'est le dernier de ce "
            "jour de la semaine dans le mois."
        ),
    )
    custom_rrule = forms.CharField(
        label=_("Règle personnalisée (RFC 5545)"),
        required=False,
        max_length=400,
        help_text=_("Seulement pour « Règle personnalisée », par exemple FREQ=WEEKLY;BYDAY=MO,TH"),
    )
    count = forms.IntegerField(
        label=_("Nombre de rencontres"),
        required=False,
        min_value=1,
        max_value=100,
        initial=6,
        help_text=_(
            "Laissez vide pour une série sans fin (elle pourra être terminée à tout moment)."
        ),
    )
    mode = forms.ChoiceField(label=_("Modalité"), choices=MeetingMode.choices)
    location = forms.CharField(
        label=_("Lieu, lien de visioconférence ou numéro de téléphone"), max_length=500
    )
    description = forms.CharField(
        label=_("Objet de ces rencontres"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    field_order = [
        "title",
        "kind",
        "participants",
        "date",
        "start_time",
        "duration_minutes",
        "recurrence",
        "custom_rrule",
        "count",
        "mode",
        "location",
        "description",
    ]

    def __init__(self, *args, kinds, participants, **kwargs):
        """`participants` is everyone the organiser may invite: what a post is checked
        against. The page offers a few of them through its picker
        (`tisser.www.meetings.participants`): the widget holds no choices, so that nothing
        reads the whole list to render it."""
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.value, k.label) for k in kinds]
        field = self.fields["participants"]
        field.queryset = participants
        field.widget.choices = []

    def clean(self):
        cleaned = super().clean()
        cleaned["first_start"] = start = self.clean_start()
        mode, location = cleaned.get("mode"), cleaned.get("location", "")
        if (
            mode == MeetingMode.VIDEO
            and location
            and not location.startswith(("https://", "http://"))
        ):
            self.add_error("location", _("Indiquez le lien de la visioconférence (https://…)."))
        preset = cleaned.get("recurrence")
        if start is None or preset is None:
            return cleaned
        try:
            cleaned["rrule"] = self._rule(
                preset, start, cleaned.get("custom_rrule", ""), cleaned.get("count")
            )
        except ValidationError as error:
            field = "custom_rrule" if preset == RecurrencePreset.CUSTOM else "recurrence"
            self.add_error(field, error)
        return cleaned

    def _rule(self, preset, start, custom: str, count: int | None) -> str:
        if preset == RecurrencePreset.NONE:
            return ""
        if preset == RecurrencePreset.CUSTOM:
            if not custom.strip():
                raise ValidationError(_("Écrivez la règle, ou choisissez une régularité proposée."))
            return rrule_validate(custom)
        rule = preset_rrule(preset, start)
        if count:
            rule += f";COUNT={count}"
        return rrule_validate(rule)


class OccurrenceMoveForm(WhenFieldsMixin):
    def clean(self):
        cleaned = super().clean()
        cleaned["start"] = self.clean_start()
        return cleaned


# The occurrence page holds several forms: prefixes keep their field ids unique.
class AgendaItemForm(forms.Form):
    prefix = "agenda"
    kind = forms.ChoiceField(label=_("Type"), choices=AgendaItem.Kind.choices)
    text = forms.CharField(label=_("Point à aborder"), max_length=500)


class NotesForm(forms.Form):
    prefix = "notes"
    notes = forms.CharField(
        label=_("Notes partagées"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    decisions = forms.CharField(
        label=_("Décisions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ActionForm(forms.Form):
    prefix = "action"
    text = forms.CharField(label=_("Prochaine action"), max_length=500)
    # Someone always takes an action on (the owner is required): the empty choice asks.
    owner = forms.ModelChoiceField(
        label=_("Qui s'en charge"), queryset=None, empty_label=_("Choisissez une personne")
    )
    due_on = forms.DateField(label=_("Échéance"), required=False, widget=DATE_INPUT)

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = participants
        self.fields["owner"].label_from_instance = lambda user: user.get_full_name() or user.email


class AttendanceForm(forms.Form):
    """One status per participant, named `status_<user id>`."""

    prefix = "attendance"

    def __init__(self, *args, participants, current: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        for user in participants:
            self.fields[f"status_{user.pk}"] = forms.ChoiceField(
                label=user.get_full_name() or user.email,
                choices=[("", _("Non renseigné")), *Attendance.Status.choices],
                required=False,
                initial=current.get(user.pk, ""),
            )

    def statuses(self) -> dict[int, str]:
        return {
            int(name.removeprefix("status_")): value
            for name, value in self.cleaned_data.items()
            if value
        }
