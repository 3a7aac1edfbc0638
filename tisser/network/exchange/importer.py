"""Importing a contacts file into a person's network.

Rule: a file that cannot be read as a whole (empty, binary, not CSV nor vCard, no name
column, broken quoting) imports nothing and says why in one French line. Otherwise every row
is checked by `contact_clean`, as the contact form is: good rows are added, bad rows are
listed with their line (or card) number and French reasons, and rows naming someone already
in the network — same e-mail, or same name and organisation, as a contact already there or
a line above — are skipped and listed too. The writes happen in one transaction, so a crash
leaves nothing half-imported.

Bounded (docs/adr/0012-bounded-imports.md): the file is read as a stream up to its row limit
(see `reading`), and the contacts it adds must fit under the person's ceiling
(`services.ceiling`), checked before reading and again inside the write transaction. The
report keeps every problem in memory but shows (and stores) the first `SHOWN` of each kind
with the count of the others: 5,000 duplicates are a figure, not a 32 MB page.

Speed: 10,000 rows in well under 5 s (`bench/contacts_import.py`): rows are checked in
Python against what was read once (the person's contacts, the fiches named), and written
with `bulk_create` in batches."""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from tisser.accounts.models import User
from tisser.core.audit import audit_record
from tisser.network.exchange.reading import ParsedFile, ParsedRow, UnreadableFile, file_read
from tisser.network.models import Channel, Contact, HowKnown
from tisser.network.services.ceiling import contact_room_check, contact_room_left
from tisser.network.services.contacts import ContactData, beneficiary_membership, contact_clean
from tisser.referentiel.models import Metier

BATCH_SIZE = 1000
# Problems of each kind shown on the report page (and kept with a background import).
SHOWN = 100
# Progress is told this often (rows checked) to whoever follows a background import.
PROGRESS_EVERY = 250
ROME_CODE = re.compile(r"\b([A-N]\d{4})\b")
# Fields read from a file that go into ContactData as they are.
TEXT_FIELDS = ("first_name", "last_name", "job_title", "company", "sector", "email", "phone")
LONG_TEXT_FIELDS = ("link", "notes")
# The phone is checked by its own rule and stored shorter (E.164) than people type it.
LENGTH_CHECKED = ("first_name", "last_name", "job_title", "company", "sector", "email", "link")


@dataclass(frozen=True)
class RowProblem:
    position: int
    name: str
    reasons: tuple[str, ...]


@dataclass
class ImportReport:
    format: str
    encoding: str
    delimiter: str = ""
    columns: dict[str, str] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    rows: int = 0
    imported: int = 0
    duplicates: list[RowProblem] = field(default_factory=list)
    errors: list[RowProblem] = field(default_factory=list)
    # How many there were, when the lists above were cut to SHOWN (a stored report).
    duplicate_total: int | None = None
    error_total: int | None = None

    @property
    def position_label(self) -> str:
        return _("Fiche vCard") if self.format == "vcard" else _("Ligne")

    @property
    def format_label(self) -> str:
        return "vCard" if self.format == "vcard" else "CSV"

    @property
    def delimiter_label(self) -> str:
        return _("tabulation") if self.delimiter == "\t" else f"« {self.delimiter} »"

    @property
    def duplicate_count(self) -> int:
        return len(self.duplicates) if self.duplicate_total is None else self.duplicate_total

    @property
    def error_count(self) -> int:
        return len(self.errors) if self.error_total is None else self.error_total

    @property
    def duplicates_shown(self) -> list[RowProblem]:
        return self.duplicates[:SHOWN]

    @property
    def errors_shown(self) -> list[RowProblem]:
        return self.errors[:SHOWN]

    @property
    def duplicates_hidden(self) -> int:
        return self.duplicate_count - len(self.duplicates_shown)

    @property
    def errors_hidden(self) -> int:
        return self.error_count - len(self.errors_shown)

    def as_data(self) -> dict:
        """JSON-ready, the lists cut to what the page shows."""
        data = asdict(self)
        data.update(
            duplicates=[asdict(problem) for problem in self.duplicates_shown],
            errors=[asdict(problem) for problem in self.errors_shown],
            duplicate_total=self.duplicate_count,
            error_total=self.error_count,
        )
        return data

    @classmethod
    def from_data(cls, data: dict) -> "ImportReport":
        def problems(items: list[dict]) -> list[RowProblem]:
            return [
                RowProblem(item["position"], item["name"], tuple(item["reasons"])) for item in items
            ]

        return cls(
            **{
                **data,
                "duplicates": problems(data["duplicates"]),
                "errors": problems(data["errors"]),
            }
        )


def _fold(text: str) -> str:
    """Text as compared: no case, accents or extra spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())


def identity_key(first_name: str, last_name: str, company: str) -> str:
    """Name and organisation as compared for duplicates."""
    return f"{_fold(first_name)} {_fold(last_name)} | {_fold(company)}"


def name_key(first_name: str, last_name: str) -> str:
    return _fold(f"{first_name} {last_name}")


def name_split(full_name: str) -> tuple[str, str]:
    """("Anne", "Martin") from "Anne Martin"; the French "MARTIN Anne" (family name in
    capitals first) too; a single word is a family name."""
    words = full_name.split()
    if len(words) < 2:
        return "", full_name.strip()
    capitals = 0
    while capitals < len(words) and words[capitals].isupper() and len(words[capitals]) > 1:
        capitals += 1
    if 0 < capitals < len(words):
        return " ".join(words[capitals:]), " ".join(words[:capitals])
    return words[0], " ".join(words[1:])


def _choices_lookup(choices) -> dict[str, str]:
    """A TextChoices' values by their value and by their (French) label, as compared."""
    lookup = {}
    for value, label in choices.choices:
        lookup[_fold(str(label))] = value
        lookup[value] = value
    return lookup


_LABELS: dict[str, str] = {}


def _label(name: str) -> str:
    if name not in _LABELS:
        _LABELS[name] = str(capfirst(Contact._meta.get_field(name).verbose_name))
    return _LABELS[name]


def _too_long(values: dict[str, str]) -> dict[str, list[str]]:
    errors = {}
    for name in LENGTH_CHECKED:
        limit = Contact._meta.get_field(name).max_length
        text = values.get(name, "").strip()
        if limit and len(text) > limit:
            errors[name] = [
                _("%(limit)s caractères au plus (ce texte en a %(length)s).")
                % {"limit": limit, "length": len(text)}
            ]
    return errors


class _Importer:
    def __init__(self, *, owner: User, parsed: ParsedFile, how_known: str):
        self.owner = owner
        self.parsed = parsed
        self.how_known = how_known
        existing = Contact.objects.owned_by(owner).values_list(
            "pk", "first_name", "last_name", "company", "email"
        )
        # key → whom a later row with the same key repeats: a contact's name, or a position
        self.emails: dict[str, str | int] = {}
        self.identities: dict[str, str | int] = {}
        self.names: dict[str, list[int]] = {}
        for pk, first_name, last_name, company, email in existing:
            shown = " ".join(part for part in (first_name, last_name) if part)
            if email:
                self.emails.setdefault(email.lower(), shown)
            self.identities.setdefault(identity_key(first_name, last_name, company), shown)
            self.names.setdefault(name_key(first_name, last_name), []).append(pk)
        codes = {
            match.group(1)
            for row in parsed.rows
            if (match := ROME_CODE.search(row.values.get("metier", "")))
        }
        self.how_known_values = _choices_lookup(HowKnown)
        self.channel_values = _choices_lookup(Channel)
        self.metiers = {
            metier.code_rome: metier for metier in Metier.objects.filter(code_rome__in=codes)
        }

    def data(self, row: ParsedRow) -> tuple[ContactData | None, dict[str, list[str]]]:
        values = dict(row.values)
        if not values.get("last_name") and values.get("full_name"):
            first_name, last_name = name_split(values["full_name"])
            values["last_name"] = last_name
            values.setdefault("first_name", first_name)
        errors = _too_long(values)
        metier = None
        if values.get("metier"):
            match = ROME_CODE.search(values["metier"])
            metier = self.metiers.get(match.group(1)) if match else None
            if metier is None:
                errors["metier"] = [
                    _(
                        "« %(text)s » n'est pas un code ROME connu (exemple : M1402) ; "
                        "corrigez-le ou videz la cellule."
                    )
                    % {"text": values["metier"][:40]}
                ]
        data = ContactData(
            **{name: values.get(name, "") for name in (*TEXT_FIELDS, *LONG_TEXT_FIELDS)},
            metier=metier,
            how_known=self.how_known_values.get(_fold(values.get("how_known", "")))
            or self.how_known,
            channel=self.channel_values.get(_fold(values.get("channel", "")), ""),
        )
        return data, errors

    def run(self, progress: Callable[[int, int], None] | None = None) -> ImportReport:
        """Check every row, then write the good ones if they fit under the ceiling
        (UnreadableFile otherwise: nothing is written). `progress(done, total)` is told every
        PROGRESS_EVERY rows checked."""
        parsed = self.parsed
        report = ImportReport(
            format=parsed.format,
            encoding=parsed.encoding,
            delimiter=parsed.delimiter,
            columns={header: _label_of(name) for header, name in parsed.columns.items()},
            ignored_columns=parsed.ignored_columns,
            rows=len(parsed.rows),
        )
        membership = beneficiary_membership(self.owner)
        to_create: list[Contact] = []
        introducers: list[tuple[Contact, str]] = []
        for number, row in enumerate(parsed.rows, start=1):
            if progress is not None and number % PROGRESS_EVERY == 0:
                progress(number, report.rows)
            shown = _shown(row.values)
            if row.errors:
                report.errors.append(RowProblem(row.position, shown, row.errors))
                continue
            data, errors = self.data(row)
            try:
                values = contact_clean(owner=self.owner, data=data)
            except ValidationError as error:
                errors = error.message_dict | errors
            if errors:
                reasons = tuple(
                    f"{_label(name)} : {message}"
                    for name, messages in errors.items()
                    for message in messages
                )
                report.errors.append(RowProblem(row.position, shown, reasons))
                continue
            duplicate = self.duplicate(values, row.position)
            if duplicate:
                report.duplicates.append(RowProblem(row.position, shown, (duplicate,)))
                continue
            contact = Contact(
                owner=self.owner, organisation_id=membership.organisation_id, **values
            )
            to_create.append(contact)
            if row.values.get("introduced_by"):
                introducers.append((contact, row.values["introduced_by"]))
        with transaction.atomic():
            if to_create:
                try:
                    contact_room_check(
                        owner=self.owner, membership=membership, adding=len(to_create)
                    )
                except ValidationError as error:
                    raise UnreadableFile(error.messages[0]) from error
            created = Contact.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
            self.introductions_link(created, introducers)
            report.imported = len(created)
            audit_record(
                actor=self.owner,
                action="contact.import",
                organisation=membership.organisation,
                data={
                    "format": parsed.format,
                    "rows": report.rows,
                    "imported": report.imported,
                    "duplicates": len(report.duplicates),
                    "errors": len(report.errors),
                },
            )
        return report

    def duplicate(self, values: dict, position: int) -> str:
        """Why a row repeats someone already known ("" when it does not); remembers it."""
        email = values["email"]
        identity = identity_key(values["first_name"], values["last_name"], values["company"])
        if email and email in self.emails:
            return self._reason(self.emails[email], same_email=True)
        if identity in self.identities:
            return self._reason(self.identities[identity], same_email=False)
        if email:
            self.emails[email] = position
        self.identities[identity] = position
        return ""

    def _reason(self, whom: str | int, *, same_email: bool) -> str:
        if isinstance(whom, str):
            if same_email:
                return _("Même e-mail qu'un contact de votre réseau (%(name)s).") % {"name": whom}
            return _("Même nom et même structure qu'un contact de votre réseau (%(name)s).") % {
                "name": whom
            }
        unit = _("la fiche") if self.parsed.format == "vcard" else _("la ligne")
        if same_email:
            return _("Même e-mail que %(unit)s %(position)s.") % {"unit": unit, "position": whom}
        return _("Même nom et même structure que %(unit)s %(position)s.") % {
            "unit": unit,
            "position": whom,
        }

    def introductions_link(self, created: list[Contact], introducers: list[tuple]) -> None:
        """Who introduced whom, when the file names them ("Présenté·e par"): the one contact
        of the network with that name, if there is exactly one and no loop follows."""
        if not introducers:
            return
        for contact in created:
            self.names.setdefault(name_key(contact.first_name, contact.last_name), []).append(
                contact.pk
            )
        parent: dict[int, int] = dict(
            Contact.objects.owned_by(self.owner)
            .filter(introduced_by__isnull=False)
            .values_list("pk", "introduced_by_id")
        )
        changed = []
        for contact, text in introducers:
            first_name, last_name = name_split(text)
            matches = self.names.get(name_key(first_name, last_name), [])
            if len(matches) != 1 or matches[0] == contact.pk:
                continue
            ancestor, seen = matches[0], set()
            while ancestor is not None and ancestor not in seen and ancestor != contact.pk:
                seen.add(ancestor)
                ancestor = parent.get(ancestor)
            if ancestor == contact.pk:
                continue
            contact.introduced_by_id = matches[0]
            contact.how_known = HowKnown.INTRODUCED  # as `contact_clean` does
            parent[contact.pk] = matches[0]
            changed.append(contact)
        Contact.objects.bulk_update(changed, ["introduced_by", "how_known"], batch_size=BATCH_SIZE)


def _label_of(name: str) -> str:
    if name == "full_name":
        return _("Nom complet")
    return _label(name)


def _shown(values: dict[str, str]) -> str:
    shown = " ".join(
        part for part in (values.get("first_name", ""), values.get("last_name", "")) if part
    )
    return (shown or values.get("full_name", ""))[:120]


def contacts_import(
    *,
    owner: User,
    raw: bytes | BinaryIO,
    how_known: str = HowKnown.OTHER,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import the contacts of a CSV or vCard file (its bytes, or the uploaded file itself,
    read as a stream) into `owner`'s network (a beneficiary; PermissionDenied otherwise).
    UnreadableFile when the file as a whole cannot be imported — unreadable, too many rows,
    a cell too long, more contacts than the person's ceiling allows: nothing is imported
    then. `how_known` applies to every row whose file says nothing recognisable about it."""
    ceiling_reached_refuse(owner=owner, membership=beneficiary_membership(owner))
    parsed = file_read(raw)
    return _Importer(owner=owner, parsed=parsed, how_known=how_known).run(progress)


def ceiling_reached_refuse(*, owner: User, membership) -> None:
    """UnreadableFile, before any reading, when the person's network is already full."""
    if contact_room_left(owner=owner, membership=membership) <= 0:
        raise UnreadableFile(
            _(
                "Votre réseau a atteint le plafond de contacts de votre compte : supprimez "
                "des contacts, ou demandez à la coordination de votre organisme de relever "
                "ce plafond ; aucun contact n'a été importé."
            )
        )
