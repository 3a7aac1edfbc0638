"""A person's contacts as files they take away: CSV for French spreadsheets, vCard 3.0 for
address books (all contacts, or one). The CSV's French header is one the import reads back,
so exporting then importing gives the same contacts."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import chain

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tisser.accounts.models import User
from tisser.core.audit import audit_record
from tisser.network.exchange.csv_format import csv_lines
from tisser.network.exchange.vcard_format import vcard_cards
from tisser.network.models import Channel, Contact, HowKnown
from tisser.network.services.contacts import beneficiary_membership

# Contacts are read and written this many at a time: memory and the time to the first byte
# stay flat whatever the size of the network (ADR 0030).
CHUNK = 500

# What a row of the export reads: plain values, no model instance per contact.
ROW_FIELDS = (
    "pk",
    "first_name",
    "last_name",
    "job_title",
    "company",
    "sector",
    "metier__code_rome",
    "metier__libelle",
    "how_known",
    "introduced_by__first_name",
    "introduced_by__last_name",
    "channel",
    "email",
    "phone",
    "link",
    "notes",
    "created_at",
)


@dataclass(frozen=True)
class ExportFile:
    """A file to download. `chunks` is read once, as the response is sent: the contacts
    are read from the database and written as they go."""

    filename: str
    content_type: str
    chunks: Iterable[bytes]

    @property
    def content(self) -> bytes:
        return b"".join(self.chunks)


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


def _rows(contacts) -> Iterator[dict]:
    """One dict of `ROW_FIELDS` per contact, read `CHUNK` at a time in one query."""
    return contacts.values(*ROW_FIELDS).iterator(chunk_size=CHUNK)


def _name(first: str | None, last: str | None) -> str:
    return " ".join(part for part in (first, last) if part)


def _labels(choices) -> dict[str, str]:
    # Evaluated now, in the language of the request, before the response is streamed.
    return {value: str(label) for value, label in choices}


def csv_rows(
    rows: Iterable[dict], how_known: dict[str, str], channels: dict[str, str]
) -> Iterator[list[str]]:
    for row in rows:
        yield [
            row["first_name"],
            row["last_name"],
            row["job_title"],
            row["company"],
            row["sector"],
            row["metier__code_rome"] or "",
            row["metier__libelle"] or "",
            how_known.get(row["how_known"], row["how_known"]),
            _name(row["introduced_by__first_name"], row["introduced_by__last_name"]),
            channels.get(row["channel"], row["channel"]) if row["channel"] else "",
            row["email"],
            row["phone"],
            row["link"],
            row["notes"],
            f"{timezone.localdate(row['created_at']):%d/%m/%Y}",
        ]


def vcard_values(row: dict) -> dict:
    return {
        "first_name": row["first_name"],
        "last_name": row["last_name"],
        "company": row["company"],
        "job_title": row["job_title"],
        "email": row["email"],
        "phone": row["phone"],
        "link": row["link"],
        "notes": row["notes"],
        "sector": row["sector"],
        "metier": f"{row['metier__code_rome']} {row['metier__libelle']}"
        if row["metier__code_rome"]
        else "",
        "how_known": row["how_known"],
        "channel": row["channel"],
        "introduced_by": _name(row["introduced_by__first_name"], row["introduced_by__last_name"]),
    }


def _encoded(pieces: Iterable[str]) -> Iterator[bytes]:
    """UTF-8 chunks of about 64 kB from many small pieces of text."""
    buffer: list[str] = []
    size = 0
    for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size >= 65_536:
            yield "".join(buffer).encode()
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer).encode()


def contacts_export(*, owner: User, format: str, contact: Contact | None = None) -> ExportFile:
    """All of `owner`'s contacts as "csv" or "vcard" — or only `contact` (a vCard), which must
    be theirs (PermissionDenied otherwise). Audited when asked for: these are third parties'
    data leaving the platform. The file is written as it is read (`ExportFile.chunks`), in a
    constant number of queries."""
    membership = beneficiary_membership(owner)
    if contact is not None and contact.owner_id != owner.pk:
        raise PermissionDenied
    contacts = Contact.objects.owned_by(owner)
    if contact is not None:
        contacts = contacts.filter(pk=contact.pk)
    day = timezone.localdate()
    if format == "csv":
        rows = csv_rows(
            _rows(contacts), how_known=_labels(HowKnown.choices), channels=_labels(Channel.choices)
        )
        exported = ExportFile(
            export_filename("csv", day),
            "text/csv; charset=utf-8",
            _encoded(csv_lines(chain([csv_header()], rows))),
        )
    elif format == "vcard":
        filename = (
            f"contact-{slugify(str(contact)) or contact.pk}-tisser.vcf"
            if contact is not None
            else export_filename("vcf", day)
        )
        exported = ExportFile(
            filename,
            "text/vcard; charset=utf-8",
            _encoded(vcard_cards(vcard_values(row) for row in _rows(contacts))),
        )
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
