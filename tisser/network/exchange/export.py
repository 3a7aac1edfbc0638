"""A person's contacts as files they take away: CSV for French spreadsheets, vCard 4.0 for
address books (all contacts, or one). The CSV's French header is one the import reads back,
so exporting then importing gives the same contacts."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tisser.accounts.models import User
from tisser.core.audit import audit_record
from tisser.network.exchange.csv_format import csv_write
from tisser.network.exchange.vcard_format import vcard_write
from tisser.network.models import Contact
from tisser.network.services.contacts import beneficiary_membership


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    content: bytes


def export_filename(extension: str, day: date) -> str:
    return f"contacts-tisser-{day:%Y-%m-%d}.{extension}"


def csv_header() -> list[str]:
    return [
        _("Prénom"),
        _("Nom"),
        _("Fonction"),
        _("Structure"),
        _("Secteur"),
        _("Code ROME"),
        _("Fiche métier"),
        _("Comment je connais cette personne"),
        _("Présenté·e par"),
        _("Moyen de contact"),
        _("E-mail"),
        _("Téléphone"),
        _("Profil en ligne ou autre coordonnée"),
        _("Notes"),
        _("Ajouté le"),
    ]


def csv_row(contact: Contact) -> list[str]:
    return [
        contact.first_name,
        contact.last_name,
        contact.job_title,
        contact.company,
        contact.sector,
        contact.metier.code_rome if contact.metier else "",
        contact.metier.libelle if contact.metier else "",
        contact.get_how_known_display(),
        str(contact.introduced_by) if contact.introduced_by else "",
        contact.get_channel_display() if contact.channel else "",
        contact.email,
        contact.phone,
        contact.link,
        contact.notes,
        f"{timezone.localdate(contact.created_at):%d/%m/%Y}",
    ]


def vcard_values(contact: Contact) -> dict:
    return {
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "company": contact.company,
        "job_title": contact.job_title,
        "email": contact.email,
        "phone": contact.phone,
        "link": contact.link,
        "notes": contact.notes,
        "sector": contact.sector,
        "metier": f"{contact.metier.code_rome} {contact.metier.libelle}" if contact.metier else "",
        "how_known": contact.how_known,
        "channel": contact.channel,
        "introduced_by": str(contact.introduced_by) if contact.introduced_by else "",
    }


def contacts_export(*, owner: User, format: str, contact: Contact | None = None) -> ExportFile:
    """All of `owner`'s contacts as "csv" or "vcard" — or only `contact` (a vCard), which must
    be theirs (PermissionDenied otherwise). Audited: these are third parties' data leaving
    the platform."""
    membership = beneficiary_membership(owner)
    if contact is not None and contact.owner_id != owner.pk:
        raise PermissionDenied
    contacts = (
        [contact]
        if contact is not None
        else Contact.objects.owned_by(owner).select_related("metier", "introduced_by")
    )
    day = timezone.localdate()
    if format == "csv":
        text = csv_write([csv_header(), *(csv_row(item) for item in contacts)])
        exported = ExportFile(
            export_filename("csv", day), "text/csv; charset=utf-8", text.encode("utf-8")
        )
    elif format == "vcard":
        text = vcard_write(vcard_values(item) for item in contacts)
        filename = (
            f"contact-{slugify(str(contact)) or contact.pk}-tisser.vcf"
            if contact is not None
            else export_filename("vcf", day)
        )
        exported = ExportFile(filename, "text/vcard; charset=utf-8", text.encode("utf-8"))
    else:
        raise ValueError(format)
    audit_record(
        actor=owner,
        action="contact.export",
        target=contact,
        organisation=membership.organisation,
        data={"format": format},
    )
    return exported
