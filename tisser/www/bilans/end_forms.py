"""Forms of the ends of a bilan (early end, withdrawal of consent) and of its preliminary
record. Each carries the version of what the person saw."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tisser.bilans.models import BilanFormat, EndReason, Outcome

EARLY_CHOICES = [
    (Outcome.INTERRUPTED.value, _("Interrompu : le bilan s'arrête avant son terme")),
    (Outcome.ABANDONED.value, _("Abandonné : la personne ne vient plus")),
]


class BilanEndForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    outcome = forms.ChoiceField(
        label=_("Issue du bilan"),
        choices=EARLY_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez : bilan interrompu ou abandonné.")},
    )
    reason = forms.ChoiceField(
        label=_("Motif (celui que demande la déclaration de service fait du CPF)"),
        choices=EndReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez le motif de la fin anticipée.")},
    )
    ended_on = forms.DateField(
        label=_("Date de fin"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Aujourd'hui ou une date passée, pas avant l'ouverture du bilan."),
        error_messages={
            "required": _("Indiquez la date de fin du bilan."),
            "invalid": _("Indiquez une date valide, par exemple 15/03/2026."),
        },
    )
    note = forms.CharField(
        label=_("Précision (facultatif)"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Quelques mots, sans détail sur la vie de la personne : par exemple « a retrouvé "
            "un emploi »."
        ),
        error_messages={"max_length": _("300 caractères au plus.")},
    )
    cancel_sessions = forms.BooleanField(
        label=_("Annuler les entretiens à venir de ce bilan et leurs rappels"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].initial = timezone.localdate()


class CloseOptionsForm(forms.Form):
    """Closing a bilan from the conclusion phase: whether to cancel what is still planned."""

    cancel_sessions = forms.BooleanField(
        label=_("Annuler les entretiens à venir de ce bilan et leurs rappels"),
        required=False,
        initial=True,
    )


class ConsentWithdrawForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    confirm = forms.BooleanField(
        label=_("Je retire mon consentement : mon bilan s'arrête aujourd'hui."),
        error_messages={"required": _("Cochez cette case pour confirmer que vous arrêtez.")},
    )


class PreliminaryRecordForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    request = forms.CharField(
        label=_("La demande de la personne, analysée"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_("Ce qui l'amène, avec ses mots, et ce que vous en comprenez."),
        error_messages={"required": _("Remplissez cette partie du compte rendu.")},
    )
    need = forms.CharField(
        label=_("Le besoin identifié"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": _("Remplissez cette partie du compte rendu.")},
    )
    format = forms.ChoiceField(
        label=_("Format retenu"),
        choices=BilanFormat.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez le format du bilan.")},
    )
    individual_hours = forms.DecimalField(
        label=_("Heures d'entretiens individuels prévues"),
        min_value=1,
        max_value=24,
        decimal_places=1,
        localize=True,
        help_text=_("Elles deviennent la durée prévue du bilan, base de son taux de réalisation."),
        error_messages={
            "required": _("Indiquez le nombre d'heures d'entretiens prévues."),
            "min_value": _("Prévoyez au moins une heure d'entretien individuel."),
            "max_value": _("Un bilan de compétences dure 24 heures au plus."),
            "invalid": _("Indiquez un nombre d'heures, par exemple 18 ou 18,5."),
            "max_decimal_places": _("Une décimale au plus, par exemple 18,5."),
        },
    )
    personal_work_hours = forms.DecimalField(
        label=_("Heures de travail personnel prévues"),
        min_value=0,
        max_value=23,
        decimal_places=1,
        localize=True,
        initial=0,
        help_text=_("Enquêtes-métiers, recherches, questionnaires entre les entretiens."),
        error_messages={
            "required": _("Indiquez 0 s'il n'y a pas de travail personnel prévu."),
            "min_value": _("Indiquez un nombre d'heures positif ou nul."),
            "max_value": _(
                "Entretiens et travail personnel ensemble ne dépassent pas les 24 heures du bilan."
            ),
            "invalid": _("Indiquez un nombre d'heures, par exemple 6."),
            "max_decimal_places": _("Une décimale au plus, par exemple 6,5."),
        },
    )
    objectives = forms.CharField(
        label=_("Objectifs du bilan"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": _("Remplissez cette partie du compte rendu.")},
    )
    plan = forms.CharField(
        label=_("Modalités de déroulement convenues avec la personne"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text=_("Rythme et lieu des entretiens, outils, travail entre les séances."),
        error_messages={"required": _("Remplissez cette partie du compte rendu.")},
    )


class PreliminaryAcknowledgeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    confirm = forms.BooleanField(
        label=_(
            "J'ai lu ce compte rendu et je suis d'accord avec la façon dont mon bilan va se "
            "dérouler."
        ),
        error_messages={"required": _("Cochez cette case pour confirmer votre accord.")},
    )
