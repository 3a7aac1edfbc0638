"""The tripartite convention of a bilan in the employer's skills plan or during a congé de
reclassement (Code du travail R6313-8): written by the consultant, printed as a PDF for the
organisme, the employer and the beneficiary to sign. The employee has ten days from the
transmission of the draft to accept it by signing; no signature by then is a refusal, and
the bilan cannot leave its preliminary phase without a convention signed by all three in
time (`preliminary_exit_require`, which also holds the self-funded contract's rule)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tisser.accounts.models import User
from tisser.bilans.models import CONVENTION_FUNDINGS, Bilan, Convention, Funding, Phase
from tisser.bilans.notice_kinds import BilanNotice
from tisser.bilans.notices import convention_deadline_content
from tisser.bilans.services.contract import contract_require
from tisser.bilans.services.funding import bilan_price_set, price_errors
from tisser.bilans.services.hours import MAX_HOURS
from tisser.bilans.services.paperwork_pdf import paperwork_pdf, paperwork_pdf_content
from tisser.core.audit import audit_record
from tisser.core.dates import french_date
from tisser.core.french import de
from tisser.core.versioning import version_bump, version_require
from tisser.notifications.actions import resolve
from tisser.notifications.services import (
    PlannedNotification,
    channels_for,
    notifications_bulk_get_or_create,
)

FIELDS = (
    "employer_name",
    "employer_address",
    "employer_representative",
    "objective",
    "content",
    "human_means",
    "material_means",
    "duration_hours",
    "start_date",
    "end_date",
    "phase_preliminary",
    "phase_investigation",
    "phase_conclusion",
    "tools_methods",
    "results_delivery",
    "payment_terms",
)
# Recorded from the signed paper (and the day the draft was transmitted).
SIGNATURE_FIELDS = (
    "transmitted_on",
    "organisme_signed_on",
    "employer_signed_on",
    "beneficiary_signed_on",
    "signed_place",
)


# The convention saved elsewhere since the form was opened (StaleVersion, ADR 0007).
STALE_MESSAGE = gettext_lazy(
    "La convention a été enregistrée entre-temps. Relisez la version enregistrée, "
    "affichée à côté de chaque champ modifié, avant d'enregistrer la vôtre."
)


# The reminder before the deadline leaves this many days before it (and on the last day if
# the draft was transmitted later than that).
REMINDER_DAYS_BEFORE = 3


def convention_applies(bilan: Bilan) -> bool:
    """R6313-8: the skills development plan or a congé de reclassement."""
    return bilan.funding in CONVENTION_FUNDINGS


class ConventionState(models.TextChoices):
    MISSING = "missing", gettext_lazy("Convention à rédiger")
    DRAFT = "draft", gettext_lazy("Convention à transmettre à la personne")
    AWAITING = "awaiting", gettext_lazy("En attente de la signature de la personne")
    REFUSED = "refused", gettext_lazy("Refusée : pas de signature dans les dix jours")
    ACCEPTED = "accepted", gettext_lazy("Signée par la personne, signatures à compléter")
    SIGNED = "signed", gettext_lazy("Signée par les trois parties")


@dataclass(frozen=True)
class ConventionStatus:
    """Where a bilan's convention stands on `today`: `deadline` is the last day the
    beneficiary may sign; `missing` the parties whose signature is not recorded yet."""

    state: ConventionState
    deadline: date | None = None
    days_left: int | None = None
    missing: tuple[str, ...] = ()

    @property
    def blocks(self) -> bool:
        return self.state != ConventionState.SIGNED


def convention_status(convention: Convention | None, today: date | None = None) -> ConventionStatus:
    today = today or timezone.localdate()
    if convention is None:
        return ConventionStatus(ConventionState.MISSING)
    deadline = convention.deadline
    if deadline is None:
        return ConventionStatus(ConventionState.DRAFT)
    missing = tuple(
        str(label)
        for label, signed in (
            (_("l'organisme"), convention.organisme_signed_on),
            (_("l'employeur"), convention.employer_signed_on),
            (_("la personne"), convention.beneficiary_signed_on),
        )
        if signed is None
    )
    if convention.beneficiary_signed_on is None:
        if today > deadline:
            return ConventionStatus(ConventionState.REFUSED, deadline, missing=missing)
        return ConventionStatus(
            ConventionState.AWAITING, deadline, (deadline - today).days, missing
        )
    if missing:
        return ConventionStatus(ConventionState.ACCEPTED, deadline, missing=missing)
    return ConventionStatus(ConventionState.SIGNED, deadline)


def convention_initial(bilan: Bilan) -> dict:
    """What a new convention form starts with: the legal framework written out (phases,
    delivery of the results), dates and price from the bilan; the employer and terms are the
    consultant's to fill in."""
    start = timezone.localtime(bilan.opened_at).date()
    with translation.override("fr"):
        return {
            "price_euros": bilan.price_euros,
            "objective": _(
                "Permettre à %(name)s d'analyser ses compétences professionnelles et "
                "personnelles, ses aptitudes et ses motivations, afin de définir un projet "
                "professionnel et, le cas échéant, un projet de formation "
                "(article L6313-4 du Code du travail)."
            )
            % {"name": bilan.beneficiary.get_full_name() or bilan.beneficiary.email},
            "content": _(
                "Entretiens individuels avec un·e conseiller·ère bilan, travaux personnels "
                "entre les entretiens, enquêtes auprès de professionnels, restitution des "
                "résultats et remise du document de synthèse."
            ),
            "human_means": _(
                "%(consultant)s accompagne la personne pendant tout le bilan, pour le compte "
                "%(de_organisation)s."
            )
            % {
                "consultant": bilan.consultant.get_full_name() or bilan.consultant.email,
                "de_organisation": de(bilan.organisation.name),
            },
            "material_means": _(
                "Un bureau fermé garantissant la confidentialité des entretiens, ou des "
                "entretiens à distance ; la plateforme Tisser (questionnaires, portfolio de "
                "compétences, fiches métiers ROME)."
            ),
            "duration_hours": bilan.planned_hours or Decimal(MAX_HOURS),
            "start_date": start,
            "end_date": start + timedelta(weeks=12),
            "phase_preliminary": _(
                "Analyser la demande et le besoin de la personne, déterminer le format le "
                "plus adapté, définir conjointement les modalités de déroulement du bilan."
            ),
            "phase_investigation": _(
                "Construire le projet professionnel et en vérifier la pertinence, ou "
                "élaborer une ou plusieurs alternatives."
            ),
            "phase_conclusion": _(
                "S'approprier les résultats détaillés de la phase d'investigation, recenser "
                "les conditions et moyens de réalisation du ou des projets, prévoir les "
                "principales modalités et étapes de leur mise en œuvre ; un entretien de "
                "suivi est proposé à la personne."
            ),
            "tools_methods": _(
                "Entretiens semi-directifs, analyse du parcours et des réussites, inventaire "
                "d'intérêts professionnels (RIASEC), questionnaire de valeurs et de "
                "motivations, portfolio de compétences, exploration des fiches métiers ROME, "
                "enquêtes-métiers auprès de professionnels."
            ),
            "results_delivery": _(
                "Les résultats détaillés et le document de synthèse sont remis à la seule "
                "personne bénéficiaire lors de l'entretien de conclusion, puis disponibles "
                "dans son espace Tisser."
            ),
            "payment_terms": _(
                "Facturation à l'issue du bilan, sur présentation de l'attestation de "
                "présence ; règlement à 30 jours à réception de la facture."
            ),
        }


def _require_consultant(actor: User, bilan: Bilan) -> None:
    if not (actor.is_authenticated and actor.is_active and actor.pk == bilan.consultant_id):
        raise PermissionDenied


def _require_convention_funding(bilan: Bilan) -> None:
    if not convention_applies(bilan):
        raise ValidationError(
            _(
                "Une convention tripartite ne concerne que les bilans financés par "
                "l'employeur ou réalisés pendant un congé de reclassement."
            ),
            code="funding",
        )


def _locked_open(bilan: Bilan) -> Bilan:
    locked = Bilan.objects.select_for_update().get(pk=bilan.pk)
    if locked.status == Phase.CLOSED:
        raise ValidationError(_("Ce bilan est terminé."), code="closed")
    return locked


def _signatures_clear(convention: Convention) -> None:
    for name in SIGNATURE_FIELDS:
        setattr(convention, name, "" if name == "signed_place" else None)
    convention.beneficiary_accepted_at = None


def convention_save(
    *, consultant: User, bilan: Bilan, values: dict, expected_version: int
) -> Convention:
    """Create or update the convention of `bilan` (its consultant only; employer or
    reclassement funding only; not once the bilan is closed). `values` holds FIELDS and
    `price_euros`, which is written on the bilan (the one price). `expected_version`: the
    version the form was opened at, 0 for a new one; changed since → StaleVersion, nothing
    written. Invalid values → ValidationError by field. Once the beneficiary signed it, the
    convention is not changed any more; a change to one that was transmitted (unsigned, or
    refused) makes it a revised draft: its transmission and signatures are cleared, to be
    transmitted again (a new ten-day period)."""
    _require_consultant(consultant, bilan)
    _require_convention_funding(bilan)
    price = values.get("price_euros")
    if price is None:
        raise ValidationError(
            {"price_euros": [_("Indiquez le prix du bilan (article R6313-8, 2°).")]},
            code="price",
        )
    if wrong := price_errors(price):
        raise ValidationError({"price_euros": wrong}, code="price")
    with transaction.atomic():
        locked = _locked_open(bilan)
        convention = Convention.objects.select_for_update().filter(bilan=locked).first()
        current = timezone.now()
        if convention is None:
            if expected_version != 0:
                raise ValidationError(_("Cette convention n'existe plus."), code="missing")
            convention = Convention(bilan=locked, created_at=current, version=1)
            action = "convention.create"
        else:
            version_bump(convention, expected=expected_version, message=STALE_MESSAGE)
            action = "convention.save"
            if convention.beneficiary_signed_on is not None:
                raise ValidationError(
                    _(
                        "La personne a signé cette convention : elle ne peut plus être "
                        "modifiée. Un changement demande un avenant signé par les trois "
                        "parties."
                    ),
                    code="signed",
                )
        before = {name: getattr(convention, name, None) for name in FIELDS}
        for name in FIELDS:
            value = values.get(name)
            setattr(convention, name, value.strip() if isinstance(value, str) else value)
        revised = convention.transmitted_on is not None and (
            before != {name: getattr(convention, name) for name in FIELDS}
            or price != locked.price_euros
        )
        if revised:
            _signatures_clear(convention)
        convention.bilan = locked
        convention.updated_at = current
        convention.updated_by = consultant
        convention.full_clean(exclude=["bilan"])
        convention.save()
        bilan_price_set(locked, price=price, funder_name=convention.employer_name)
        audit_record(
            actor=consultant,
            action=action,
            target=convention,
            organisation=locked.organisation,
            data={"bilan_id": locked.pk, "version": convention.version, "revised": revised},
        )
    return convention


def _not_future(errors: dict, name: str, value: date | None, today: date) -> None:
    if value is not None and value > today:
        errors.setdefault(name, []).append(_("Cette date est à venir : indiquez une date passée."))


def convention_signatures_save(
    *, consultant: User, bilan: Bilan, values: dict, expected_version: int
) -> Convention:
    """Record, from the paper, the day the draft was transmitted to the employee and the day
    each party signed (the consultant of the bilan only). R6313-8: the employee's signature
    counts only within ten days of the transmission; a later one is refused with the way
    out (a revised convention transmitted again, a new period). ValidationError by field;
    StaleVersion when the convention changed since the form was opened."""
    _require_consultant(consultant, bilan)
    _require_convention_funding(bilan)
    today = timezone.localdate()
    with transaction.atomic():
        locked = _locked_open(bilan)
        convention = Convention.objects.select_for_update().filter(bilan=locked).first()
        if convention is None:
            raise ValidationError(
                _("Rédigez et enregistrez d'abord la convention."), code="missing"
            )
        version_bump(convention, expected=expected_version, message=STALE_MESSAGE)
        previous_signed_on = convention.beneficiary_signed_on
        for name in SIGNATURE_FIELDS:
            value = values.get(name)
            setattr(convention, name, (value or "").strip() if name == "signed_place" else value)
        errors: dict[str, list] = {}
        for name in SIGNATURE_FIELDS[:-1]:
            _not_future(errors, name, getattr(convention, name), today)
        signed_on = convention.beneficiary_signed_on
        if signed_on is not None and "beneficiary_signed_on" not in errors:
            if convention.transmitted_on is None:
                errors["transmitted_on"] = [
                    _(
                        "Indiquez le jour où la convention a été transmise à la personne : "
                        "le délai de dix jours court à partir de ce jour."
                    )
                ]
            elif signed_on < convention.transmitted_on:
                errors["beneficiary_signed_on"] = [
                    _("La personne ne peut pas avoir signé avant la transmission.")
                ]
            elif convention.deadline is not None and signed_on > convention.deadline:
                errors["beneficiary_signed_on"] = [
                    _(
                        "Signée après le délai de dix jours (jusqu'au %(deadline)s) : "
                        "l'absence de réponse dans ce délai vaut refus (article R6313-8). "
                        "Transmettez une convention révisée pour ouvrir un nouveau délai."
                    )
                    % {"deadline": french_date(convention.deadline, "j F Y")}
                ]
        if errors:
            raise ValidationError(errors)
        if signed_on != previous_signed_on:
            # A date typed from the paper replaces an acceptance given in the app.
            convention.beneficiary_accepted_at = None
        convention.updated_at = timezone.now()
        convention.updated_by = consultant
        convention.save()
        audit_record(
            actor=consultant,
            action="convention.signatures_save",
            target=convention,
            organisation=locked.organisation,
            data={
                "bilan_id": locked.pk,
                **{name: str(getattr(convention, name) or "") for name in SIGNATURE_FIELDS},
            },
        )
        if convention.beneficiary_signed_on is not None:
            # Signed on paper: "Convention à signer" is done, for both (ADR 0024).
            resolve(convention, BilanNotice.CONVENTION_DEADLINE)
    return convention


def convention_accept(*, beneficiary: User, bilan: Bilan, expected_version: int) -> Convention:
    """The beneficiary accepts the convention in the app, within ten days of its
    transmission (R6313-8): the moment is recorded and its day is their signing date. Only
    the beneficiary (PermissionDenied); the version they read (StaleVersion otherwise, so
    that nobody accepts a text they did not see); after the deadline, a ValidationError
    saying the silence was a refusal."""
    if not (beneficiary.is_authenticated and beneficiary.pk == bilan.beneficiary_id):
        raise PermissionDenied
    _require_convention_funding(bilan)
    with transaction.atomic():
        locked = _locked_open(bilan)
        convention = Convention.objects.select_for_update().filter(bilan=locked).first()
        version_require(
            convention,
            expected=expected_version,
            message=_(
                "La convention a changé depuis l'affichage de la page : relisez-la avant de "
                "l'accepter."
            ),
        )
        assert convention is not None  # version_require: None only matches version 0
        if convention.beneficiary_signed_on is not None:
            return convention
        status = convention_status(convention)
        if status.state == ConventionState.DRAFT:
            raise ValidationError(
                _("La convention ne vous a pas encore été transmise."), code="draft"
            )
        if status.state == ConventionState.REFUSED:
            raise ValidationError(
                _(
                    "Le délai de dix jours pour signer cette convention est passé : sans "
                    "signature dans ce délai, elle est réputée refusée. Votre conseiller·ère "
                    "peut vous en transmettre une nouvelle."
                ),
                code="refused",
            )
        at = timezone.now()
        convention.beneficiary_accepted_at = at
        convention.beneficiary_signed_on = timezone.localdate(at)
        convention.version += 1
        convention.save(
            update_fields=["beneficiary_accepted_at", "beneficiary_signed_on", "version"]
        )
        audit_record(
            actor=beneficiary,
            action="convention.accept",
            target=convention,
            organisation=locked.organisation,
            data={"bilan_id": locked.pk, "version": convention.version},
        )
        resolve(convention, BilanNotice.CONVENTION_DEADLINE)
    return convention


def convention_require(bilan: Bilan, today: date | None = None) -> None:
    """ValidationError (code "convention") saying what to do unless the convention is
    signed by the three parties, the employee within ten days of its transmission."""
    convention = Convention.objects.filter(bilan=bilan).first()
    status = convention_status(convention, today)
    deadline = status.deadline and french_date(status.deadline, "j F Y")
    match status.state:
        case ConventionState.SIGNED:
            return
        case ConventionState.MISSING:
            message = _(
                "Ce bilan demande une convention tripartite signée avant de quitter la phase "
                "préliminaire (article R6313-8) : rédigez-la, faites-la transmettre à la "
                "personne, puis enregistrez les signatures."
            )
        case ConventionState.DRAFT:
            message = _(
                "La convention n'a pas été transmise à la personne : indiquez la date de "
                "transmission, puis les signatures, avant de quitter la phase préliminaire."
            )
        case ConventionState.AWAITING:
            message = _(
                "La personne n'a pas encore signé la convention ; elle a jusqu'au "
                "%(deadline)s. Le bilan quittera la phase préliminaire une fois la "
                "convention signée par les trois parties."
            ) % {"deadline": deadline}
        case ConventionState.REFUSED:
            message = _(
                "La personne n'a pas signé la convention dans les dix jours (jusqu'au "
                "%(deadline)s) : elle est réputée l'avoir refusée (article R6313-8) et le "
                "bilan ne peut pas continuer. Vous pouvez lui transmettre une convention "
                "révisée, qui ouvre un nouveau délai de dix jours."
            ) % {"deadline": deadline}
        case _:
            message = _(
                "Il manque la signature de %(parties)s sur la convention : enregistrez la "
                "date de chaque signature avant de quitter la phase préliminaire."
            ) % {"parties": _(" et ").join(status.missing)}
    raise ValidationError(message, code="convention")


def preliminary_exit_require(bilan: Bilan) -> None:
    """The funding's paperwork a bilan needs before it leaves its preliminary phase: the
    tripartite convention (R6313-8) or the self-funded contract with its withdrawal period
    over (L6353-3 to L6353-6). ValidationError saying what to do; nothing for other
    fundings. Called by `bilan_phase_advance` under the bilan's lock."""
    if convention_applies(bilan):
        convention_require(bilan)
    elif bilan.funding == Funding.PERSONAL:
        contract_require(bilan)


def convention_pdf(*, actor: User, convention: Convention) -> bytes:
    """The convention as a PDF, for the bilan's consultant or beneficiary (PermissionDenied
    otherwise); the download is in the audit log."""
    bilan = convention.bilan
    if not bilan.involves(actor):
        raise PermissionDenied
    _require_convention_funding(bilan)
    return paperwork_pdf(
        actor=actor,
        bilan=bilan,
        document=convention,
        name="convention",
        title=_("Convention tripartite de bilan de compétences"),
        template="documents/convention.html",
    )


def convention_pdf_content(convention: Convention) -> bytes:
    """The convention's PDF with no access check and no audit entry, for a caller that checks
    and records who asks itself (the auditor's export, tisser.quality)."""
    return paperwork_pdf_content(
        bilan=convention.bilan,
        document=convention,
        name="convention",
        title=_("Convention tripartite de bilan de compétences"),
        template="documents/convention.html",
    )


def convention_reminders_plan(
    *, now: datetime | None = None, organisation_id: int | None = None
) -> int:
    """Remind the beneficiary and the consultant of a convention still unsigned by the
    beneficiary when its deadline is REMINDER_DAYS_BEFORE days away or less (once per
    transmission and channel: the idempotency key names the transmission day), for the
    bilans of `organisation_id` (of every organisation when None). Returns how many
    notifications were created. A bounded number of queries: the conventions, then two per
    thousand messages (`notifications_bulk_get_or_create`)."""
    today = timezone.localdate(now or timezone.now())
    conventions = Convention.objects.filter(
        bilan__funding__in=CONVENTION_FUNDINGS,
        transmitted_on__isnull=False,
        transmitted_on__gte=today - timedelta(days=10),
        transmitted_on__lte=today,
        beneficiary_signed_on__isnull=True,
    ).exclude(bilan__status=Phase.CLOSED)
    if organisation_id is not None:
        conventions = conventions.filter(bilan__organisation_id=organisation_id)
    conventions = conventions.select_related(
        "bilan__beneficiary__notification_preference",
        "bilan__consultant__notification_preference",
    ).order_by("pk")

    def planned():
        for convention in conventions.iterator(chunk_size=1000):
            status = convention_status(convention, today)
            if (
                status.state != ConventionState.AWAITING
                or status.deadline is None
                or status.days_left is None
                or status.days_left > REMINDER_DAYS_BEFORE
            ):
                continue
            bilan = convention.bilan
            for recipient in (bilan.beneficiary, bilan.consultant):
                if not recipient.is_active:
                    continue
                for channel in channels_for(recipient):
                    yield PlannedNotification(
                        recipient=recipient,
                        channel=channel,
                        kind=BilanNotice.CONVENTION_DEADLINE,
                        idempotency_key=(
                            f"convention-deadline:{convention.pk}:{convention.transmitted_on}:"
                            f"{recipient.pk}:{channel}"
                        ),
                        content=partial(
                            convention_deadline_content,
                            bilan_id=bilan.pk,
                            deadline=status.deadline,
                            for_beneficiary=recipient.pk == bilan.beneficiary_id,
                            beneficiary_name=bilan.beneficiary.get_full_name()
                            or bilan.beneficiary.email,
                            recipient=recipient,
                            channel=channel,
                        ),
                        scheduled_for=timezone.now(),
                        about=convention,
                    )

    return notifications_bulk_get_or_create(planned())
