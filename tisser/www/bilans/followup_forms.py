"""Forms of the entretiens' private notes, the follow-up interview and the satisfaction
questionnaire."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tisser.bilans import satisfaction
from tisser.meetings.models import MeetingMode
from tisser.www.meetings.forms import WhenFieldsMixin


class SessionNoteForm(forms.Form):
    """The consultant's private notes; `version` is the one the editor was opened with
    (0: no notes yet)."""

    text = forms.CharField(
        label=_("Mes notes privées"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Visibles par vous seul·e : ni la personne accompagnée, ni la coordination ne les "
            "voient. Le compte rendu partagé se rédige sur la page de la rencontre."
        ),
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class FollowUpProposeForm(WhenFieldsMixin):
    prefix = "followup"
    duration_minutes = forms.IntegerField(
        label=_("Durée (minutes)"), min_value=15, max_value=240, initial=60
    )
    mode = forms.ChoiceField(label=_("Modalité"), choices=MeetingMode.choices)
    location = forms.CharField(
        label=_("Lieu, lien de visioconférence ou numéro de téléphone"),
        max_length=500,
        required=False,
    )
    message = forms.CharField(
        label=_("Message à la personne (facultatif)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        cleaned["start"] = self.clean_start()
        return cleaned


class FollowUpAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        choices=(("accept", _("Accepter")), ("decline", _("Décliner"))), widget=forms.HiddenInput
    )
    reason = forms.CharField(
        label=_("Souhaitez-vous dire pourquoi ? (facultatif)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class FollowUpNotesForm(forms.Form):
    prefix = "notes"
    notes = forms.CharField(
        label=_("Notes de l'entretien de suivi"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Visibles par vous seul·e."),
    )
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


RECOMMENDATION_CHOICES = [
    (value, str(value))
    for value in range(satisfaction.RECOMMENDATION_MIN, satisfaction.RECOMMENDATION_MAX + 1)
]


class SatisfactionForm(forms.Form):
    """One radio group per item (named by its id), the 0–10 recommendation and a comment."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        required = {"required": _("Choisissez une réponse pour cette affirmation.")}
        for item in satisfaction.ITEMS:
            self.fields[item.id] = forms.TypedChoiceField(
                label=item.text,
                choices=satisfaction.SCALE,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages=required,
            )
        self.fields[satisfaction.RECOMMENDATION] = forms.TypedChoiceField(
            label=satisfaction.RECOMMENDATION_TEXT,
            choices=RECOMMENDATION_CHOICES,
            coerce=int,
            widget=forms.RadioSelect,
            error_messages={"required": _("Choisissez une note de 0 à 10.")},
        )
        self.fields["comment"] = forms.CharField(
            label=satisfaction.COMMENT_TEXT,
            required=False,
            max_length=satisfaction.COMMENT_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 4}),
        )

    def item_fields(self) -> list[forms.BoundField]:
        return [self[item.id] for item in satisfaction.ITEMS]

    def answers(self) -> dict[str, int]:
        keys = (*satisfaction.ITEM_IDS, satisfaction.RECOMMENDATION)
        return {key: self.cleaned_data[key] for key in keys}
