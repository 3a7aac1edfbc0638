"""The form of the organisme's identity. Each field is checked here with the service's own
functions (`tisser.accounts.identity`), so that a wrong SIRET is said next to the field at
once; the service checks everything again."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tisser.accounts.identity import LOGO_MAX_BYTES, Identity, logo_check, nda_clean, siret_clean


class IdentityForm(forms.Form):
    legal_name = forms.CharField(
        label=_("Raison sociale"),
        max_length=200,
        error_messages={"required": _("Indiquez la raison sociale de l'organisme.")},
    )
    address = forms.CharField(
        label=_("Adresse"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("L'adresse déclarée, telle qu'elle figurera sur les documents."),
        error_messages={"required": _("Indiquez l'adresse de l'organisme.")},
    )
    siret = forms.CharField(
        label=_("SIRET"),
        max_length=20,
        help_text=_("14 chiffres, espaces permis : par exemple 123 456 782 00002."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": _("Indiquez le SIRET de l'organisme.")},
    )
    nda = forms.CharField(
        label=_("Numéro de déclaration d'activité (NDA)"),
        max_length=20,
        required=False,
        help_text=_(
            "11 chiffres, inscrits sur le récépissé de la préfecture de région. Les "
            "conventions et les contrats doivent le porter."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    qualiopi_number = forms.CharField(
        label=_("Numéro du certificat Qualiopi"), max_length=100, required=False
    )
    qualiopi_issuer = forms.CharField(
        label=_("Organisme certificateur"), max_length=200, required=False
    )
    qualiopi_expires_on = forms.DateField(
        label=_("Fin de validité du certificat"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Indiquez une date, par exemple 31/12/2027.")},
    )
    qualiopi_bilan_category = forms.BooleanField(
        label=_(
            "Le certificat couvre la catégorie « actions permettant de faire un bilan de "
            "compétences »"
        ),
        required=False,
    )
    disability_referent_name = forms.CharField(
        label=_("Référent handicap : nom"), max_length=200, required=False
    )
    disability_referent_email = forms.EmailField(
        label=_("Référent handicap : adresse e-mail"),
        required=False,
        error_messages={
            "invalid": _("Indiquez une adresse e-mail complète, par exemple nom@organisme.fr.")
        },
    )
    dpo_name = forms.CharField(
        label=_("Délégué·e à la protection des données : nom"), max_length=200, required=False
    )
    dpo_email = forms.EmailField(
        label=_("Délégué·e à la protection des données : adresse e-mail"),
        required=False,
        error_messages={
            "invalid": _("Indiquez une adresse e-mail complète, par exemple nom@organisme.fr.")
        },
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG ou JPEG, 300 Ko au plus. Il figure en tête des documents."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    logo_remove = forms.BooleanField(label=_("Retirer le logo actuel"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def clean_siret(self) -> str:
        return siret_clean(self.cleaned_data["siret"])

    def clean_nda(self) -> str:
        return nda_clean(self.cleaned_data["nda"])

    def clean_logo(self) -> bytes | None:
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        if upload.size > LOGO_MAX_BYTES:
            # Not read at all: the size alone refuses it.
            raise ValidationError(
                _("Ce logo pèse plus de 300 Ko : enregistrez-le plus petit (PNG ou JPEG).")
            )
        data = upload.read()
        logo_check(data)
        return data

    def identity(self) -> Identity:
        data = self.cleaned_data
        return Identity(**{name: data[name] for name in Identity.__dataclass_fields__})
