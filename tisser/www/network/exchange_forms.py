from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
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


class UploadCap(FileUploadHandler):
    """Keeps no more than MAX_UPLOAD_BYTES of an uploaded file (docs/adr/0012-bounded-imports.md):
    past that, chunks are read and dropped instead of reaching memory or a temporary file, and
    the file comes to the form as an empty stand-in of its real size, which the form refuses
    as too big. The other fields of the request are still read: nothing chosen is lost."""

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.size = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.size = start + len(raw_data)
        return raw_data if self.size <= MAX_UPLOAD_BYTES else None

    def file_complete(self, file_size: int):
        if self.size <= MAX_UPLOAD_BYTES:
            return None  # the usual handlers hold it
        stand_in = SimpleUploadedFile(self.file_name or "", b"", self.content_type)
        stand_in.size = self.size
        return stand_in
