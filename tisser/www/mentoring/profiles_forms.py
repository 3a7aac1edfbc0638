"""Forms of the mentor profile, the mentee needs and the coordinator's pool pages."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from tisser.mentoring.models import (
    MAX_CAPACITY,
    WEEKDAYS,
    DaySlot,
    DeclaredConflict,
    HelpKind,
    Language,
    MeetingPreference,
    MenteeProfile,
    MentorProfile,
    availability_bit,
)
from tisser.mentoring.services import MenteeNeedsData, MentorProfileData, mentor_skill_choices
from tisser.referentiel.models import Competence, DomaineProfessionnel, Metier, SecteurActivite
from tisser.www.people_search import people_matching

MAX_FICHES = 10


def availability_keys(bits: int) -> list[str]:
    return [
        f"{day}-{slot.value}"
        for day in range(7)
        for slot in DaySlot
        if bits & availability_bit(day, slot.value)
    ]


class AvailabilityField(forms.MultipleChoiceField):
    """The 21 slots of a week as "day-slot" keys in the form, a bitset once cleaned."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(
            choices=[
                (f"{day}-{slot.value}", f"{WEEKDAYS[day]} {slot.label}")
                for day in range(7)
                for slot in DaySlot
            ],
            **kwargs,
        )

    def clean(self, value):
        bits = 0
        for key in super().clean(value):
            day, slot = (int(part) for part in key.split("-"))
            bits |= availability_bit(day, slot)
        return bits


def fiche_codes(values) -> list[str]:
    """ROME codes from checkboxes and from "A1901, D1902" typed in the add box, in order."""
    codes: list[str] = []
    for value in values or []:
        codes += re.split(r"[\s,;]+", str(value).strip().upper())
    return list(dict.fromkeys(code for code in codes if code))


class FicheCodesField(forms.Field):
    """Several fiches métier by their ROME codes (see `_fiche_picker.html`)."""

    widget = forms.MultipleHiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value):
        codes = fiche_codes(value)
        metiers = {
            metier.code_rome: metier
            for metier in Metier.objects.filter(code_rome__in=codes).select_related("domaine")
        }
        unknown = [code for code in codes if code not in metiers]
        if unknown:
            raise forms.ValidationError(
                _(
                    "Fiche métier introuvable : %(codes)s. Vérifiez le code ROME (une lettre et "
                    "quatre chiffres, par exemple A1203) ou cherchez le métier par son nom."
                )
                % {"codes": ", ".join(unknown)}
            )
        if len(codes) > MAX_FICHES:
            raise forms.ValidationError(_("%(max)s fiches au plus.") % {"max": MAX_FICHES})
        if self.required and not codes:
            raise forms.ValidationError(self.error_messages["required"])
        return [metiers[code] for code in codes]


def _logistics_fields():
    return {
        "availability": AvailabilityField(
            label=_("Mes disponibilités habituelles"),
            help_text=_("Cochez les moments de la semaine où une rencontre est possible."),
        ),
        "languages": forms.MultipleChoiceField(
            label=_("Langues dans lesquelles je peux échanger"),
            choices=Language.choices,
            widget=forms.CheckboxSelectMultiple,
            required=False,
        ),
        "mode": forms.ChoiceField(
            label=_("Modalité des rencontres"),
            choices=MeetingPreference.choices,
            widget=forms.RadioSelect,
        ),
        "departement": forms.CharField(
            label=_("Département"),
            max_length=3,
            required=False,
            help_text=_(
                "Obligatoire si des rencontres en présentiel sont possibles : 01 à 95, 2A, 2B "
                "ou 971 à 976 (par exemple 69)."
            ),
            widget=forms.TextInput(attrs={"size": 4, "autocomplete": "off"}),
        ),
    }


class MentorProfileForm(forms.Form):
    headline = forms.CharField(
        label=_("Poste ou activité actuelle"),
        max_length=200,
        help_text=_("Par exemple : cheffe d'atelier en menuiserie, infirmier retraité…"),
    )
    career_path = forms.CharField(
        label=_("Mon parcours professionnel"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Les grandes étapes, ce que vous avez appris en chemin."),
    )
    reconversion = forms.CharField(
        label=_("Ma propre reconversion (facultatif)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Si vous avez vous-même changé de métier : ce qui vous a aidé·e."),
    )
    current_fiches = FicheCodesField(label=_("Mes métiers actuels"))
    past_fiches = FicheCodesField(label=_("Métiers que j'ai exercés"))
    extra_domaines = forms.ModelMultipleChoiceField(
        label=_("Autres domaines professionnels que je connais bien"),
        queryset=DomaineProfessionnel.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Les domaines de vos fiches métier sont déjà pris en compte."),
    )
    skills = forms.ModelMultipleChoiceField(
        label=_("Compétences que je peux transmettre"),
        queryset=Competence.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    sectors = forms.ModelMultipleChoiceField(
        label=_("Secteurs d'activité que je connais"),
        queryset=SecteurActivite.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    help_offered = forms.MultipleChoiceField(
        label=_("Ce sur quoi je peux aider"),
        choices=HelpKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    capacity = forms.IntegerField(
        label=_("Nombre maximum de personnes accompagnées en même temps"),
        min_value=1,
        max_value=MAX_CAPACITY,
        help_text=_("De 1 à %(max)s. Une heure par mois et par personne, en général.")
        % {"max": MAX_CAPACITY},
        error_messages={
            "invalid": _("Indiquez un nombre entier."),
            "min_value": _("Au moins 1 personne."),
            "max_value": _("Au plus %(limit_value)s personnes."),
        },
    )
    capacity_acknowledged = forms.BooleanField(
        label=_(
            "Je confirme : je garde mes mentorats en cours et ne reçois pas de nouvelle "
            "personne tant que j'accompagne autant de personnes que ma capacité ou plus."
        ),
        required=False,
    )
    motivation = forms.CharField(
        label=_("Pourquoi je deviens mentor"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    employer = forms.CharField(
        label=_("Mon employeur actuel (privé)"),
        max_length=200,
        required=False,
        help_text=_(
            "Vu seulement par la coordination, jamais par les personnes accompagnées : il évite "
            "de vous proposer quelqu'un de votre propre entreprise."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_logistics_fields())
        self.fields["languages"].label = _("Langues dans lesquelles je peux accompagner")
        # Long lists of boxes in columns: the profile is no longer a wall (ADR 0025).
        for name in ("extra_domaines", "sectors", "help_offered", "languages"):
            self.fields[name].widget.attrs["class"] = "check-columns"
        self.fields["extra_domaines"].queryset = DomaineProfessionnel.objects.order_by("code")
        self.fields["sectors"].queryset = SecteurActivite.objects.filter(
            parent__isnull=True
        ).order_by("libelle")
        codes = fiche_codes(self._values("current_fiches") + self._values("past_fiches"))
        by_code = {m.code_rome: m for m in Metier.objects.filter(code_rome__in=codes)}
        self.fiches = [by_code[code] for code in codes if code in by_code]
        self.skill_groups = mentor_skill_choices(self.fiches)
        self.fields["skills"].queryset = Competence.objects.filter(
            pk__in=[skill.pk for _metier, skills in self.skill_groups for skill in skills]
        )

    def _values(self, name: str) -> list[str]:
        if self.is_bound:
            return self.data.getlist(name) if hasattr(self.data, "getlist") else []
        value = self.initial.get(name) or []
        return list(value) if isinstance(value, list | tuple) else [value]

    def selected_skills(self) -> set[str]:
        value = self["skills"].value() or []
        return {str(item) for item in value}

    @staticmethod
    def initial_from(profile: MentorProfile | None) -> dict:
        if profile is None:
            return {
                "version": 0,
                "capacity": 2,
                "languages": [Language.FR],
                "mode": MeetingPreference.REMOTE,
            }
        derived = set(profile.current_fiches.values_list("domaine_id", flat=True)) | set(
            profile.past_fiches.values_list("domaine_id", flat=True)
        )
        return {
            "headline": profile.headline,
            "career_path": profile.career_path,
            "reconversion": profile.reconversion,
            "current_fiches": list(
                profile.current_fiches.order_by("code_rome").values_list("code_rome", flat=True)
            ),
            "past_fiches": list(
                profile.past_fiches.order_by("code_rome").values_list("code_rome", flat=True)
            ),
            "extra_domaines": [
                pk for pk in profile.domaines.values_list("pk", flat=True) if pk not in derived
            ],
            "skills": [str(pk) for pk in profile.skills.values_list("pk", flat=True)],
            "sectors": list(profile.sectors.values_list("pk", flat=True)),
            "help_offered": profile.help_offered,
            "capacity": profile.capacity,
            "availability": availability_keys(profile.availability),
            "languages": profile.languages,
            "mode": profile.mode,
            "departement": profile.departement,
            "motivation": profile.motivation,
            "employer": profile.employer,
            "version": profile.version,
        }

    def to_data(self) -> MentorProfileData:
        data = self.cleaned_data
        return MentorProfileData(
            headline=data["headline"],
            career_path=data["career_path"],
            reconversion=data["reconversion"],
            motivation=data["motivation"],
            current_fiches=data["current_fiches"],
            past_fiches=data["past_fiches"],
            extra_domaines=list(data["extra_domaines"]),
            skills=list(data["skills"]),
            sectors=list(data["sectors"]),
            help_offered=data["help_offered"],
            capacity=data["capacity"],
            availability=data["availability"],
            languages=data["languages"],
            mode=data["mode"],
            departement=data["departement"],
            employer=data["employer"],
            capacity_acknowledged=data["capacity_acknowledged"],
        )

    def capacity_needs_acknowledgement(self) -> bool:
        """Show the confirmation box: the service asked for it, or it was ticked."""
        if not self.is_bound:
            return False
        if self.data.get("capacity_acknowledged"):
            return True
        return any(
            error.code == "below_current" for error in self.errors.as_data().get("capacity", [])
        )


class MenteeNeedsForm(forms.Form):
    seeking = forms.BooleanField(
        label=_("Je cherche un·e mentor en ce moment"),
        required=False,
        help_text=_("Décochez pour ne plus apparaître dans les tours d'appariement."),
    )
    target_fiches = FicheCodesField(label=_("Les métiers que je vise"))
    help_wanted = forms.MultipleChoiceField(
        label=_("Ce sur quoi j'aimerais être aidé·e"),
        choices=HelpKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    wishes = forms.CharField(
        label=_("Ce que j'attends d'un·e mentor"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Vu par les mentors que vous sollicitez et par la coordination."),
    )
    employer = forms.CharField(
        label=_("Mon employeur actuel ou dernier employeur (privé)"),
        max_length=200,
        required=False,
        help_text=_(
            "Jamais montré aux mentors : il évite de vous proposer quelqu'un de votre entreprise."
        ),
    )
    share_project = forms.BooleanField(
        label=_("Partager mon projet privilégié"),
        required=False,
        help_text=_(
            "L'intitulé du projet que vous avez choisi pendant votre bilan, par exemple "
            "« Devenir ébéniste »."
        ),
    )
    share_targets = forms.BooleanField(
        label=_("Partager mes métiers visés"),
        required=False,
        help_text=_(
            "Les fiches métier ci-dessus. Sans votre accord, elles servent seulement à vous "
            "proposer des mentors proches de votre projet : aucun mentor ne les voit."
        ),
    )
    share_gap = forms.BooleanField(
        label=_("Partager les compétences que je veux acquérir"),
        required=False,
        help_text=_(
            "Les compétences clés de votre premier métier visé que votre bilan n'a pas encore "
            "repérées chez vous : un·e mentor peut alors vous aider à les développer."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_logistics_fields())

    @staticmethod
    def initial_from(profile: MenteeProfile | None, targets: list[Metier] = ()) -> dict:
        if profile is None:
            return {
                "version": 0,
                "seeking": True,
                "target_fiches": [metier.code_rome for metier in targets],
                "languages": [Language.FR],
                "mode": MeetingPreference.REMOTE,
            }
        return {
            "seeking": profile.seeking,
            "target_fiches": list(
                profile.target_fiches.order_by("code_rome").values_list("code_rome", flat=True)
            ),
            "help_wanted": profile.help_wanted,
            "wishes": profile.wishes,
            "availability": availability_keys(profile.availability),
            "languages": profile.languages,
            "mode": profile.mode,
            "departement": profile.departement,
            "employer": profile.employer,
            "share_project": profile.share_project,
            "share_targets": profile.share_targets,
            "share_gap": profile.share_gap,
            "version": profile.version,
        }

    def to_data(self) -> MenteeNeedsData:
        data = self.cleaned_data
        return MenteeNeedsData(
            seeking=data["seeking"],
            target_fiches=data["target_fiches"],
            help_wanted=data["help_wanted"],
            wishes=data["wishes"],
            availability=data["availability"],
            languages=data["languages"],
            mode=data["mode"],
            departement=data["departement"],
            employer=data["employer"],
            share_project=data["share_project"],
            share_targets=data["share_targets"],
            share_gap=data["share_gap"],
        )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[
            ("validate", _("Valider le profil : il devient visible des personnes accompagnées")),
            ("reject", _("Renvoyer au mentor pour qu'il le revoie")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez de valider ou de renvoyer le profil.")},
    )
    note = forms.CharField(
        label=_("Remarque pour le mentor"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoire pour un renvoi : dites ce qu'il faut revoir."),
    )


class CohortForm(forms.Form):
    cohort = forms.CharField(label=_("Promotion"), max_length=100, required=False)


class ConflictForm(forms.Form):
    mentee = forms.ModelChoiceField(
        label=_("Personne accompagnée"),
        queryset=MenteeProfile.objects.none(),
        empty_label=_("— Choisir —"),
        error_messages={"required": _("Choisissez la personne accompagnée.")},
    )
    mentor = forms.ModelChoiceField(
        label=_("Mentor"),
        queryset=MentorProfile.objects.none(),
        empty_label=_("— Choisir —"),
        error_messages={"required": _("Choisissez le ou la mentor.")},
    )
    reason = forms.ChoiceField(
        label=_("Motif"),
        choices=DeclaredConflict.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez un motif.")},
    )
    note = forms.CharField(
        label=_("Précision (facultative)"),
        max_length=300,
        required=False,
        help_text=_("Factuelle et brève : elle reste dans l'espace de coordination."),
    )

    # Options offered in each list: the first by name, or those a search found.
    OPTIONS = 50

    def __init__(self, *args, mentees, mentors, mentee_search="", mentor_search="", **kwargs):
        """`mentees` and `mentors` are every profile one may choose (what a post is checked
        against); each list offers only OPTIONS of them, by name, narrowed by its search,
        and the one posted back."""
        super().__init__(*args, **kwargs)
        self.fields["mentee"].queryset = mentees
        self.fields["mentor"].queryset = mentors
        mentee_label = lambda p: p.user.get_full_name() or str(p.user)  # noqa: E731
        mentor_label = lambda p: f"{p.user.get_full_name()} — {p.headline}"  # noqa: E731
        self.fields["mentee"].label_from_instance = mentee_label
        self.fields["mentor"].label_from_instance = mentor_label
        # The searches that found nobody, by field: said next to the search field.
        self.none_found: dict[str, str] = {}
        for name, queryset, search, label in (
            ("mentee", mentees, mentee_search, mentee_label),
            ("mentor", mentors, mentor_search, mentor_label),
        ):
            self.fields[name].widget.choices = self._options(name, queryset, search, label)

    def _options(self, name, queryset, search, label) -> list:
        ordered = queryset.order_by("user__last_name", "user__first_name", "id")
        narrowed = people_matching(ordered, search, user="user")
        chosen = list(narrowed[: self.OPTIONS])
        if search and not chosen:
            self.none_found[name] = search
        posted = self.data.get(name) if self.is_bound else None
        if posted and str(posted).isdigit() and all(p.pk != int(posted) for p in chosen):
            chosen += list(ordered.filter(pk=int(posted)))
        return [("", self.fields[name].empty_label)] + [(p.pk, label(p)) for p in chosen]
