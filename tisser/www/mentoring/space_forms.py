"""Forms of the mentorship space. Several forms share the space page: prefixes keep their
field ids unique."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tisser.meetings.models import MeetingMode
from tisser.mentoring.models import DEFAULT_DURATION_MONTHS, Agreement, Goal, ProgressUpdate
from tisser.mentoring.services import AgreementData
from tisser.mentoring.services.space import MAX_DURATION_MONTHS
from tisser.mentoring.services.space_lifecycle import MAX_EXTENSION_MONTHS
from tisser.www.meetings.forms import DATE_INPUT, TIME_INPUT, local_datetime

DEFAULT_CONFIDENTIALITY = _(
    "Ce qui se dit dans nos rencontres reste entre nous. Aucun de nous ne partage avec "
    "d'autres personnes les informations personnelles ou professionnelles de l'autre sans "
    "son accord. La coordination de l'organisme ne voit que les dates, le nombre de "
    "rencontres et les notes moyennes des avis, jamais leur contenu."
)

FREQUENCIES = [
    (1, _("Une rencontre par mois")),
    (2, _("Une rencontre toutes les deux semaines")),
]


class AgreementForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    goals_summary = forms.CharField(
        label=_("Objectifs du mentorat"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ce que vous voulez avoir accompli ensemble à la fin du mentorat."),
    )
    mentee_expectations = forms.CharField(
        label=_("Ce que la personne mentorée attend"), widget=forms.Textarea(attrs={"rows": 3})
    )
    mentor_commitment = forms.CharField(
        label=_("Ce que le ou la mentor propose"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Par exemple : partager son expérience, présenter des contacts, relire un CV."),
    )
    meetings_per_month = forms.TypedChoiceField(
        label=_("Fréquence des rencontres"), choices=FREQUENCIES, coerce=int, initial=1
    )
    meeting_minutes = forms.IntegerField(
        label=_("Durée d'une rencontre (minutes)"), min_value=15, max_value=240, initial=60
    )
    duration_months = forms.IntegerField(
        label=_("Durée du mentorat (mois)"),
        min_value=1,
        max_value=MAX_DURATION_MONTHS,
        initial=DEFAULT_DURATION_MONTHS,
        help_text=_("Six mois en général ; il pourra être prolongé."),
    )
    confidentiality = forms.CharField(
        label=_("Confidentialité"),
        widget=forms.Textarea(attrs={"rows": 4}),
        initial=DEFAULT_CONFIDENTIALITY,
    )
    first_meeting_date = forms.DateField(
        label=_("Date de la première rencontre"), widget=DATE_INPUT
    )
    first_meeting_time = forms.TimeField(label=_("Heure"), widget=TIME_INPUT)
    first_meeting_mode = forms.ChoiceField(
        label=_("Modalité"), choices=MeetingMode.choices, initial=MeetingMode.VIDEO
    )
    first_meeting_place = forms.CharField(
        label=_("Lien de visioconférence, adresse ou numéro de téléphone"),
        max_length=500,
        required=False,
    )

    @classmethod
    def initial_from(cls, agreement: Agreement | None) -> dict:
        if agreement is None:
            return {}
        initial = {
            name: getattr(agreement, name)
            for name in (
                "goals_summary",
                "mentee_expectations",
                "mentor_commitment",
                "meetings_per_month",
                "meeting_minutes",
                "duration_months",
                "confidentiality",
                "first_meeting_mode",
                "first_meeting_place",
                "version",
            )
        }
        if agreement.first_meeting_at is not None:
            local = timezone.localtime(agreement.first_meeting_at)
            initial |= {"first_meeting_date": local.date(), "first_meeting_time": local.time()}
        return initial

    def clean(self):
        cleaned = super().clean()
        day, at = cleaned.get("first_meeting_date"), cleaned.get("first_meeting_time")
        cleaned["first_meeting_at"] = None
        if day is not None and at is not None:
            start = local_datetime(day, at)
            if start <= timezone.now():
                self.add_error("first_meeting_date", _("Choisissez une date et une heure à venir."))
            cleaned["first_meeting_at"] = start
        return cleaned

    def to_data(self) -> AgreementData:
        data = self.cleaned_data
        return AgreementData(
            goals_summary=data["goals_summary"].strip(),
            mentee_expectations=data["mentee_expectations"].strip(),
            mentor_commitment=data["mentor_commitment"].strip(),
            meeting_minutes=data["meeting_minutes"],
            meetings_per_month=data["meetings_per_month"],
            confidentiality=data["confidentiality"].strip(),
            duration_months=data["duration_months"],
            first_meeting_at=data["first_meeting_at"],
            first_meeting_mode=data["first_meeting_mode"],
            first_meeting_place=data["first_meeting_place"].strip(),
        )


class GoalForm(forms.Form):
    prefix = "goal"
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Objectif"), max_length=300)
    success_criteria = forms.CharField(
        label=_("Comment saurons-nous qu'il est atteint ?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    status = forms.ChoiceField(label=_("État"), choices=Goal.Status.choices, required=False)


class UpdateForm(forms.Form):
    """A typed message to the other member; both may send every type (ADR 0025)."""

    prefix = "update"
    kind = forms.ChoiceField(
        label=_("Type de message"),
        choices=ProgressUpdate.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez le type de message.")},
    )
    text = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}))
    goal = forms.ModelChoiceField(
        label=_("À propos de l'objectif (facultatif)"),
        queryset=Goal.objects.none(),
        required=False,
        empty_label=_("Aucun en particulier"),
    )

    def __init__(self, *args, goals, is_mentee: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = goals
        # What each most often sends: the mentor encourages, the mentee gives news.
        self.fields["kind"].initial = (
            ProgressUpdate.Kind.UPDATE if is_mentee else ProgressUpdate.Kind.ENCOURAGEMENT
        )


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Dans l'ensemble, de 1 (pas du tout satisfait·e) à 5 (très satisfait·e)"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    going_well = forms.CharField(
        label=_("Ce qui fonctionne"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    to_improve = forms.CharField(
        label=_("Ce qui pourrait être amélioré"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CloseForm(forms.Form):
    prefix = "close"
    version = forms.IntegerField(widget=forms.HiddenInput)
    summary = forms.CharField(
        label=_("Bilan de fin"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Où en êtes-vous ? Ce que le mentorat a apporté, la suite envisagée."),
    )


class PauseForm(forms.Form):
    prefix = "pause"
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Motif (facultatif)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Lu par l'autre personne ; la coordination voit seulement que le mentorat est en pause."
        ),
    )


class ResumeForm(forms.Form):
    prefix = "resume"
    version = forms.IntegerField(widget=forms.HiddenInput)


class ExtendForm(forms.Form):
    prefix = "extend"
    version = forms.IntegerField(widget=forms.HiddenInput)
    months = forms.TypedChoiceField(label=_("Prolonger de"), coerce=int, initial=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["months"].choices = [
            (n, ngettext("%(n)s mois", "%(n)s mois", n) % {"n": n})
            for n in range(1, MAX_EXTENSION_MONTHS + 1)
        ]
