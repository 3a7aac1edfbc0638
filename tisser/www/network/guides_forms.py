"""Forms of the interview guides, the preparation of an enquête, its notes and synthesis."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tisser.network.models import GuideTheme, InterviewGuide, Verdict
from tisser.network.services.guides import QUESTION_MAX, TITLE_MAX
from tisser.network.services.notes import NOTE_MAX
from tisser.referentiel.models import Metier


class GuideForm(forms.Form):
    title = forms.CharField(label=_("Titre du guide"), max_length=TITLE_MAX)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Quand et comment utiliser ce guide ; les bénéficiaires la lisent."),
    )
    is_active = forms.BooleanField(
        label=_("Proposer ce guide aux bénéficiaires"), required=False, initial=True
    )


class GuideEditForm(GuideForm):
    """`version` is the one the editor was opened with."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class QuestionAddForm(forms.Form):
    """A question to add to one theme; one form per theme, prefixed by it so that the
    fields of the nine forms of a page have distinct ids."""

    theme = forms.ChoiceField(choices=GuideTheme.choices, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Nouvelle question"),
        max_length=QUESTION_MAX,
        error_messages={"required": _("Écrivez la question.")},
    )


class QuestionEditForm(forms.Form):
    theme = forms.ChoiceField(label=_("Thème"), choices=GuideTheme.choices)
    text = forms.CharField(
        label=_("Question"),
        max_length=QUESTION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Écrivez la question.")},
    )
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class GuideChooseForm(forms.Form):
    guide = forms.ModelChoiceField(
        label=_("Guide de l'organisme"),
        queryset=InterviewGuide.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Choisissez un guide.")},
    )

    def __init__(self, *args, guides, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guide"].queryset = guides
        self.fields["guide"].label_from_instance = lambda guide: (
            ngettext(
                "%(title)s (%(count)s question)",
                "%(title)s (%(count)s questions)",
                guide.question_count,
            )
            % {"title": guide.title, "count": guide.question_count}
        )


class NotesForm(forms.Form):
    """One textarea per theme (`text_<theme>`) and the version each was opened with
    (`version_<theme>`, 0 when the theme has no notes yet)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for theme in GuideTheme:
            self.fields[f"text_{theme.value}"] = forms.CharField(
                label=_("Mes notes : %(theme)s") % {"theme": theme.label},
                required=False,
                max_length=NOTE_MAX,
                widget=forms.Textarea(attrs={"rows": 5}),
            )
            self.fields[f"version_{theme.value}"] = forms.IntegerField(
                min_value=0, widget=forms.HiddenInput
            )

    @staticmethod
    def initial_from(notes: dict) -> dict:
        initial = {}
        for theme in GuideTheme:
            note = notes.get(theme.value)
            initial[f"text_{theme.value}"] = note.text if note else ""
            initial[f"version_{theme.value}"] = note.version if note else 0
        return initial

    def texts(self) -> dict[str, str]:
        return {theme.value: self.cleaned_data[f"text_{theme.value}"] for theme in GuideTheme}

    def versions(self) -> dict[str, int]:
        return {theme.value: self.cleaned_data[f"version_{theme.value}"] for theme in GuideTheme}


class SynthesisForm(forms.Form):
    prefix = "synthese"
    takeaways = forms.CharField(
        label=_("Ce que je retiens"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Les informations clés, ce qui vous a surpris·e, ce qui confirme ou contredit "
            "vos idées."
        ),
    )
    about_me = forms.CharField(
        label=_("Ce que cela me dit de moi"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Ce qui vous a attiré·e ou freiné·e, et pourquoi : vos valeurs, vos envies, "
            "vos limites."
        ),
    )
    verdict = forms.ChoiceField(
        label=_("Et maintenant ?"),
        required=False,
        choices=[("", _("Je ne sais pas encore")), *Verdict.choices],
        widget=forms.RadioSelect,
    )
    project = forms.ModelChoiceField(
        label=_("Projet de mon bilan concerné"),
        required=False,
        queryset=None,
        empty_label=_("Aucun projet"),
    )
    metier = forms.ModelChoiceField(
        label=_("Fiche métier explorée"),
        required=False,
        queryset=Metier.objects.none(),
        to_field_name="code_rome",
        empty_label=_("Aucune fiche"),
    )
    code_rome = forms.CharField(
        label=_("Ou un autre code ROME"),
        required=False,
        max_length=5,
        help_text=_("Par exemple M1805. Retrouvez un code avec la recherche de métiers."),
    )
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, projects, metiers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        self.fields["metier"].queryset = metiers
        self.fields["project"].label_from_instance = lambda project: project.title
        self.fields["metier"].label_from_instance = lambda metier: (
            f"{metier.libelle} ({metier.code_rome})"
        )

    def clean_code_rome(self):
        code = self.cleaned_data["code_rome"].strip().upper()
        if not code:
            return None
        metier = Metier.objects.filter(code_rome=code).first()
        if metier is None:
            raise forms.ValidationError(
                _("Aucune fiche ne porte le code « %(code)s » (exemple de code : M1805).")
                % {"code": code}
            )
        return metier

    def chosen_metier(self) -> Metier | None:
        return self.cleaned_data.get("code_rome") or self.cleaned_data.get("metier")
