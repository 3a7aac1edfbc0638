"""The organisme's identity, as its coordinator edits it and its documents print it
(docs/adr/0018-organisme-identity-and-emargement.md).

Every document an organisme issues for a bilan (convention, contract, attestation, synthèse,
émargement sheet) carries its legal name, address, SIRET, declaration-of-activity number
(NDA, Code du travail L6351-1 and following: the number the préfet de région gives once the
activity is declared) and Qualiopi certificate. The checks below are the forms' and the
service's alike: a SIRET is 14 digits whose Luhn key is right, an NDA is 11 digits."""

from dataclasses import asdict, dataclass
from datetime import date, timedelta
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tisser.accounts.access import require_coordinator_of
from tisser.accounts.models import Organisation, User
from tisser.core.audit import audit_record
from tisser.core.dates import french_date
from tisser.core.versioning import version_bump

STALE_MESSAGE = gettext_lazy(
    "L'identité de l'organisme a été enregistrée par quelqu'un d'autre (ou dans un autre "
    "onglet) pendant que vous la modifiiez. Rien n'a été enregistré : comparez avec la "
    "version enregistrée, puis enregistrez à nouveau."
)

SIRET_LENGTH = 14
NDA_LENGTH = 11
# La Poste's establishments share one SIREN and follow another rule: the sum of the 14
# digits is a multiple of 5 (INSEE).
LA_POSTE_SIREN = "356000000"

LOGO_MAX_BYTES = 300 * 1024
LOGO_MAX_SIDE = 2000
LOGO_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}

# How long before the Qualiopi certificate ends its coordinator is warned on their home.
QUALIOPI_WARNING_DAYS = 90


def digits_only(value: str) -> str:
    """`value` without the spaces, dots and dashes people type between groups of digits."""
    return "".join(ch for ch in value if ch not in " .-\u00a0\u202f\t")


def luhn_valid(digits: str) -> bool:
    """The Luhn key of a SIREN or SIRET: from the right, every second digit doubled (less 9
    when over 9); the sum is a multiple of 10."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def siret_clean(value: str) -> str:
    """The SIRET as 14 digits, or a ValidationError in French saying what is wrong."""
    siret = digits_only(value)
    if not siret.isdigit() or len(siret) != SIRET_LENGTH:
        raise ValidationError(
            _("Le SIRET compte 14 chiffres (9 pour le SIREN, 5 pour l'établissement)."),
            code="siret_length",
        )
    if siret.startswith(LA_POSTE_SIREN):
        valid = sum(int(char) for char in siret) % 5 == 0
    else:
        valid = luhn_valid(siret)
    if not valid:
        raise ValidationError(
            _(
                "Ce SIRET n'existe pas : son dernier chiffre (la clé de contrôle) ne "
                "correspond pas aux autres. Vérifiez-le sur votre avis de situation INSEE."
            ),
            code="siret_key",
        )
    return siret


def nda_clean(value: str) -> str:
    """The declaration-of-activity number as 11 digits ("" when not given)."""
    nda = digits_only(value)
    if nda and (not nda.isdigit() or len(nda) != NDA_LENGTH):
        raise ValidationError(
            _(
                "Le numéro de déclaration d'activité compte 11 chiffres : recopiez-le du "
                "récépissé délivré par la préfecture de région."
            ),
            code="nda_length",
        )
    return nda


def logo_check(data: bytes) -> str:
    """The content type of a logo the documents can carry (PNG or JPEG, at most 300 Ko and
    2000 pixels a side), or a ValidationError in French. Pillow reads the file: its name and
    the type the browser claimed are not trusted."""
    if len(data) > LOGO_MAX_BYTES:
        raise ValidationError(
            _("Ce logo pèse plus de 300 Ko : enregistrez-le plus petit (PNG ou JPEG)."),
            code="logo_size",
        )
    try:
        from PIL import Image, UnidentifiedImageError
    except ImportError:  # pragma: no cover — WeasyPrint brings Pillow
        raise ValidationError(
            _("Le logo ne peut pas être lu sur ce serveur."), code="logo"
        ) from None
    try:
        with Image.open(BytesIO(data)) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("Ce fichier n'est pas une image lisible : choisissez un logo PNG ou JPEG."),
            code="logo_format",
        ) from None
    if image_format not in LOGO_FORMATS:
        raise ValidationError(
            _("Le logo doit être une image PNG ou JPEG."),
            code="logo_format",
        )
    if width > LOGO_MAX_SIDE or height > LOGO_MAX_SIDE:
        raise ValidationError(
            _("Ce logo dépasse 2000 pixels de côté : réduisez-le avant de l'envoyer."),
            code="logo_dimensions",
        )
    return LOGO_FORMATS[image_format]


@dataclass(frozen=True)
class Identity:
    """What a coordinator types. Texts as typed; `identity_clean` normalises them."""

    legal_name: str
    siret: str
    nda: str
    address: str
    qualiopi_number: str = ""
    qualiopi_issuer: str = ""
    qualiopi_expires_on: date | None = None
    qualiopi_bilan_category: bool = False
    disability_referent_name: str = ""
    disability_referent_email: str = ""
    dpo_name: str = ""
    dpo_email: str = ""


IDENTITY_FIELDS = tuple(Identity.__dataclass_fields__)


def identity_of(organisation: Organisation) -> Identity:
    return Identity(**{name: getattr(organisation, name) for name in IDENTITY_FIELDS})


def identity_clean(identity: Identity, *, saved: Organisation) -> dict:
    """The values to save, or one ValidationError naming each wrong field. A Qualiopi date
    already past is refused only when it is being changed: the certificate's end is then
    recorded as it is, and the home page says it has ended."""
    errors: dict[str, list] = {}
    values = {
        name: value.strip() if isinstance(value, str) else value
        for name, value in asdict(identity).items()
    }
    for name, message in (
        ("legal_name", _("Indiquez la raison sociale de l'organisme.")),
        ("address", _("Indiquez l'adresse de l'organisme.")),
        ("siret", _("Indiquez le SIRET de l'organisme.")),
    ):
        if not values[name]:
            errors.setdefault(name, []).append(ValidationError(message, code="required"))
    if values["siret"]:
        try:
            values["siret"] = siret_clean(values["siret"])
        except ValidationError as error:
            errors.setdefault("siret", []).append(error)
    try:
        values["nda"] = nda_clean(values["nda"])
    except ValidationError as error:
        errors.setdefault("nda", []).append(error)
    expires_on = values["qualiopi_expires_on"]
    if values["qualiopi_number"] and expires_on is None:
        errors.setdefault("qualiopi_expires_on", []).append(
            ValidationError(
                _("Indiquez la date de fin de validité du certificat Qualiopi."), code="required"
            )
        )
    if expires_on is not None and not values["qualiopi_number"]:
        errors.setdefault("qualiopi_number", []).append(
            ValidationError(_("Indiquez le numéro du certificat Qualiopi."), code="required")
        )
    if values["qualiopi_bilan_category"] and not values["qualiopi_number"]:
        errors.setdefault("qualiopi_number", []).append(
            ValidationError(
                _("La catégorie ne vaut qu'avec un certificat : indiquez son numéro."),
                code="required",
            )
        )
    if (
        expires_on is not None
        and expires_on != saved.qualiopi_expires_on
        and expires_on < timezone.localdate()
    ):
        errors.setdefault("qualiopi_expires_on", []).append(
            ValidationError(
                _(
                    "Cette date est passée : indiquez la fin de validité du certificat en "
                    "cours, inscrite sur le certificat."
                ),
                code="past",
            )
        )
    for name in ("disability_referent_email", "dpo_email"):
        if values[name]:
            try:
                validate_email(values[name])
            except ValidationError:
                errors.setdefault(name, []).append(
                    ValidationError(
                        _("Indiquez une adresse e-mail complète, par exemple nom@organisme.fr."),
                        code="invalid",
                    )
                )
    for name, max_length in (
        ("legal_name", 200),
        ("qualiopi_number", 100),
        ("qualiopi_issuer", 200),
        ("disability_referent_name", 200),
        ("dpo_name", 200),
    ):
        if len(values[name]) > max_length:
            errors.setdefault(name, []).append(
                ValidationError(
                    _("%(count)s caractères au plus.") % {"count": max_length}, code="max_length"
                )
            )
    if errors:
        raise ValidationError(errors)
    return values


def organisation_identity_save(
    *,
    coordinator: User,
    organisation: Organisation,
    identity: Identity,
    expected_version: int,
    logo: bytes | None = None,
    logo_remove: bool = False,
) -> Organisation:
    """Save the identity of `organisation` (an active coordinator of it only:
    PermissionDenied otherwise). `logo`: a new logo's bytes (checked by `logo_check`);
    `logo_remove`: drop the saved one. Refused field by field (ValidationError) as
    `identity_clean` says; StaleVersion when someone saved it since `expected_version`.
    Audited with the names of the fields that changed."""
    require_coordinator_of(coordinator, organisation)
    values = identity_clean(identity, saved=organisation)
    if logo is not None:
        try:
            values["logo_content_type"] = logo_check(logo)
        except ValidationError as error:
            raise ValidationError({"logo": [error]}) from None
        values["logo"] = logo
    elif logo_remove:
        values["logo"], values["logo_content_type"] = b"", ""
    changed = sorted(
        name for name in values if name != "logo" and getattr(organisation, name) != values[name]
    )
    if "logo" in values:
        changed.append("logo")
    with transaction.atomic():
        version_bump(organisation, expected=expected_version, message=STALE_MESSAGE, **values)
        audit_record(
            actor=coordinator,
            action="organisation.identity_save",
            target=organisation,
            organisation=organisation,
            data={"changed": changed, "version": organisation.version},
        )
    return organisation


def identity_warnings(organisation: Organisation, *, today: date | None = None) -> list[str]:
    """What the coordinator's home says about the identity: a missing NDA or SIRET (the
    documents need them), a Qualiopi certificate that ends within QUALIOPI_WARNING_DAYS or
    has ended."""
    today = today or timezone.localdate()
    warnings = []
    if not organisation.siret or not organisation.legal_name:
        warnings.append(
            _(
                "L'identité de l'organisme est incomplète : ses documents (conventions, "
                "contrats, attestations) doivent porter sa raison sociale et son SIRET."
            )
        )
    if not organisation.nda:
        warnings.append(
            _(
                "Le numéro de déclaration d'activité manque : les conventions et les contrats "
                "doivent le porter. Ajoutez-le dès que la préfecture vous l'a attribué."
            )
        )
    expires_on = organisation.qualiopi_expires_on
    if expires_on is not None:
        if expires_on < today:
            warnings.append(
                _(
                    "Le certificat Qualiopi a pris fin le %(date)s : sans certificat en cours, "
                    "les bilans ne peuvent plus être financés par des fonds publics ou "
                    "mutualisés (CPF, OPCO)."
                )
                % {"date": french_date(expires_on)}
            )
        elif expires_on <= today + timedelta(days=QUALIOPI_WARNING_DAYS):
            warnings.append(
                _(
                    "Le certificat Qualiopi prend fin le %(date)s : préparez l'audit de "
                    "renouvellement avec votre organisme certificateur."
                )
                % {"date": french_date(expires_on)}
            )
    return warnings
