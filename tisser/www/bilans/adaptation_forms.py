"""Forms of a bilan's need for adaptation (indicator 26, ADR 0037)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tisser.bilans.models import AdaptationKind
from tisser.bilans.services.adaptation import DETAIL_MAX_LENGTH, NEED_MAX_LENGTH

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NeedForm(forms.Form):
    """The person writes what she needs herself."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    need = forms.CharField(
        label=_("Ce dont vous avez besoin pour suivre votre bilan dans de bonnes conditions"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=NEED_MAX_LENGTH,
        help_text=_(
            "Par exemple : des entretiens plus courts, à distance, des documents en gros "
            "caractères, une salle accessible, plus de temps, venir accompagné·e. Dites ce qui "
            "vous aiderait, pas pourquoi : ni diagnostic, ni nature d'un handicap, ni RQTH."
        ),
        error_messages={"required": _("Écrivez ce dont vous avez besoin, dans vos mots.")},
    )


class ConsultantNeedForm(forms.Form):
    """The consultant writes the need, with the person's agreement, dated."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    need = forms.CharField(
        label=_("Ce dont la personne a besoin, dans ses mots"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=NEED_MAX_LENGTH,
        help_text=_(
            "Ce qui l'aiderait, pas pourquoi : n'écrivez ni diagnostic, ni nature d'un "
            "handicap, ni RQTH."
        ),
        error_messages={"required": _("Écrivez ce dont la personne a besoin, dans ses mots.")},
    )
    consent = forms.BooleanField(
        label=_("La personne est d'accord pour que ce besoin soit noté dans son bilan."),
        error_messages={
            "required": _(
                "Notez-le seulement si la personne est d'accord : cochez son accord et "
                "indiquez sa date."
            )
        },
    )
    consent_on = forms.DateField(
        label=_("Date de son accord"),
        widget=DATE_WIDGET,
        error_messages={
            "required": _("Indiquez la date de son accord."),
            "invalid": _("Indiquez une date valide, par exemple 15/03/2026."),
        },
    )


class MeasureForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    kind = forms.ChoiceField(
        label=_("Aménagement mis en place"),
        choices=AdaptationKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez l'aménagement mis en place.")},
    )
    detail = forms.CharField(
        label=_("Précisions (facultatif, sauf pour « Autre aménagement »)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=DETAIL_MAX_LENGTH,
        required=False,
    )
    started_on = forms.DateField(
        label=_("Mis en place le"),
        widget=DATE_WIDGET,
        error_messages={
            "required": _("Indiquez depuis quand."),
            "invalid": _("Indiquez une date valide, par exemple 15/03/2026."),
        },
    )


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class MeasureDeleteForm(VersionForm):
    measure = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
