from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from tisser.network.models import HowKnown

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
ACCEPTED_TYPES = ".csv,.txt,.vcf,.vcard,text/csv,text/plain,text/vcard,text/x-vcard"


class ContactsImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier de contacts"),
        help_text=_(
            "Un fichier CSV (exporté d'Excel, LibreOffice, Outlook, Google Contacts ou "
            "LinkedIn) ou vCard (.vcf), de 5 Mo au plus. La première ligne d'un CSV nomme les "
            "colonnes, dont au moins « Nom »."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED_TYPES}),
        error_messages={
            "required": _("Choisissez le fichier à importer."),
            "empty": _("Le fichier est vide : il n'y a aucun contact à importer."),
        },
    )
    how_known = forms.ChoiceField(
        label=_("Comment connaissez-vous ces personnes ?"),
        help_text=_(
            "S'applique à chaque contact dont le fichier ne le précise pas ; vous pourrez le "
            "changer ensuite contact par contact."
        ),
        choices=HowKnown.choices,
        initial=HowKnown.OTHER,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _(
                    "Ce fichier pèse %(size)s : 5 Mo au plus. Découpez-le en plusieurs "
                    "fichiers, ou retirez-en les photos."
                ),
                params={"size": filesizeformat(upload.size)},
                code="too_big",
            )
        return upload
