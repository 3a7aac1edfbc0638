from django import forms
from django.utils.translation import gettext_lazy as _

from tisser.assessments import isolation, loneliness
from tisser.assessments.models import IsolationCheck


class IsolationCheckForm(forms.Form):
    """One radio group per item, named by the item id, and the moment of the check; then the
    research questions on loneliness (ADR 0031), named by their answer keys, all required."""

    moment = forms.ChoiceField(
        label=_("À quel moment faites-vous ce point ?"), choices=IsolationCheck.Moment.choices
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for item in isolation.ITEMS:
            self.fields[item.id] = forms.TypedChoiceField(
                label=item.text,
                choices=isolation.SCALE,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choisissez une réponse pour cette affirmation."),
                },
            )
        for question in loneliness.questions_asked():
            self.fields[question.id] = forms.TypedChoiceField(
                label=question.text,
                choices=question.choices,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choisissez une réponse pour cette question.")},
            )

    def loneliness_fields(self) -> list[forms.BoundField]:
        return [self[question.id] for question in loneliness.questions_asked()]

    def dimension_groups(self) -> list[tuple[isolation.Dimension, list[forms.BoundField]]]:
        return [
            (dimension, [self[item.id] for item in dimension.items])
            for dimension in isolation.DIMENSIONS
        ]

    def answers(self) -> dict[str, int]:
        asked = [item.id for item in isolation.ITEMS] + [
            question.id for question in loneliness.questions_asked()
        ]
        return {answer_id: self.cleaned_data[answer_id] for answer_id in asked}


class InventoryForm(forms.Form):
    """A self-inventory (`tisser.assessments.riasec` or `values`): one radio group per item,
    named by the item id, in the questionnaire's interleaved blocks."""

    missing_message = _("Choisissez une réponse pour cette affirmation.")

    def __init__(self, *args, questionnaire, **kwargs):
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        for block in questionnaire.BLOCKS:
            for item in block:
                self.fields[item.id] = forms.TypedChoiceField(
                    label=item.text,
                    choices=questionnaire.SCALE,
                    coerce=int,
                    widget=forms.RadioSelect,
                    error_messages={"required": self.missing_message},
                )

    def blocks(self) -> list[tuple[int, list[forms.BoundField]]]:
        return [
            (number, [self[item.id] for item in block])
            for number, block in enumerate(self.questionnaire.BLOCKS, start=1)
        ]

    def answers(self) -> dict[str, int]:
        return {item.id: self.cleaned_data[item.id] for item in self.questionnaire.ITEMS}


class InterestsForm(InventoryForm):
    missing_message = _("Choisissez une réponse pour cette activité.")
