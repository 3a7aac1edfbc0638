"""The record of the preliminary phase (Code du travail R6313-4 1°): the consultant writes
what the request and the need are, the format chosen, the hours planned, the objectives and
the way the bilan will run as agreed with the person; the person acknowledges it. A change by
the consultant clears the acknowledgement: the person acknowledges the text they read, not an
earlier one. Leaving the preliminary phase needs both (`bilan_phase_advance`)."""

from dataclasses import asdict, dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tisser.accounts.models import User
from tisser.bilans.models import Bilan, BilanFormat, Phase, PreliminaryRecord
from tisser.bilans.services.hours import MAX_HOURS
from tisser.core.audit import audit_record
from tisser.core.versioning import version_bump, version_require

TEXT_FIELDS = ("request", "need", "objectives", "plan")
FIELDS = (
    "request",
    "need",
    "format",
    "individual_hours",
    "personal_work_hours",
    "objectives",
    "plan",
)

SAVE_STALE_MESSAGE = gettext_lazy(
    "Le compte rendu de la phase préliminaire a été modifié pendant que vous l'écriviez. "
    "Relisez la version enregistrée avant d'enregistrer la vôtre."
)
ACK_STALE_MESSAGE = gettext_lazy(
    "Votre conseiller·ère vient de modifier ce compte rendu : relisez-le avant de l'approuver."
)


@dataclass(frozen=True)
class PreliminaryData:
    request: str
    need: str
    format: str
    individual_hours: Decimal
    personal_work_hours: Decimal
    objectives: str
    plan: str


def _validate(data: PreliminaryData) -> PreliminaryData:
    errors: dict[str, list[str]] = {}
    cleaned = {name: getattr(data, name) for name in FIELDS}
    for name in TEXT_FIELDS:
        cleaned[name] = (cleaned[name] or "").strip()
        if not cleaned[name]:
            errors[name] = [_("Remplissez cette partie du compte rendu.")]
    if cleaned["format"] not in BilanFormat.values:
        errors["format"] = [_("Choisissez le format du bilan.")]
    individual = cleaned["individual_hours"]
    personal = cleaned["personal_work_hours"] or Decimal("0")
    cleaned["personal_work_hours"] = personal
    if individual is None or individual < 1:
        errors["individual_hours"] = [_("Prévoyez au moins une heure d'entretien individuel.")]
    elif individual > MAX_HOURS:
        errors["individual_hours"] = [_("Un bilan de compétences dure 24 heures au plus.")]
    if personal < 0:
        errors["personal_work_hours"] = [_("Indiquez un nombre d'heures positif ou nul.")]
    elif individual is not None and individual + personal > MAX_HOURS:
        errors["personal_work_hours"] = [
            _("Entretiens et travail personnel ensemble ne dépassent pas les 24 heures du bilan.")
        ]
    if errors:
        raise ValidationError(errors, code="invalid")
    return PreliminaryData(**cleaned)


def preliminary_record_save(
    *, consultant: User, bilan: Bilan, data: PreliminaryData, expected_version: int
) -> PreliminaryRecord:
    """Write or rewrite the record (the bilan's consultant only, PermissionDenied otherwise;
    a closed bilan takes none). `expected_version` is the version the form was opened at, 0
    when there was no record yet: StaleVersion if it changed since. Every change clears the
    person's acknowledgement. The bilan's planned hours follow the individual hours."""
    if not (consultant.is_authenticated and consultant.is_active):
        raise PermissionDenied
    if consultant.pk != bilan.consultant_id:
        raise PermissionDenied
    data = _validate(data)
    with transaction.atomic():
        locked = Bilan.objects.select_for_update().get(pk=bilan.pk)
        if locked.status == Phase.CLOSED:
            raise ValidationError(_("Ce bilan est terminé."), code="closed")
        record = PreliminaryRecord.objects.select_for_update().filter(bilan=locked).first()
        current = timezone.now()
        if record is None:
            if expected_version != 0:
                raise ValidationError(_("Ce compte rendu n'existe plus."), code="missing")
            record = PreliminaryRecord.objects.create(
                bilan=locked,
                created_at=current,
                updated_at=current,
                updated_by=consultant,
                **asdict(data),
            )
            action = "create"
        else:
            version_require(record, expected=expected_version, message=SAVE_STALE_MESSAGE)
            if all(getattr(record, name) == getattr(data, name) for name in FIELDS):
                return record  # nothing changed: the acknowledgement stands
            version_bump(record, expected=expected_version, message=SAVE_STALE_MESSAGE)
            for name in FIELDS:
                setattr(record, name, getattr(data, name))
            record.updated_at = current
            record.updated_by = consultant
            record.acknowledged_at = None
            record.save(
                update_fields=[*FIELDS, "updated_at", "updated_by", "acknowledged_at", "version"]
            )
            action = "save"
        if locked.planned_hours != data.individual_hours:
            locked.planned_hours = data.individual_hours
            locked.save(update_fields=["planned_hours"])
        audit_record(
            actor=consultant,
            action=f"bilan.preliminary_{action}",
            target=locked,
            organisation=locked.organisation,
            data={"record_version": record.version, "format": data.format},
        )
    return record


def preliminary_record_acknowledge(
    *, beneficiary: User, bilan: Bilan, expected_version: int
) -> PreliminaryRecord:
    """The beneficiary (and only them) says they read the record and agree with the way the
    bilan will run. `expected_version` is the version they read: a text changed since is a
    StaleVersion. Acknowledging twice keeps the first date."""
    if not (beneficiary.is_authenticated and beneficiary.pk == bilan.beneficiary_id):
        raise PermissionDenied
    with transaction.atomic():
        locked = Bilan.objects.select_for_update().get(pk=bilan.pk)
        if locked.status == Phase.CLOSED:
            raise ValidationError(_("Ce bilan est terminé."), code="closed")
        record = PreliminaryRecord.objects.select_for_update().filter(bilan=locked).first()
        if record is None:
            raise ValidationError(
                _("Votre conseiller·ère n'a pas encore rédigé ce compte rendu."), code="missing"
            )
        version_require(record, expected=expected_version, message=ACK_STALE_MESSAGE)
        if record.acknowledged_at is not None:
            return record
        record.acknowledged_at = timezone.now()
        record.save(update_fields=["acknowledged_at"])
        audit_record(
            actor=beneficiary,
            action="bilan.preliminary_acknowledge",
            target=locked,
            organisation=locked.organisation,
            data={"record_version": record.version},
        )
    return record


def preliminary_is_done(bilan: Bilan) -> bool:
    """The record is written and acknowledged by the person."""
    return PreliminaryRecord.objects.filter(bilan=bilan, acknowledged_at__isnull=False).exists()
