"""The forms of the stakeholders' appraisals: the answers (built from the questions asked
now), the coordinator's edits of a questionnaire and the invitation of an employer or a
funder."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tisser.quality.models import INVITED_AUDIENCES, Question, QuestionKind
from tisser.quality.services.appraisals import TEXT_MAX, field_name

RATING_CHOICES = [
    ("1", _("1 — très insatisfaisant")),
    ("2", _("2 — insatisfaisant")),
    ("3", _("3 — correct")),
    ("4", _("4 — satisfaisant")),
    ("5", _("5 — très satisfaisant")),
]
YES_NO_CHOICES = [("yes", _("Oui")), ("no", _("Non"))]


class AnswersForm(forms.Form):
    """One field per question asked, named `q<id>`; the service checks the answers again and
    its messages come back next to the fields."""

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            name = field_name(question)
            if question.kind == QuestionKind.RATING:
                self.fields[name] = forms.ChoiceField(
                    label=question.text,
                    choices=RATING_CHOICES,
                    widget=forms.RadioSelect,
                    error_messages={"required": _("Choisissez une note de 1 à 5.")},
                )
            elif question.kind == QuestionKind.YES_NO:
                self.fields[name] = forms.ChoiceField(
                    label=question.text,
                    choices=YES_NO_CHOICES,
                    widget=forms.RadioSelect,
                    error_messages={"required": _("Répondez par oui ou par non.")},
                )
            else:
                self.fields[name] = forms.CharField(
                    label=question.text,
                    required=False,
                    max_length=TEXT_MAX,
                    widget=forms.Textarea(attrs={"rows": 4}),
                )

    def choice_fields(self) -> list[forms.BoundField]:
        return [
            self[name] for name in self.fields if isinstance(self.fields[name], forms.ChoiceField)
        ]

    def ordered(self) -> list[tuple[bool, forms.BoundField]]:
        """(is a radio group, field) in the questions' order."""
        return [
            (isinstance(self.fields[name], forms.ChoiceField), self[name]) for name in self.fields
        ]


class QuestionAddForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Nouvelle question"),
        max_length=300,
        error_messages={"required": _("Écrivez la question.")},
    )
    kind = forms.ChoiceField(
        label=_("Type de réponse"),
        choices=QuestionKind.choices,
        initial=QuestionKind.RATING,
        error_messages={"required": _("Choisissez le type de réponse.")},
    )


class QuestionEditForm(forms.Form):
    """Reword (`text`), move (`action` up / down) or retire a question."""

    ACTIONS = ("reword", "up", "down", "retire")
    version = forms.IntegerField(widget=forms.HiddenInput)
    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS], widget=forms.HiddenInput)
    text = forms.CharField(label=_("Formulation"), max_length=300, required=False)


class InvitationForm(forms.Form):
    bilan = forms.TypedChoiceField(
        label=_("Bilan"),
        coerce=int,
        error_messages={
            "required": _("Choisissez le bilan."),
            "invalid_choice": _("Choisissez le bilan."),
        },
    )
    audience = forms.ChoiceField(
        label=_("Qui donne son avis"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez l'employeur ou le financeur.")},
    )
    recipient_name = forms.CharField(
        label=_("Structure (facultatif)"),
        help_text=_("Par exemple : le nom de l'entreprise, de l'OPCO ou de France Travail."),
        max_length=200,
        required=False,
    )
    email = forms.EmailField(
        label=_("Adresse e-mail de la personne à interroger"),
        error_messages={
            "required": _("Indiquez l'adresse e-mail."),
            "invalid": _("Cette adresse e-mail n'est pas valide (exemple : nom@entreprise.fr)."),
        },
    )

    def __init__(self, *args, bilans: list[tuple[int, str]], audiences, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bilan"].choices = [("", _("Choisissez un bilan")), *bilans]
        self.fields["audience"].choices = [
            (audience.value, audience.label)
            for audience in INVITED_AUDIENCES
            if audience in audiences
        ]
        if len(self.fields["audience"].choices) == 1:
            self.fields["audience"].initial = self.fields["audience"].choices[0][0]
