"""The forms of a consultant's record: their experience, a diploma, a method, a training (each
with an optional proof checked by `tisser.quality.files.upload_check`), and the filters of
the coordinator's list."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tisser.quality.files import upload_check
from tisser.quality.models import ConsultantTraining

DATE_INVALID = _("Indiquez une date, par exemple 15/03/2026.")


def _date(label, *, required=True, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": DATE_INVALID, "required": _("Indiquez la date.")},
    )


class RecordForm(forms.Form):
    years_in_guidance = forms.IntegerField(
        label=_("Années d'expérience en accompagnement et en bilan de compétences"),
        min_value=0,
        max_value=60,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": _("Indiquez un nombre d'années, par exemple 8."),
            "min_value": _("Indiquez un nombre d'années, par exemple 8."),
            "max_value": _("Indiquez un nombre d'années de 60 au plus."),
        },
    )
    previous_roles = forms.CharField(
        label=_("Postes occupés auparavant"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    summary = forms.CharField(
        label=_("Votre expérience en quelques lignes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Votre expérience professionnelle seulement : ne nommez aucun·e bénéficiaire."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ItemForm(forms.Form):
    """What every item form shares: its proof and the version it was opened at."""

    proof = forms.FileField(
        label=_("Justificatif"),
        required=False,
        help_text=_("PDF, PNG ou JPEG, 5 Mo au plus."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}),
    )
    proof_remove = forms.BooleanField(label=_("Retirer le justificatif actuel"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    fields_order: tuple[str, ...] = ()

    def __init__(self, *args, has_proof: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_proof:
            del self.fields["proof_remove"]
        self.proof_name = ""

    def clean_proof(self):
        upload = self.cleaned_data.get("proof")
        if not upload:
            return None
        self.proof_name = (upload.name or "")[:200]
        return upload_check(upload)

    def values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.fields_order}


class QualificationForm(ItemForm):
    title = forms.CharField(
        label=_("Intitulé du diplôme ou de la certification"),
        max_length=200,
        error_messages={"required": _("Indiquez l'intitulé du diplôme ou de la certification.")},
    )
    awarding_body = forms.CharField(
        label=_("Délivré par"),
        max_length=200,
        error_messages={"required": _("Indiquez l'établissement ou l'organisme qui l'a délivré.")},
    )
    year = forms.IntegerField(
        label=_("Année d'obtention"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Indiquez l'année d'obtention, par exemple 2015."),
            "invalid": _("Indiquez l'année d'obtention, par exemple 2015."),
        },
    )
    fields_order = ("title", "awarding_body", "year")
    field_order = [*fields_order, "proof", "proof_remove"]


class MethodForm(ItemForm):
    name = forms.CharField(
        label=_("Méthode ou outil"),
        max_length=200,
        help_text=_(
            "Par exemple : inventaire RIASEC, MBTI, Process Com, exploration du ROME, "
            "entretien d'explicitation."
        ),
        error_messages={"required": _("Indiquez la méthode ou l'outil.")},
    )
    accredited_on = _date(_("Formé·e ou habilité·e le"))
    expires_on = _date(
        _("Habilitation valable jusqu'au"),
        required=False,
        help_text=_("Laissez vide si l'habilitation n'a pas à être renouvelée."),
    )
    fields_order = ("name", "accredited_on", "expires_on")
    field_order = [*fields_order, "proof", "proof_remove"]


class TrainingForm(ItemForm):
    title = forms.CharField(
        label=_("Intitulé de la formation"),
        max_length=200,
        error_messages={"required": _("Indiquez l'intitulé de la formation.")},
    )
    provider = forms.CharField(
        label=_("Organisme de formation"),
        max_length=200,
        error_messages={"required": _("Indiquez l'organisme qui a donné la formation.")},
    )
    started_on = _date(_("Début"))
    ended_on = _date(_("Fin"))
    hours = forms.DecimalField(
        label=_("Durée en heures"),
        max_digits=5,
        decimal_places=1,
        min_value=0.5,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.5"}),
        error_messages={
            "required": _("Indiquez une durée en heures, par exemple 14."),
            "invalid": _("Indiquez une durée en heures, par exemple 14."),
            "min_value": _("Indiquez une durée en heures, par exemple 14."),
            "max_digits": _("Indiquez une durée de 9999 heures au plus."),
            "max_decimal_places": _("Une décimale au plus, par exemple 10,5."),
        },
    )
    indicator = forms.TypedChoiceField(
        label=_("Ce qu'elle prouve"),
        choices=ConsultantTraining.Indicator.choices,
        coerce=int,
        initial=ConsultantTraining.Indicator.DEVELOPMENT,
        widget=forms.RadioSelect,
    )
    fields_order = ("title", "provider", "started_on", "ended_on", "hours", "indicator")
    field_order = [*fields_order, "proof", "proof_remove"]

    def clean(self):
        data = super().clean()
        ended_on = data.get("ended_on")
        if ended_on and ended_on > datetime.date.today() + datetime.timedelta(days=366):
            self.add_error("ended_on", ValidationError(_("Indiquez une date de fin plus proche.")))
        return data


FORMS = {"diplomes": QualificationForm, "methodes": MethodForm, "formations": TrainingForm}


class ConsultantListForm(forms.Form):
    DUE_CHOICES = [
        ("", _("Tous les consultant·es")),
        ("a-prevoir", _("Quelque chose à prévoir")),
        ("formation", _("Formation continue à prévoir")),
        ("habilitation", _("Habilitation à renouveler")),
        ("dossier", _("Dossier incomplet")),
        ("a-jour", _("À jour")),
    ]
    SORT_CHOICES = [
        ("echeance", _("Échéance la plus proche d'abord")),
        ("nom", _("Nom")),
    ]
    echeance = forms.ChoiceField(label=_("Échéances"), choices=DUE_CHOICES, required=False)
    tri = forms.ChoiceField(label=_("Trier par"), choices=SORT_CHOICES, required=False)
