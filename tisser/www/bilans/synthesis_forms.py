"""Forms of the document de synthèse, its sharing and their actions. Each
carries the version the person saw, so that the services can refuse a stale write."""

from django import forms
from django.utils.translation import gettext_lazy as _


class VersionForm(forms.Form):
    """An action on the synthèse (submit, take back): only the version the person saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class SynthesisForm(VersionForm):
    circumstances = forms.CharField(
        label=_("1. Circonstances du bilan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Ancien article R6322-38 du Code du travail, que la profession suit toujours : les "
            "circonstances du bilan — la demande de la personne, sa situation, le cadre et le "
            "déroulement du bilan."
        ),
    )
    competences = forms.CharField(
        label=_("2. Compétences et aptitudes au regard du ou des projets"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Ancien article R6322-38 : les compétences et aptitudes de la personne, mises en "
            "regard de son ou ses projets professionnels et, le cas échéant, de formation."
        ),
    )
    projects = forms.CharField(
        label=_("3. Le ou les projets et leurs principales étapes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Ancien article R6322-38 : le ou les projets retenus et les principales étapes "
            "prévues pour les réaliser."
        ),
    )


class SynthesisReturnForm(VersionForm):
    prefix = "return"
    comment = forms.CharField(
        label=_("Ce que vous souhaitez voir changer"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={
            "required": _("Dites à votre conseiller·ère ce que vous souhaitez changer.")
        },
        help_text=_("Votre conseiller·ère le lira et reprendra la synthèse avec vous."),
    )


class SynthesisObservationsForm(VersionForm):
    prefix = "observations"
    observations = forms.CharField(
        label=_("Mes observations"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        required=False,
        help_text=_(
            "Ce que vous souhaitez ajouter à votre synthèse, avec vos mots : vos observations "
            "y figurent sous votre nom, à la suite du texte de votre conseiller·ère. Laissez "
            "vide pour ne rien ajouter."
        ),
        error_messages={"max_length": _("5 000 caractères au plus.")},
    )


class SynthesisValidateForm(VersionForm):
    prefix = "validate"
    confirm = forms.BooleanField(
        label=_(
            "J'ai relu mon document de synthèse et je le valide. Une fois validé, il ne sera "
            "plus modifié."
        ),
        error_messages={"required": _("Cochez cette case pour confirmer la validation.")},
    )


class SynthesisShareForm(forms.Form):
    prefix = "share"
    recipient_name = forms.CharField(label=_("Nom et prénom du destinataire"), max_length=200)
    recipient_email = forms.EmailField(
        label=_("Son adresse e-mail"),
        help_text=_("Le lien personnel pour télécharger votre synthèse lui sera envoyé ici."),
    )
    recipient_role = forms.CharField(
        label=_("Sa fonction"),
        max_length=200,
        help_text=_("Par exemple : conseiller·ère en évolution professionnelle."),
    )
    recipient_organisation = forms.CharField(
        label=_("Son organisme (facultatif)"), max_length=200, required=False
    )
    purpose = forms.CharField(
        label=_("Pourquoi lui transmettre votre synthèse ?"),
        max_length=500,
        help_text=_("Par exemple : préparer mon dossier de formation."),
    )
    to_cep = forms.BooleanField(
        label=_("Cette personne est mon ou ma conseiller·ère en évolution professionnelle (CEP)"),
        required=False,
        help_text=_(
            "Votre synthèse est alors conservée un an à partir d'aujourd'hui, pour qu'elle "
            "puisse la télécharger, même après la fin de votre bilan (article R6313-7 du Code "
            "du travail). Sinon, elle est détruite avec les autres documents le lendemain de "
            "la fin du bilan."
        ),
    )
    consent = forms.BooleanField(
        label=_(
            "J'accepte que mon document de synthèse soit transmis à cette personne. Je peux "
            "retirer cet accord à tout moment."
        ),
        error_messages={"required": _("Cochez cette case pour donner votre accord.")},
    )
