"""Forms of a participant's peer group pages: preferences, leaving, the charter, the
check-in before a meeting."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tisser.mentoring.models import Language
from tisser.peers.models import PeerMode, PeerProfile, ProjectType, Rhythm, Stage
from tisser.peers.services import CharterData, CheckInData, PeerPreferencesData
from tisser.peers.services.charter import MAX_MEETINGS_PER_MONTH
from tisser.referentiel.models import SecteurActivite
from tisser.www.mentoring.profiles_forms import AvailabilityField, availability_keys


class PreferencesForm(forms.Form):
    seeking = forms.BooleanField(
        label=_("Je souhaite rejoindre un groupe de pairs"),
        required=False,
        help_text=_("Décochez pour ne plus être proposé·e dans un groupe."),
    )
    availability = AvailabilityField(
        label=_("Mes disponibilités habituelles"),
        help_text=_(
            "Cochez les moments de la semaine où une rencontre du groupe est possible : les "
            "groupes sont formés entre personnes qui ont au moins un moment en commun."
        ),
    )
    stage = forms.ChoiceField(
        label=_("Où j'en suis"), choices=Stage.choices, widget=forms.RadioSelect
    )
    project_type = forms.ChoiceField(
        label=_("Mon projet"), choices=ProjectType.choices, widget=forms.RadioSelect
    )
    sectors = forms.ModelMultipleChoiceField(
        label=_("Secteurs d'activité visés (facultatif)"),
        queryset=SecteurActivite.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    rhythm = forms.ChoiceField(
        label=_("Le rythme de mes engagements"),
        choices=Rhythm.choices,
        widget=forms.RadioSelect,
        help_text=_("À quelle fréquence je veux me fixer des actions et en rendre compte."),
    )
    mode = forms.ChoiceField(
        label=_("Modalité des rencontres"), choices=PeerMode.choices, widget=forms.RadioSelect
    )
    departement = forms.CharField(
        label=_("Département"),
        max_length=3,
        required=False,
        help_text=_(
            "Obligatoire si des rencontres en présentiel sont possibles : 01 à 95, 2A, 2B ou "
            "971 à 976 (par exemple 69)."
        ),
        widget=forms.TextInput(attrs={"size": 4, "autocomplete": "off"}),
    )
    languages = forms.MultipleChoiceField(
        label=_("Langues dans lesquelles je peux échanger"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    attribute = forms.CharField(
        label=_("Une caractéristique que je souhaite déclarer (facultatif)"),
        max_length=100,
        required=False,
        help_text=_(
            "Par exemple : parent solo, en situation de handicap, plus de 50 ans. Elle reste "
            "privée : aucun membre de votre groupe ne la voit ; elle sert seulement à former "
            "les groupes."
        ),
    )
    avoid_isolation = forms.BooleanField(
        label=_("Je préfère ne pas être la seule personne dans ce cas dans mon groupe"),
        required=False,
        help_text=_(
            "Si vous cochez, vous serez placé·e dans un groupe avec au moins une autre "
            "personne qui a déclaré la même caractéristique."
        ),
    )
    introduction = forms.CharField(
        label=_("Ma courte présentation au groupe (facultatif)"),
        max_length=600,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Ce que les membres de votre groupe liront de vous, avec votre prénom (jamais "
            "votre nom). 600 caractères au plus."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sectors"].queryset = SecteurActivite.objects.filter(
            parent__isnull=True
        ).order_by("libelle")

    @staticmethod
    def initial_from(profile: PeerProfile | None) -> dict:
        if profile is None:
            return {
                "version": 0,
                "seeking": True,
                "languages": [Language.FR],
                "mode": PeerMode.VIDEO,
                "rhythm": Rhythm.WEEKLY,
            }
        return {
            "seeking": profile.seeking,
            "availability": availability_keys(profile.availability),
            "stage": profile.stage,
            "project_type": profile.project_type,
            "sectors": [sector.pk for sector in profile.sectors.all()],
            "rhythm": profile.rhythm,
            "mode": profile.mode,
            "departement": profile.departement,
            "languages": profile.languages,
            "attribute": profile.attribute,
            "avoid_isolation": profile.avoid_isolation,
            "introduction": profile.introduction,
            "version": profile.version,
        }

    def to_data(self) -> PeerPreferencesData:
        data = self.cleaned_data
        return PeerPreferencesData(
            seeking=data["seeking"],
            availability=data["availability"],
            stage=data["stage"],
            project_type=data["project_type"],
            rhythm=data["rhythm"],
            mode=data["mode"],
            departement=data["departement"],
            languages=data["languages"],
            sectors=list(data["sectors"]),
            attribute=data["attribute"],
            avoid_isolation=data["avoid_isolation"],
            introduction=data["introduction"],
        )


class LeaveForm(forms.Form):
    reason = forms.CharField(
        label=_("Pourquoi je quitte le groupe (facultatif)"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Lu seulement par la coordination, pour réorganiser les groupes ; les autres "
            "membres apprennent seulement votre départ."
        ),
    )

    def __init__(self, *args, declining: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if declining:  # proposed, never joined: the same form, in the words of a refusal
            self.fields["reason"].label = _("Pourquoi ce groupe ne me convient pas (facultatif)")
            self.fields["reason"].help_text = _(
                "Lu seulement par la coordination, pour vous proposer un groupe qui vous "
                "convienne mieux ; les membres apprennent seulement que vous ne le rejoindrez "
                "pas."
            )


class CharterForm(forms.Form):
    shared_goals = forms.CharField(
        label=_("Nos objectifs communs"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ce que nous voulons vivre ensemble, même si nos projets diffèrent."),
    )
    meetings_per_month = forms.IntegerField(
        label=_("Rencontres par mois"),
        min_value=1,
        max_value=MAX_MEETINGS_PER_MONTH,
        help_text=_("Deux par mois, en général."),
        error_messages={
            "invalid": _("Indiquez un nombre entier."),
            "min_value": _("Au moins une rencontre par mois."),
            "max_value": _("Au plus %(limit_value)s rencontres par mois."),
        },
    )
    confidentiality = forms.CharField(
        label=_("Confidentialité"), widget=forms.Textarea(attrs={"rows": 3})
    )
    reciprocity = forms.CharField(
        label=_("La règle de réciprocité"), widget=forms.Textarea(attrs={"rows": 2})
    )
    rotating_facilitator = forms.BooleanField(
        label=_("L'animation est tournante"),
        required=False,
        help_text=_(
            "Chaque rencontre est animée par un membre différent, à tour de rôle. Sinon, le "
            "premier membre du groupe anime toutes les rencontres."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def to_data(self) -> CharterData:
        data = self.cleaned_data
        return CharterData(
            shared_goals=data["shared_goals"],
            meetings_per_month=data["meetings_per_month"],
            confidentiality=data["confidentiality"],
            reciprocity=data["reciprocity"],
            rotating_facilitator=data["rotating_facilitator"],
        )


class CheckInForm(forms.Form):
    success = forms.CharField(
        label=_("Un succès à partager"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Même petit : une démarche faite, une réponse reçue, un pas franchi."),
    )
    blocker = forms.CharField(
        label=_("Un blocage"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ce qui vous freine en ce moment, sur quoi le groupe peut vous aider."),
    )
    question = forms.CharField(
        label=_("Une question au groupe"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        if not any((data.get(name) or "").strip() for name in ("success", "blocker", "question")):
            raise forms.ValidationError(
                _("Écrivez au moins un point : un succès, un blocage ou une question.")
            )
        return data

    def to_data(self) -> CheckInData:
        data = self.cleaned_data
        return CheckInData(
            success=data["success"], blocker=data["blocker"], question=data["question"]
        )
