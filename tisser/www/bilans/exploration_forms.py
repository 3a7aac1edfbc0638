"""Forms of the exploration pages (shortlist) and of the projects."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from tisser.bilans.models import CheckStatus, ProjectKind, ShortlistEntry, StepStatus
from tisser.bilans.services.projects import MAX_TARGETS
from tisser.referentiel.models import Metier

CODE_ROME = re.compile(r"^[A-N]\d{4}$")


class VersionedForm(forms.Form):
    """The version of the item the person started from (optimistic locking, ADR 0007)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ShortlistEntryForm(VersionedForm):
    status = forms.ChoiceField(label=_("Où j'en suis"), choices=ShortlistEntry.Status.choices)
    note = forms.CharField(
        label=_("Ma note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ce qui m'attire, mes questions, qui je pourrais rencontrer…"),
    )


class ProjectForm(VersionedForm):
    kind = forms.ChoiceField(
        label=_("Type de projet"), choices=ProjectKind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(
        label=_("Intitulé"),
        max_length=200,
        help_text=_("Par exemple : « Devenir aide-soignante en Ehpad »."),
    )
    targets = forms.ModelMultipleChoiceField(
        label=_("Métiers visés parmi ma sélection"),
        queryset=Metier.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_codes = forms.CharField(
        label=_("Autres métiers visés (codes ROME)"),
        required=False,
        max_length=100,
        help_text=_(
            "Séparés par des virgules, par exemple : J1501, K1201. Le code figure sur chaque "
            "fiche métier."
        ),
    )
    motivation = forms.CharField(
        label=_("Ce qui me motive"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._choices = choices if choices is not None else Metier.objects.none()
        self.fields["targets"].queryset = self._choices
        self.fields["targets"].label_from_instance = lambda metier: (
            f"{metier.libelle} ({metier.code_rome})"
        )
        if not self._choices.exists():
            del self.fields["targets"]
            self.fields["other_codes"].label = _("Métiers visés (codes ROME)")

    def clean_other_codes(self) -> list[Metier]:
        raw = self.cleaned_data["other_codes"]
        codes = [code.strip().upper() for code in re.split(r"[,;\s]+", raw) if code.strip()]
        invalid = [code for code in codes if not CODE_ROME.match(code)]
        if invalid:
            raise forms.ValidationError(
                _("« %(code)s » n'est pas un code ROME (une lettre et quatre chiffres).")
                % {"code": invalid[0]}
            )
        found = {m.code_rome: m for m in Metier.objects.filter(code_rome__in=codes)}
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise forms.ValidationError(
                _("Aucune fiche métier n'a le code %(code)s.") % {"code": unknown[0]}
            )
        return [found[code] for code in dict.fromkeys(codes)]

    def clean(self):
        cleaned = super().clean()
        targets = list(cleaned.get("targets") or []) + list(cleaned.get("other_codes") or [])
        cleaned["all_targets"] = list(dict.fromkeys(targets))
        if len(cleaned["all_targets"]) > MAX_TARGETS:
            self.add_error(
                "other_codes",
                _("Choisissez au plus %(count)d métiers visés.") % {"count": MAX_TARGETS},
            )
        return cleaned


class CheckForm(VersionedForm):
    status = forms.ChoiceField(label=_("État"), choices=CheckStatus.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class StepAddForm(forms.Form):
    prefix = "step"
    title = forms.CharField(label=_("Étape"), max_length=200)
    due_on = forms.DateField(
        label=_("Échéance"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Au format jj/mm/aaaa si votre navigateur ne propose pas de calendrier."),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )


class StepForm(VersionedForm):
    title = forms.CharField(label=_("Étape"), max_length=200)
    due_on = forms.DateField(
        label=_("Échéance"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Au format jj/mm/aaaa si votre navigateur ne propose pas de calendrier."),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    status = forms.ChoiceField(label=_("État"), choices=StepStatus.choices)
