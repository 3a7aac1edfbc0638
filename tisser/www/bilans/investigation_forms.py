"""Forms of the investigation tools. They parse and check input; the services write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tisser.bilans.models import Experience, ItemKind, PortfolioItem
from tisser.core.dates import french_date

LEVEL_CHOICES = [
    (1, _("1 — J'en ai des notions")),
    (2, _("2 — Je le pratique avec de l'aide")),
    (3, _("3 — Je le maîtrise en autonomie")),
    (4, _("4 — Je peux le transmettre")),
]
LEVEL_WORDS = {
    1: _("Notions"),
    2: _("Pratique avec de l'aide"),
    3: _("Autonome"),
    4: _("Peut transmettre"),
}


class VersionField(forms.IntegerField):
    """The version of the row the person started from (0: nothing saved yet)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(min_value=0, required=False, **kwargs)

    def clean(self, value):
        return super().clean(value) or 0


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ExperienceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type d'expérience"), choices=Experience.Kind.choices)
    title = forms.CharField(
        label=_("Intitulé"),
        max_length=200,
        help_text=_("Par exemple : Assistante de direction, Trésorière d'une association."),
    )
    organisation_name = forms.CharField(
        label=_("Structure (entreprise, association, organisme…)"), max_length=200, required=False
    )
    started_on = forms.DateField(label=_("Début"), widget=DateInput())
    ended_on = forms.DateField(
        label=_("Fin"),
        widget=DateInput(),
        required=False,
        help_text=_("Laissez vide si cette expérience est en cours."),
    )
    description = forms.CharField(
        label=_("Ce que j'y faisais"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    version = VersionField()

    def clean(self):
        cleaned = super().clean()
        started_on, ended_on = cleaned.get("started_on"), cleaned.get("ended_on")
        if started_on and ended_on and ended_on < started_on:
            self.add_error(
                "ended_on",
                _("La fin ne peut pas précéder le début (%(start)s).")
                % {"start": french_date(started_on)},
            )
        return cleaned


class AchievementForm(forms.Form):
    title = forms.CharField(
        label=_("Titre de la réussite"),
        max_length=200,
        help_text=_("En quelques mots : « La fête des 20 ans de l'association »."),
    )
    experience = forms.ModelChoiceField(
        label=_("Pendant quelle expérience ?"),
        queryset=Experience.objects.none(),
        required=False,
        empty_label=_("— Aucune en particulier —"),
    )
    situation = forms.CharField(
        label=_("La situation"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Le contexte, la difficulté ou le défi de départ."),
    )
    action = forms.CharField(
        label=_("Ce que j'ai fait"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Vos actions à vous, avec des verbes : j'ai organisé, négocié, formé…"),
    )
    result = forms.CharField(
        label=_("Le résultat"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ce qui a changé grâce à vous, chiffré si possible."),
    )
    version = VersionField()

    def __init__(self, *args, experiences, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["experience"].queryset = experiences


class PortfolioItemForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("Mon niveau"), choices=LEVEL_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    preference = forms.ChoiceField(
        label=_("Est-ce que j'aime l'utiliser ?"),
        choices=PortfolioItem.Preference.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Ce que vous avez envie d'utiliser demain compte autant que ce que vous savez faire."
        ),
    )
    evidence = forms.CharField(
        label=_("Preuves, exemples"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Où et quand vous l'avez mis en œuvre."),
    )
    achievements = forms.ModelMultipleChoiceField(
        label=_("Réussites qui le montrent"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = VersionField()

    def __init__(self, *args, achievements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["achievements"].queryset = achievements


class PortfolioAddForm(PortfolioItemForm):
    """Adding an item: which one, then the same questions."""

    kind = forms.ChoiceField(choices=ItemKind.choices, widget=forms.HiddenInput)
    code = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class AspirationsForm(forms.Form):
    mobility = forms.CharField(
        label=_("Mobilité géographique"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Jusqu'où êtes-vous prêt·e à aller ? Déménager ? Le télétravail ?"),
    )
    income = forms.CharField(
        label=_("Revenus"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Le revenu dont vous avez besoin, celui que vous souhaitez."),
    )
    time = forms.CharField(
        label=_("Temps de travail et rythme"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Temps plein ou partiel, horaires, déplacements, saisonnalité."),
    )
    # The purpose is said next to the field (RGPD art. 5-1-c, L6313-4): what the project must
    # respect, never a diagnosis (health data is a special category, RGPD art. 9).
    constraints = forms.CharField(
        label=_("Contraintes à prendre en compte"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_(
            "Pour adapter votre projet : horaires, déplacements, aménagements de poste, "
            "contraintes familiales… N'indiquez ni diagnostic ni donnée médicale : "
            "seulement ce dont le projet doit tenir compte."
        ),
    )
    work_setting = forms.CharField(
        label=_("Cadre de travail souhaité"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_(
            "Travailler en équipe ou seul·e, sur site ou à distance, taille de la structure."
        ),
    )
    other = forms.CharField(
        label=_("Autres besoins et aspirations"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    version = VersionField()
