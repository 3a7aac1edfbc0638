"""The form of the public offer (Qualiopi indicator 1): one field per item the indicator
lists. The 24-hour cap is said next to the duration at once; the service checks it again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tisser.quality.models.public import MAX_DURATION_HOURS

REQUIRED = _("Ce point de l'offre doit être renseigné : l'indicateur 1 le demande.")


def _text(label, *, help_text="", required=True, rows=4) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": REQUIRED},
    )


class EurosField(forms.DecimalField):
    """An amount as people type it: « 1 800 », « 1 800,50 », « 1800.5 » (spaces of any kind
    between the thousands, a comma or a point before the cents)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = "".join(value.split()).replace("\u202f", "").replace(",", ".")
        return super().to_python(value)


class PublicOfferForm(forms.Form):
    objectives = _text(_("Objectifs"), rows=5)
    duration_hours = forms.IntegerField(
        label=_("Durée maximale d'un bilan, en heures"),
        min_value=1,
        max_value=MAX_DURATION_HOURS,
        help_text=_("24 heures au plus (Code du travail, article R6313-4)."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Indiquez la durée d'un bilan, en heures (24 au plus)."),
            "invalid": _("Indiquez un nombre entier d'heures, par exemple 24."),
            "max_value": _(
                "Un bilan de compétences dure 24 heures au plus (Code du travail, article "
                "R6313-4) : indiquez un nombre d'heures entre 1 et 24."
            ),
            "min_value": _("Indiquez un nombre d'heures entre 1 et 24."),
        },
    )
    duration_details = _text(
        _("Durée : rythme et déroulement"),
        help_text=_("Sur combien de semaines, en quelles phases, entretiens et travail personnel."),
        required=False,
        rows=8,
    )
    prerequisites = _text(
        _("Prérequis"),
        help_text=_("Le guide de lecture n'en demande pas pour un bilan : « aucun » convient."),
        required=False,
        rows=2,
    )
    access_delay = _text(_("Modalités et délai d'accès"))
    price_amount = EurosField(
        label=_("Tarif d'un bilan, en euros TTC"),
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=2,
        localize=True,
        help_text=_("Facultatif : laissez vide si le tarif dépend de la demande."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "invalid": _("Indiquez un montant, par exemple 1 800 ou 1 800,50."),
            "min_value": _("Indiquez un tarif positif, ou laissez le champ vide."),
            "max_digits": _("Ce montant est trop grand : vérifiez-le."),
            "max_decimal_places": _("Deux chiffres après la virgule au plus."),
        },
    )
    price_details = _text(_("Tarifs : précisions"), required=False, rows=3)
    funding_cpf = forms.BooleanField(label=_("Compte personnel de formation (CPF)"), required=False)
    funding_employer = forms.BooleanField(label=_("Employeur"), required=False)
    funding_opco = forms.BooleanField(label=_("Opérateur de compétences (OPCO)"), required=False)
    funding_france_travail = forms.BooleanField(label=_("France Travail"), required=False)
    methods = _text(_("Méthodes mobilisées"), rows=5)
    evaluation = _text(_("Modalités d'évaluation"))
    accessibility = _text(
        _("Accessibilité aux personnes handicapées"),
        help_text=_(
            "Le nom et l'adresse du référent handicap viennent de l'identité de l'organisme : "
            "la page les affiche d'elle-même."
        ),
    )
    contacts = _text(
        _("Contacts"),
        help_text=_("Qui joindre, et comment : adresse e-mail, téléphone, horaires."),
        rows=3,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def values(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in self.fields if name != "version"}
