from django import forms
from django.utils.translation import gettext_lazy as _

from tisser.quality.models import ActionSource, ActionStatus
from tisser.quality.services.improvements import ActionFields


class ImprovementActionForm(forms.Form):
    title = forms.CharField(
        label=_("Intitulé"),
        max_length=200,
        error_messages={"required": _("Donnez un intitulé à l'action.")},
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    source = forms.ChoiceField(
        label=_("Origine"),
        choices=ActionSource.choices,
        error_messages={"required": _("Choisissez ce qui a motivé l'action.")},
    )
    source_reference = forms.CharField(
        label=_("Référence de l'origine"),
        max_length=200,
        required=False,
        help_text=_("Par exemple : « Appréciation employeur du 3 nov. », « Audit de juin »."),
    )
    owner = forms.ModelChoiceField(
        label=_("Responsable"), queryset=None, required=False, empty_label=_("Personne encore")
    )
    due_on = forms.DateField(
        label=_("Échéance"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Saisissez une date valide, par exemple 15/01/2027.")},
    )
    status = forms.ChoiceField(label=_("État"), choices=ActionStatus.choices)
    result = forms.CharField(
        label=_("Résultat"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Obligatoire pour marquer l'action réalisée : ce qui a changé."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = lambda user: user.get_full_name() or user.email

    def action_fields(self, complaint=None) -> ActionFields:
        data = self.cleaned_data
        return ActionFields(
            title=data["title"],
            description=data["description"],
            source=data["source"],
            source_reference=data["source_reference"],
            owner=data["owner"],
            due_on=data["due_on"],
            status=data["status"],
            result=data["result"],
            complaint=complaint,
        )


class ActionFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("État"), choices=[("", _("Tous")), *ActionStatus.choices], required=False
    )
    source = forms.ChoiceField(
        label=_("Origine"), choices=[("", _("Toutes")), *ActionSource.choices], required=False
    )
    overdue = forms.BooleanField(label=_("En retard seulement"), required=False)
