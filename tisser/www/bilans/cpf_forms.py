"""The CPF dossier form, shared by the consultant's page and the coordinator's."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tisser.bilans.models import CpfDossier
from tisser.bilans.services.cpf import FIELDS

DATE = {"type": "date"}


def _date():
    return forms.DateInput(attrs=DATE, format="%Y-%m-%d")


class CpfDossierForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = CpfDossier
        fields = FIELDS
        widgets = {
            "number": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            **{name: _date() for name in FIELDS if name != "number"},
        }
        help_texts = {
            "number": _("Tel qu'il apparaît sur Mon Compte Formation (EDOF), en chiffres."),
            "entry_on": _(
                "Le jour où la personne a réellement commencé (premier entretien). Vide : le "
                "jour d'ouverture du bilan."
            ),
            "entry_declared_on": _("Vide tant que l'entrée n'est pas déclarée sur EDOF."),
            "exit_declared_on": _(
                "La sortie est le jour où le bilan a pris fin ; elle se déclare avec le "
                "service fait."
            ),
            "service_fait_declared_on": _(
                "Avec le taux de réalisation et, s'il est partiel, le motif et les heures non "
                "réalisées indiqués ci-dessus."
            ),
        }
        error_messages = {
            "number": {"required": _("Indiquez le numéro de dossier CPF.")},
            "planned_entry_on": {"required": _("Indiquez la date d'entrée prévue.")},
            "planned_exit_on": {"required": _("Indiquez la date de sortie prévue.")},
        }

    def _post_clean(self):
        # The service validates the whole dossier (dates against the bilan, the number's
        # format after removing spaces): the model is not checked twice here.
        pass
