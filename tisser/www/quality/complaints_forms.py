from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tisser.core.dates import french_date
from tisser.quality.models import ComplaintKind, ComplaintStatus, Relation
from tisser.www.quality.spam import SpamGuardedForm

KIND_HELP = _(
    "Une réclamation exprime un mécontentement envers l'organisme ; une difficulté signale "
    "un obstacle rencontré pendant l'accompagnement."
)


class ComplaintRaiseForm(forms.Form):
    """A member's complaint or difficulty, from their space."""

    kind = forms.ChoiceField(
        label=_("De quoi s'agit-il ?"),
        choices=ComplaintKind.choices,
        widget=forms.RadioSelect,
        help_text=KIND_HELP,
        error_messages={"required": _("Choisissez : réclamation ou difficulté.")},
    )
    bilan = forms.ModelChoiceField(
        label=_("Le bilan concerné (facultatif)"),
        queryset=None,
        required=False,
        empty_label=_("Aucun en particulier"),
    )
    subject = forms.CharField(
        label=_("Objet"),
        max_length=200,
        error_messages={"required": _("Donnez un objet en quelques mots.")},
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Ce qui s'est passé, quand, et ce que vous attendez de l'organisme."),
        error_messages={"required": _("Décrivez la situation : c'est ce qui permet d'y répondre.")},
    )

    def __init__(self, *args, bilans=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["bilan"]
        field.queryset = bilans
        field.label_from_instance = lambda bilan: (
            _("Bilan ouvert le %(date)s — %(name)s")
            % {
                "date": french_date(timezone.localtime(bilan.opened_at), "j F Y"),
                "name": bilan.beneficiary.get_full_name() or bilan.beneficiary.email,
            }
        )


class PublicComplaintForm(SpamGuardedForm):
    """The organisme's public form, for anyone without an account."""

    relation = forms.ChoiceField(
        label=_("Vous êtes"),
        choices=[("", _("Choisissez…")), *Relation.choices],
        error_messages={"required": _("Dites-nous qui vous êtes pour l'organisme.")},
    )
    name = forms.CharField(
        label=_("Votre nom"),
        max_length=200,
        error_messages={
            "required": _("Indiquez votre nom : l'organisme vous répondra personnellement.")
        },
    )
    email = forms.EmailField(
        label=_("Votre adresse e-mail"),
        help_text=_("La confirmation de réception, puis la réponse, vous y seront envoyées."),
        error_messages={
            "required": _("Indiquez votre adresse e-mail : la réponse vous y sera envoyée."),
            "invalid": _("Cette adresse e-mail ne semble pas valide (exemple : nom@exemple.fr)."),
        },
    )
    kind = ComplaintRaiseForm.base_fields["kind"]
    subject = ComplaintRaiseForm.base_fields["subject"]
    description = ComplaintRaiseForm.base_fields["description"]

    field_order = ["relation", "name", "email", "kind", "subject", "description"]


class ComplaintFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("État"), choices=[("", _("Tous")), *ComplaintStatus.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("Nature"), choices=[("", _("Toutes")), *ComplaintKind.choices], required=False
    )
    overdue = forms.BooleanField(label=_("En retard seulement"), required=False)


class ComplaintHandleForm(forms.Form):
    """The coordinator's form on a complaint: the answer and the internal notes; the button
    pressed says which step it is (`step`)."""

    answer = forms.CharField(
        label=_("Réponse à la personne"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("La personne la lira telle quelle (dans son espace ou par e-mail)."),
    )
    internal_notes = forms.CharField(
        label=_("Notes internes"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Vues des coordinateurs·rices seulement, jamais de la personne."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
