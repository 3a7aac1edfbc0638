"""A need for adaptation on a bilan and the adaptations made (Qualiopi indicator 26,
docs/adr/0037-disability-adaptations.md).

- The person writes what she needs, in her words (`adaptation_need_save` as the
  beneficiary), or her consultant writes it once she agreed it be written down
  (`consent_on`, required from the consultant). Never a diagnosis nor the nature of a
  handicap: the pages say so and nothing asks for it.
- The consultant records the adaptations made (`adaptation_measure_add`), and may take back
  one written by mistake (`adaptation_measure_delete`).
- The person withdraws it all at any time (`adaptation_withdraw`): the need and its
  adaptations are deleted, the audit keeps that it happened, never what was written.
- Only the person and her consultant read it; the consultant's reads are audited as the
  house audits the reading of a person's isolation results (`adaptation_read`). The
  coordination gets counts only, under the small-numbers rule (`adaptation_figures`).

Every write is audited without its text; edits carry the version they were opened at
(ADR 0007)."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tisser.accounts.models import User
from tisser.bilans.models import (
    AdaptationKind,
    AdaptationMeasure,
    Bilan,
    BilanAdaptation,
    Phase,
    RecordedBy,
)
from tisser.core.audit import audit_record
from tisser.core.small_numbers import part_of
from tisser.core.versioning import version_bump, version_require

NEED_MAX_LENGTH = 2000
DETAIL_MAX_LENGTH = 1000

STALE_MESSAGE = gettext_lazy(
    "Ce besoin d'aménagement a été modifié pendant que vous l'écriviez. Relisez la version "
    "enregistrée avant d'enregistrer la vôtre."
)


def adaptation_of(bilan: Bilan) -> BilanAdaptation | None:
    """The need recorded on `bilan`, its adaptations prefetched, or None."""
    return (
        BilanAdaptation.objects.filter(bilan=bilan)
        .prefetch_related("measures")
        .select_related("updated_by")
        .first()
    )


def _party(user: User, bilan: Bilan) -> str:
    """ "beneficiary" or "consultant", PermissionDenied for anyone else."""
    if not (user.is_authenticated and user.is_active):
        raise PermissionDenied
    if user.pk == bilan.beneficiary_id:
        return RecordedBy.BENEFICIARY
    if user.pk == bilan.consultant_id:
        return RecordedBy.CONSULTANT
    raise PermissionDenied


def _open(bilan: Bilan) -> Bilan:
    locked = Bilan.objects.select_for_update().get(pk=bilan.pk)
    if locked.status == Phase.CLOSED:
        raise ValidationError(_("Ce bilan est terminé."), code="closed")
    return locked


def adaptation_need_save(
    *,
    actor: User,
    bilan: Bilan,
    need: str,
    consent_on: date | None = None,
    expected_version: int,
) -> BilanAdaptation:
    """Write or rewrite the need of `bilan`, by its beneficiary or by its consultant (anyone
    else: PermissionDenied). The consultant writes only with the person's agreement, dated
    (`consent_on`, today or before): ValidationError on `consent_on` otherwise. A closed
    bilan takes none. `expected_version`: the version the form was opened at, 0 when there
    was no need yet (StaleVersion if it changed or appeared since)."""
    party = _party(actor, bilan)
    need = (need or "").strip()
    errors: dict[str, list[str]] = {}
    if not need:
        errors["need"] = [_("Écrivez ce dont la personne a besoin, dans ses mots.")]
    elif len(need) > NEED_MAX_LENGTH:
        errors["need"] = [_("Écrivez-le en 2 000 caractères au plus.")]
    today = timezone.localdate()
    if party == RecordedBy.CONSULTANT:
        if consent_on is None:
            errors["consent"] = [
                _(
                    "Notez-le seulement si la personne est d'accord : cochez son accord et "
                    "indiquez sa date."
                )
            ]
        elif consent_on > today:
            errors["consent_on"] = [_("L'accord de la personne est daté d'aujourd'hui au plus.")]
    else:
        consent_on = None
    if errors:
        raise ValidationError(errors, code="invalid")
    with transaction.atomic():
        locked = _open(bilan)
        record = BilanAdaptation.objects.select_for_update().filter(bilan=locked).first()
        current = timezone.now()
        if record is None:
            if expected_version != 0:
                raise ValidationError(
                    _("Ce besoin d'aménagement a été retiré entre-temps."), code="missing"
                )
            record = BilanAdaptation.objects.create(
                bilan=locked,
                need=need,
                recorded_by=party,
                consent_on=consent_on,
                created_at=current,
                updated_at=current,
                updated_by=actor,
            )
            action = "create"
        else:
            version_require(record, expected=expected_version, message=STALE_MESSAGE)
            values: dict = {"need": need, "updated_at": current, "updated_by": actor}
            if party == RecordedBy.CONSULTANT:
                values["consent_on"] = consent_on
            version_bump(record, expected=expected_version, message=STALE_MESSAGE, **values)
            action = "save"
        audit_record(
            actor=actor,
            action=f"bilan.adaptation_{action}",
            target=locked,
            organisation=locked.organisation,
            data={"by": party, "version": record.version},
        )
    return record


def _need_locked(bilan: Bilan, expected_version: int) -> BilanAdaptation:
    record = BilanAdaptation.objects.select_for_update().filter(bilan=bilan).first()
    if record is None:
        raise ValidationError(
            _("La personne a retiré ce besoin d'aménagement entre-temps."), code="missing"
        )
    version_require(record, expected=expected_version, message=STALE_MESSAGE)
    return record


def adaptation_measure_add(
    *,
    consultant: User,
    bilan: Bilan,
    kind: str,
    detail: str,
    started_on: date,
    expected_version: int,
) -> AdaptationMeasure:
    """Record an adaptation made for the need of `bilan` (its consultant only): its kind,
    what was done (required for "other"), the day it started (today or before).
    `expected_version`: the need's version the page showed."""
    if _party(consultant, bilan) != RecordedBy.CONSULTANT:
        raise PermissionDenied
    detail = (detail or "").strip()
    errors: dict[str, list[str]] = {}
    if kind not in AdaptationKind.values:
        errors["kind"] = [_("Choisissez l'aménagement mis en place.")]
    elif kind == AdaptationKind.OTHER and not detail:
        errors["detail"] = [_("Dites quel aménagement a été mis en place.")]
    if len(detail) > DETAIL_MAX_LENGTH:
        errors["detail"] = [_("Écrivez-le en 1 000 caractères au plus.")]
    if started_on is None:
        errors["started_on"] = [_("Indiquez depuis quand.")]
    elif started_on > timezone.localdate():
        errors["started_on"] = [
            _("Notez un aménagement une fois mis en place : aujourd'hui au plus tard.")
        ]
    if errors:
        raise ValidationError(errors, code="invalid")
    with transaction.atomic():
        locked = _open(bilan)
        record = _need_locked(locked, expected_version)
        measure = AdaptationMeasure.objects.create(
            adaptation=record,
            kind=kind,
            detail=detail,
            started_on=started_on,
            created_at=timezone.now(),
            created_by=consultant,
        )
        audit_record(
            actor=consultant,
            action="bilan.adaptation_measure_add",
            target=locked,
            organisation=locked.organisation,
            data={"measure": measure.pk},
        )
    return measure


def adaptation_measure_delete(
    *, consultant: User, bilan: Bilan, measure_id: int, expected_version: int
) -> None:
    """Take back an adaptation recorded by mistake (the bilan's consultant only; one of
    another bilan: PermissionDenied)."""
    if _party(consultant, bilan) != RecordedBy.CONSULTANT:
        raise PermissionDenied
    with transaction.atomic():
        locked = _open(bilan)
        record = _need_locked(locked, expected_version)
        deleted, _rows = AdaptationMeasure.objects.filter(pk=measure_id, adaptation=record).delete()
        if not deleted:
            raise PermissionDenied
        audit_record(
            actor=consultant,
            action="bilan.adaptation_measure_delete",
            target=locked,
            organisation=locked.organisation,
            data={"measure": measure_id},
        )


def adaptation_withdraw(*, beneficiary: User, bilan: Bilan, expected_version: int) -> int:
    """The person withdraws what is recorded (she alone): the need and its adaptations are
    deleted, whatever the bilan's phase, and how many adaptations went is audited. Returns
    that number. `expected_version`: the version she saw (an adaptation added since is
    shown to her before it goes)."""
    if _party(beneficiary, bilan) != RecordedBy.BENEFICIARY:
        raise PermissionDenied
    with transaction.atomic():
        locked = Bilan.objects.select_for_update().get(pk=bilan.pk)
        record = _need_locked(locked, expected_version)
        measures = record.measures.count()
        record.delete()
        audit_record(
            actor=beneficiary,
            action="bilan.adaptation_withdraw",
            target=locked,
            organisation=locked.organisation,
            data={"measures": measures},
        )
    return measures


def adaptation_read(*, consultant: User, bilan: Bilan, adaptation: BilanAdaptation) -> None:
    """Audit that the bilan's consultant read the person's need (as the reading of her
    isolation results is): who, when, which bilan — never what."""
    audit_record(
        actor=consultant,
        action="bilan.adaptation_read",
        target=bilan,
        organisation=bilan.organisation,
        data={"version": adaptation.version},
    )


# --- Counts for the coordination (indicator 26) ------------------------------------------------


@dataclass(frozen=True)
class KindCount:
    kind: str
    label: Promise
    # People whose bilan had this adaptation; None: withheld (small-numbers rule).
    count: int | None


@dataclass(frozen=True)
class AdaptationFigures:
    """What the coordination may see: how many bilans are looked at (`bilans`, a management
    figure it sees anyway), and among them, how many people recorded a need, how many had an
    adaptation made, and how many had each kind — each shown only when it and its complement
    among those bilans count at least 5 people (`core.small_numbers.part_of`), None
    otherwise."""

    bilans: int
    needs: int | None
    adapted: int | None
    by_kind: tuple[KindCount, ...]


def _in_scope(organisation_id: int, first_day: date | None, last_day: date | None) -> Q:
    """The organisation's bilans whose documents are still held (not destroyed yet), and,
    with a span, those running during it."""
    scope = Q(organisation_id=organisation_id, purged_at__isnull=True)
    if last_day is not None:
        scope &= Q(opened_at__date__lte=last_day)
    if first_day is not None:
        scope &= Q(closed_at__isnull=True) | Q(closed_at__date__gte=first_day)
    return scope


def adaptation_figures(
    *, organisation_id: int, first_day: date | None = None, last_day: date | None = None
) -> AdaptationFigures:
    """The counts of indicator 26 for the organisation's bilans still holding their documents
    (those running between `first_day` and `last_day` when given), in two queries whatever
    their number."""
    scope = _in_scope(organisation_id, first_day, last_day)
    totals = Bilan.objects.filter(scope).aggregate(
        bilans=Count("pk", distinct=True),
        needs=Count("adaptation", distinct=True),
        adapted=Count("adaptation", filter=Q(adaptation__measures__isnull=False), distinct=True),
    )
    kinds = dict(
        AdaptationMeasure.objects.filter(
            adaptation__bilan__in=Bilan.objects.filter(scope).values("pk")
        )
        .values_list("kind")
        .annotate(people=Count("adaptation", distinct=True))
        .values_list("kind", "people")
    )
    population = totals["bilans"]
    return AdaptationFigures(
        bilans=population,
        needs=part_of(totals["needs"], population),
        adapted=part_of(totals["adapted"], population),
        by_kind=tuple(
            KindCount(kind=kind, label=label, count=part_of(kinds.get(kind, 0), population))
            for kind, label in AdaptationKind.choices
        ),
    )
