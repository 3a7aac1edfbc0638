"""Forms of the bilan's funding and its paperwork: the funding, funder and price, the
tripartite convention (R6313-8) and the self-funded contract (L6353-3 to L6353-7), their
transmission and signatures, and the beneficiary's acceptance. Each carries the version the
person saw, so that the services refuse a stale write."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from tisser.bilans.models import Bilan, Contract, Convention, Funding
from tisser.bilans.services.contract import FIELDS as CONTRACT_FIELDS
from tisser.bilans.services.contract import SIGNATURE_FIELDS as CONTRACT_SIGNATURE_FIELDS
from tisser.bilans.services.convention import FIELDS as CONVENTION_FIELDS
from tisser.bilans.services.convention import SIGNATURE_FIELDS as CONVENTION_SIGNATURE_FIELDS

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def price_field(**kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=_("Prix du bilan (euros, TTC)"),
        max_digits=9,
        decimal_places=2,
        min_value=Decimal("0"),
        error_messages={
            "required": _("Indiquez le prix du bilan."),
            "min_value": _("Le prix ne peut pas être négatif."),
            "invalid": _("Indiquez un montant en euros, par exemple 1800."),
            "max_digits": _("Ce montant est trop élevé."),
            "max_decimal_places": _("Deux chiffres après la virgule au plus."),
        },
        **kwargs,
    )


class FundingFieldsMixin(forms.Form):
    funding = forms.ChoiceField(
        label=_("Financement"),
        choices=Funding.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez le financement du bilan.")},
    )
    funder_name = forms.CharField(
        label=_("Financeur"),
        max_length=200,
        required=False,
        help_text=_(
            "Par exemple : l'employeur, son OPCO, la Caisse des Dépôts. Laissé vide : la "
            "Caisse des Dépôts pour le CPF, la personne pour un financement personnel ; pour "
            "une convention, l'employeur qu'elle nomme."
        ),
    )
    price_euros = price_field(
        help_text=_("Le prix qui figurera sur la convention ou le contrat, et dans le BPF.")
    )
    planned_hours = forms.DecimalField(
        label=_("Durée prévue (heures)"),
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("1"),
        max_value=Decimal("24"),
        initial=Decimal("24"),
        required=False,
        help_text=_("24 heures au plus (article L6313-4) : la base du taux de réalisation."),
        error_messages={
            "required": _("Indiquez la durée prévue du bilan."),
            "min_value": _("Indiquez une durée d'au moins une heure."),
            "max_value": _("Un bilan de compétences dure 24 heures au plus."),
        },
    )


class BilanFundingForm(FundingFieldsMixin):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    @classmethod
    def initial_of(cls, bilan: Bilan) -> dict:
        return {
            "funding": bilan.funding,
            "funder_name": bilan.funder_name,
            "price_euros": bilan.price_euros,
            "planned_hours": bilan.planned_hours,
            "version": bilan.version,
        }


class AcceptForm(forms.Form):
    """The beneficiary signs a document in the app: the version they read and their
    explicit agreement."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    confirm = forms.BooleanField(
        label=_("J'ai lu ce document et je l'accepte : cela vaut signature de ma part."),
        error_messages={"required": _("Cochez cette case pour signer.")},
    )


class ConventionForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    price_euros = price_field(
        help_text=_(
            "Montant toutes taxes comprises, à la charge de l'employeur : c'est aussi le prix "
            "du bilan."
        )
    )

    class Meta:
        model = Convention
        fields = (*CONVENTION_FIELDS[:-1], "price_euros", CONVENTION_FIELDS[-1])
        widgets = {
            "employer_address": forms.Textarea(attrs={"rows": 3}),
            "start_date": DATE_INPUT,
            "end_date": DATE_INPUT,
            **{
                name: forms.Textarea(attrs={"rows": 4})
                for name in (
                    "objective",
                    "content",
                    "human_means",
                    "material_means",
                    "phase_preliminary",
                    "phase_investigation",
                    "phase_conclusion",
                    "tools_methods",
                    "results_delivery",
                    "payment_terms",
                )
            },
        }
        help_texts = {
            "duration_hours": _("24 heures au plus (article R6313-4)."),
            "results_delivery": _(
                "Les résultats et la synthèse sont remis à la seule personne : la convention "
                "le rappelle dans tous les cas."
            ),
        }
        error_messages = {
            "duration_hours": {
                "max_value": _("Un bilan de compétences dure 24 heures au plus."),
                "min_value": _("Indiquez une durée d'au moins une heure."),
            },
        }


class ConventionSignaturesForm(forms.ModelForm):
    prefix = "signatures"
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = Convention
        fields = CONVENTION_SIGNATURE_FIELDS
        widgets = dict.fromkeys(CONVENTION_SIGNATURE_FIELDS[:-1], DATE_INPUT)
        help_texts = {
            "transmitted_on": _(
                "Le jour où le projet de convention a été remis à la personne : elle a dix "
                "jours à partir de ce jour pour l'accepter en la signant (article R6313-8)."
            ),
            "beneficiary_signed_on": _(
                "Si la personne l'a acceptée dans Tisser, cette date est déjà remplie."
            ),
            "signed_place": _("La ville où la convention est signée, pour « Fait à … »."),
        }


class ContractForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    price_euros = price_field(help_text=_("Le prix convenu, toutes taxes comprises."))

    class Meta:
        model = Contract
        fields = CONTRACT_FIELDS
        widgets = {
            "start_date": DATE_INPUT,
            "end_date": DATE_INPUT,
            **{
                name: forms.Textarea(attrs={"rows": 4})
                for name in (
                    "nature",
                    "objective",
                    "programme",
                    "prerequisites",
                    "conditions",
                    "means",
                    "assessment",
                    "trainers",
                    "payment_terms",
                    "early_end_terms",
                )
            },
        }
        help_texts = {
            "duration_hours": _("24 heures au plus (article R6313-4)."),
            "upfront_euros": _(
                "Payable à la fin du délai de rétractation, jamais avant, et au plus 30 % du "
                "prix (article L6353-6)."
            ),
            "trainers": _("Article L6353-4, 4° : à préciser, à peine de nullité du contrat."),
        }
        error_messages = {
            "duration_hours": {
                "max_value": _("Un bilan de compétences dure 24 heures au plus."),
                "min_value": _("Indiquez une durée d'au moins une heure."),
            },
            "upfront_euros": {"min_value": _("L'acompte ne peut pas être négatif.")},
        }

    field_order = ["price_euros", *CONTRACT_FIELDS]


class ContractSignaturesForm(forms.ModelForm):
    prefix = "signatures"
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = Contract
        fields = CONTRACT_SIGNATURE_FIELDS
        widgets = {name: DATE_INPUT for name in CONTRACT_SIGNATURE_FIELDS if name != "signed_place"}
        help_texts = {
            "signed_on": _(
                "Le délai de rétractation de dix jours court à partir de ce jour (article L6353-5)."
            ),
            "withdrawn_on": _(
                "Le jour où la lettre de rétractation a été reçue : elle met fin au contrat."
            ),
            "signed_place": _("La ville où le contrat est signé, pour « Fait à … »."),
        }
