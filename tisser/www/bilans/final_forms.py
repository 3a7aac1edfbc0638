"""Forms of the end of a bilan: the written agreement to keep documents for the follow-up."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tisser.bilans.working_documents import kind_choices


class KeepAgreementForm(forms.Form):
    prefix = "keep"
    kinds = forms.MultipleChoiceField(
        label=_("Les documents à conserver"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cochez au moins un document à conserver.")},
    )
    need = forms.CharField(
        label=_("Pourquoi votre suivi en a besoin"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_(
            "Avec vos mots : par exemple, « faire le point à trois et six mois avec ma "
            "conseillère sur mon projet »."
        ),
        error_messages={
            "required": _("Dites, avec vos mots, pourquoi votre suivi a besoin de ces documents.")
        },
    )
    until = forms.DateField(
        label=_("Jusqu'au (facultatif)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Sans date : un an après la fin du bilan, la durée la plus longue permise."),
        error_messages={"invalid": _("Saisissez une date, par exemple 15/06/2027.")},
    )
    confirm = forms.BooleanField(
        label=_(
            "Je demande par écrit que ces documents soient conservés pour mon suivi, au plus un "
            "an après la fin de mon bilan. Je peux retirer cet accord à tout moment."
        ),
        error_messages={"required": _("Cochez cette case pour donner votre accord.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = kind_choices()


class AgreementWithdrawForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
