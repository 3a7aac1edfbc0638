"""Forms of Mon réseau: contacts, their filters, the fiche picker, the enquête pipeline."""

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tisser.network.models import Channel, Contact, HowKnown, InformationalInterview, Stage
from tisser.network.services import ContactData
from tisser.referentiel.models import Metier

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
# "Présenté·e par" offers this many of the person's contacts, narrowed by a search: a
# network of thousands of contacts is not one <select> (ADR 0030).
INTRODUCER_CHOICES = 50
INTRODUCER_QUERY_MAX_LENGTH = 200


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_FORMAT)


class MetierCodeField(forms.CharField):
    """A fiche métier by its ROME code ("" for none), chosen with the fiche picker."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 5)
        super().__init__(**kwargs)

    def clean(self, value):
        code = (super().clean(value) or "").strip().upper()
        if not code:
            return None
        metier = Metier.objects.filter(code_rome=code).first()
        if metier is None:
            raise forms.ValidationError(_("Cette fiche métier n'existe pas : choisissez-en une."))
        return metier


class ContactForm(forms.Form):
    first_name = forms.CharField(label=_("Prénom"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Nom"), max_length=100, required=False)
    job_title = forms.CharField(label=_("Fonction"), max_length=200, required=False)
    company = forms.CharField(label=_("Structure"), max_length=200, required=False)
    sector = forms.CharField(
        label=_("Secteur"),
        max_length=200,
        required=False,
        help_text=_("Par exemple : santé, industrie, fonction publique…"),
    )
    metier = MetierCodeField(label=_("Fiche métier"))
    how_known = forms.ChoiceField(
        label=_("Comment je connais cette personne"),
        choices=[("", _("— Choisir —")), *HowKnown.choices],
        required=False,
    )
    introduced_by = forms.ModelChoiceField(
        label=_("Présenté·e par"),
        queryset=Contact.objects.none(),
        required=False,
        empty_label=_("— Personne —"),
        help_text=_("Un de vos contacts qui vous a mis en relation : le fil de votre réseau."),
    )
    channel = forms.ChoiceField(
        label=_("Moyen de contact privilégié"),
        choices=[("", _("— Aucun en particulier —")), *Channel.choices],
        required=False,
    )
    email = forms.CharField(
        label=_("Adresse e-mail"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Téléphone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        help_text=_("06 12 34 56 78, ou avec l'indicatif du pays : +44 20 7946 0958"),
    )
    link = forms.CharField(
        label=_("Profil en ligne ou autre coordonnée"), max_length=300, required=False
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Pour vous : restez factuel, la personne peut vous demander d'effacer ses données."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    then_interview = forms.BooleanField(
        label=_("Préparer ensuite une enquête-métier avec cette personne"), required=False
    )

    def __init__(self, *args, owner, instance: Contact | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = Contact.objects.filter(owner=owner)
        if instance is not None:
            choices = choices.exclude(pk=instance.pk)
            del self.fields["then_interview"]
        # What is posted is checked against all the person's contacts; what is offered is
        # bounded (`introducer_choices_set`).
        self.fields["introduced_by"].queryset = choices.order_by("last_name", "first_name", "id")
        self.introducer = self.introducer_choices_set(choices)

    def introducer_choices_set(self, choices) -> dict:
        """Offer the contact chosen, then the first `INTRODUCER_CHOICES` by name, or those
        whose name or structure holds the search (`introduced_by_q`); say how many matched."""
        data = self.data if self.is_bound else self.initial
        query = str(data.get("introduced_by_q") or "").strip()[:INTRODUCER_QUERY_MAX_LENGTH]
        selected = str(data.get("introduced_by") or "")
        offered = choices.order_by("last_name", "first_name", "id")
        if query:
            for word in query.split()[:5]:
                offered = offered.filter(
                    Q(first_name__icontains=word)
                    | Q(last_name__icontains=word)
                    | Q(company__icontains=word)
                )
        shown = list(offered.only("id", "first_name", "last_name")[: INTRODUCER_CHOICES + 1])
        more = len(shown) > INTRODUCER_CHOICES
        shown = shown[:INTRODUCER_CHOICES]
        if selected.isdigit() and all(str(contact.pk) != selected for contact in shown):
            chosen = choices.filter(pk=int(selected)).only("id", "first_name", "last_name")
            shown = [*chosen, *shown]
        field: Any = self.fields["introduced_by"]
        field.widget.choices = [("", field.empty_label), *((c.pk, str(c)) for c in shown)]
        return {"query": query, "more": more, "shown": len(shown), "limit": INTRODUCER_CHOICES}

    def to_data(self) -> ContactData:
        data = self.cleaned_data
        return ContactData(
            first_name=data["first_name"],
            last_name=data["last_name"],
            job_title=data["job_title"],
            company=data["company"],
            metier=data["metier"],
            sector=data["sector"],
            how_known=data["how_known"],
            introduced_by=data["introduced_by"],
            channel=data["channel"],
            email=data["email"],
            phone=data["phone"],
            link=data["link"],
            notes=data["notes"],
        )

    @staticmethod
    def initial_from(contact: Contact) -> dict:
        return {
            "first_name": contact.first_name,
            "last_name": contact.last_name,
            "job_title": contact.job_title,
            "company": contact.company,
            "sector": contact.sector,
            "metier": contact.metier.code_rome if contact.metier_id else "",
            "how_known": contact.how_known,
            "introduced_by": contact.introduced_by_id,
            "channel": contact.channel,
            "email": contact.email,
            "phone": contact.phone,
            "link": contact.link,
            "notes": contact.notes,
            "version": contact.version,
        }


class ContactFilterForm(forms.Form):
    q = forms.CharField(label=_("Nom ou structure"), max_length=100, required=False)
    how_known = forms.ChoiceField(label=_("Comment je connais la personne"), required=False)
    sector = forms.ChoiceField(label=_("Secteur"), required=False)
    fiche = forms.ChoiceField(label=_("Fiche métier"), required=False)

    def __init__(self, *args, sectors, fiches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["how_known"].choices = [("", _("Toutes les façons")), *HowKnown.choices]
        self.fields["sector"].choices = [("", _("Tous les secteurs"))] + [
            (sector, sector) for sector in sectors
        ]
        self.fields["fiche"].choices = [("", _("Toutes les fiches"))] + [
            (metier.code_rome, f"{metier.libelle} ({metier.code_rome})") for metier in fiches
        ]


class InterviewFilterForm(forms.Form):
    fiche = forms.ChoiceField(label=_("Fiche métier"), required=False)

    def __init__(self, *args, fiches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiche"].choices = [("", _("Toutes les fiches"))] + [
            (metier.code_rome, f"{metier.libelle} ({metier.code_rome})") for metier in fiches
        ]


class InterviewStartForm(forms.Form):
    metier = MetierCodeField(label=_("Fiche métier explorée"))
    project = forms.ModelChoiceField(
        label=_("Projet"),
        queryset=None,
        required=False,
        empty_label=_("— Aucun projet en particulier —"),
    )

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects


class AdvanceForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("Nouvelle étape"), choices=Stage.choices)
    at = forms.DateTimeField(
        label=_("Date de l'étape"),
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        help_text=_("Laissez vide pour maintenant."),
    )
    meeting_at = forms.DateTimeField(
        label=_("Date et heure du rendez-vous"),
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        help_text=_("Nécessaire pour l'étape « Rendez-vous fixé »."),
    )
    next = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, stages=None, **kwargs):
        super().__init__(*args, **kwargs)
        if stages is not None:
            self.fields["to_stage"].choices = [(stage.value, stage.label) for stage in stages]


Outcome = InformationalInterview.Outcome


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Suite de l'enquête"), choices=Outcome.choices, widget=forms.RadioSelect
    )


class ReferredForm(forms.Form):
    """The contact recommended at the end of an interview (optional)."""

    first_name = forms.CharField(label=_("Prénom"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Nom"), max_length=100, required=False)
    job_title = forms.CharField(label=_("Fonction"), max_length=200, required=False)
    company = forms.CharField(label=_("Structure"), max_length=200, required=False)
    email = forms.CharField(label=_("Adresse e-mail"), max_length=254, required=False)
    phone = forms.CharField(label=_("Téléphone"), max_length=30, required=False)

    def is_empty(self) -> bool:
        return not any((self.cleaned_data.get(name) or "").strip() for name in self.fields)

    def to_data(self) -> ContactData:
        data = self.cleaned_data
        return ContactData(
            last_name=data["last_name"],
            first_name=data["first_name"],
            job_title=data["job_title"],
            company=data["company"],
            email=data["email"],
            phone=data["phone"],
            how_known=HowKnown.INTRODUCED,
        )


class SharingForm(forms.Form):
    with_consultant = forms.BooleanField(
        label=_("Partager le détail de mon réseau avec mon conseiller·ère"),
        required=False,
        help_text=_(
            "Votre conseiller·ère voit toujours le nombre de vos contacts et l'avancée de vos "
            "enquêtes. En partageant, il ou elle voit aussi les noms, vos notes et le détail "
            "de vos enquêtes. Vous pouvez arrêter de partager à tout moment."
        ),
    )
