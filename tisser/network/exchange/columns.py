"""The column names a contacts CSV may use, in one table: French and English, Tisser's own
export, and the exports of Outlook, Google Contacts and LinkedIn.

Headers are compared once normalised (`header_key`): case, accents, punctuation and spacing
do not matter, so "E-mail Address", "e-mail address" and "E‑mail  address" are the same
column, and "Présenté·e par" matches "presente e par".

When several columns feed the same field (Outlook's "E-mail Address" and "E-mail 2
Address", a mobile and an office phone), the first one in the table's order that has a value
in the row wins: a mobile number before an office one, a first e-mail before a second.

Outlook's "Title" / "Titre" is the salutation (M., Mme), not the job: it is not mapped."""

import re
import unicodedata

# (field, accepted headers in order of preference). "full_name" is split into first and last
# names when the file has no last-name column (or the cell is empty); "metier" holds a ROME
# code, alone or followed by the fiche's label; "how_known", "channel" and "introduced_by"
# come back from Tisser's own export.
COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("first_name", ("Prénom", "Prénoms", "Prenom", "First Name", "Given Name", "Firstname")),
    (
        "last_name",
        ("Nom", "Nom de famille", "Last Name", "Family Name", "Surname", "Lastname"),
    ),
    ("full_name", ("Nom complet", "Name", "Full Name", "Display Name", "Nom et prénom")),
    (
        "job_title",
        (
            "Fonction",
            "Poste",
            "Intitulé du poste",
            "Titre du poste",
            "Job Title",
            "Position",
            "Organization 1 - Title",
            "Organization Title",
        ),
    ),
    (
        "company",
        (
            "Structure",
            "Société",
            "Entreprise",
            "Organisation",
            "Organisme",
            "Employeur",
            "Company",
            "Organization",
            "Organization 1 - Name",
            "Organization Name",
        ),
    ),
    ("sector", ("Secteur", "Secteur d'activité", "Sector", "Industry")),
    ("metier", ("Code ROME", "Fiche métier", "Métier", "ROME")),
    ("how_known", ("Comment je connais cette personne", "Comment je la connais", "How known")),
    ("introduced_by", ("Présenté·e par", "Présenté par", "Présentée par", "Introduced by")),
    ("channel", ("Moyen de contact", "Moyen de contact privilégié", "Preferred channel")),
    (
        "email",
        (
            "E-mail",
            "Email",
            "Courriel",
            "Mail",
            "Adresse e-mail",
            "Adresse mail",
            "Adresse électronique",
            "Adresse de messagerie",
            "E-mail Address",
            "Email Address",
            "E-mail 1 - Value",
            "Primary Email",
            "E-mail 2 Address",
            "E-mail 2 - Value",
            "Adresse de messagerie 2",
            "E-mail 3 Address",
        ),
    ),
    (
        "phone",
        (
            "Mobile",
            "Portable",
            "Téléphone mobile",
            "Téléphone portable",
            "Tél. mobile",
            "Tél mobile",
            "Mobile Phone",
            "Cell Phone",
            "Téléphone",
            "Tél",
            "Tel",
            "Phone",
            "Phone Number",
            "Numéro de téléphone",
            "Phone 1 - Value",
            "Business Phone",
            "Téléphone bureau",
            "Téléphone (bureau)",
            "Primary Phone",
            "Home Phone",
            "Téléphone domicile",
            "Téléphone (domicile)",
            "Phone 2 - Value",
            "Phone 3 - Value",
        ),
    ),
    (
        "link",
        (
            "Profil en ligne ou autre coordonnée",
            "Profil en ligne",
            "Lien",
            "Site web",
            "Page Web",
            "Profil LinkedIn",
            "LinkedIn",
            "URL",
            "Profile URL",
            "Web Page",
            "Website",
            "Website 1 - Value",
        ),
    ),
    ("notes", ("Notes", "Note", "Commentaire", "Commentaires", "Remarques")),
)

# Google Contacts says which of its "Phone N - Value" columns is a mobile in "Phone N - Type".
GOOGLE_PHONE_TYPE = re.compile(r"^phone (\d+) type$")
GOOGLE_PHONE_VALUE = "phone {} value"


def header_key(text: str) -> str:
    """A header as compared: lower case, no accents, words separated by one space."""
    decomposed = unicodedata.normalize("NFKD", text.replace("\ufeff", ""))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", bare.casefold()).split())


# header key → (field, preference): built once from the table above.
HEADER_FIELDS: dict[str, tuple[str, int]] = {}
for _field, _headers in COLUMNS:
    for _rank, _header in enumerate(_headers):
        HEADER_FIELDS.setdefault(header_key(_header), (_field, _rank))

NAME_FIELDS = frozenset({"last_name", "full_name"})
