from django import forms
from django.utils.translation import gettext_lazy as _

from tisser.bilans.models import Phase
from tisser.meetings.models import MeetingMode
from tisser.meetings.recurrence import rrule_validate
from tisser.www.bilans.paperwork_forms import FundingFieldsMixin
from tisser.www.meetings.forms import WhenFieldsMixin


class BilanOpenForm(FundingFieldsMixin):
    """The beneficiary, then who funds the bilan and for how much."""

    field_order = ["beneficiary", "funding", "funder_name", "price_euros", "planned_hours"]
    beneficiary = forms.ModelChoiceField(label=_("Bénéficiaire"), queryset=None)

    def __init__(self, *args, beneficiaries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["beneficiary"].queryset = beneficiaries
        self.fields["beneficiary"].label_from_instance = lambda user: (
            user.get_full_name() or user.email
        )


class PhaseAdvanceForm(forms.Form):
    """The phase the consultant saw as next, and the version of the bilan they saw: a
    double click or a colleague's change in between is refused, not applied twice."""

    to_phase = forms.ChoiceField(choices=Phase.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)


class BilanSessionForm(WhenFieldsMixin):
    """Entretiens every week from the first one, `count` of them."""

    prefix = "sessions"
    count = forms.IntegerField(
        label=_("Nombre d'entretiens"),
        min_value=1,
        max_value=24,
        initial=1,
        help_text=_("Un entretien par semaine à partir du premier."),
    )
    mode = forms.ChoiceField(label=_("Modalité"), choices=MeetingMode.choices)
    location = forms.CharField(
        label=_("Lieu, lien de visioconférence ou numéro de téléphone"),
        max_length=500,
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        cleaned["first_start"] = self.clean_start()
        count = cleaned.get("count")
        if count:
            cleaned["rrule"] = rrule_validate(f"FREQ=WEEKLY;COUNT={count}") if count > 1 else ""
        return cleaned
