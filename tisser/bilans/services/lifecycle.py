"""Opening a bilan, the beneficiary's consent, its phases (Code du travail R6313-4) and every
way it ends.

A bilan ends in one of four ways (`Outcome`), each through one service here:
- completed: the consultant closes it from the conclusion phase once the document de synthèse
  has been presented to the person (`bilan_phase_advance`);
- interrupted or abandoned: the consultant ends it early, from any open phase, with the CPF
  reason and the date (`bilan_end_early`);
- withdrawn: the person withdraws their consent (L6313-4: the bilan is only carried out with
  their consent), at any time (`bilan_consent_withdraw`).
Every end sets status CLOSED, `closed_at`, `outcome`, the hours done (frozen from the
entretiens attended), a PhaseTransition and an audit entry; the person may then have a new
bilan opened. What happens to the working documents then is the retention rule's
(R6313-7, `tisser.bilans.services.retention`)."""

from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.timezone import now
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tisser.accounts.models import Membership, User
from tisser.bilans import consent
from tisser.bilans.models import (
    Bilan,
    BilanConsent,
    EndReason,
    Funding,
    Outcome,
    Phase,
    PhaseTransition,
    PreliminaryRecord,
    SynthesisDocument,
    SynthesisStatus,
    next_phase,
)
from tisser.bilans.notice_kinds import BilanNotice
from tisser.bilans.services.convention import preliminary_exit_require
from tisser.bilans.services.funding import funding_values_clean
from tisser.bilans.services.hours import bilan_hours
from tisser.bilans.services.synthesis import synthesis_pdf_render_soon
from tisser.core.audit import audit_record
from tisser.core.dates import french_date
from tisser.core.enums import Role
from tisser.core.french import de
from tisser.core.versioning import version_bump
from tisser.meetings import services as meetings
from tisser.meetings.models import MeetingKind, MeetingSeries, Occurrence
from tisser.notifications.content import absolute_url
from tisser.notifications.models import Notification
from tisser.notifications.services import channels_for, notification_get_or_create
from tisser.notifications.tasks import notification_deliver

# Early ends the consultant declares; a withdrawal of consent is the person's own action.
EARLY_OUTCOMES = (Outcome.INTERRUPTED, Outcome.ABANDONED)
# The synthèse states in which it has been presented to the person (former R6322-39: it is
# presented to them for their observations; their validation is welcome, not required).
PRESENTED = (SynthesisStatus.SUBMITTED, SynthesisStatus.VALIDATED)
STALE_MESSAGE = gettext_lazy(
    "Ce bilan vient d'être modifié : rechargez la page avant de continuer."
)


def can_open_for(consultant: User, beneficiary: User) -> Membership | None:
    """The beneficiary's membership when `consultant` may open a bilan for them, else None.

    Rule: only the consultant who invited the beneficiary (their active beneficiary
    membership names them), still an active consultant of that organisation. The inviting
    consultant is the one the beneficiary knows and the one who sees their isolation checks;
    handing a bilan over to a colleague is a later, explicit action."""
    if not (consultant.is_authenticated and consultant.is_active and beneficiary.is_active):
        return None
    membership = (
        Membership.objects.beneficiaries_of(consultant)
        .filter(user=beneficiary)
        .select_related("organisation")
        .order_by("id")
        .first()
    )
    if membership is None:
        return None
    is_consultant = Membership.objects.filter(
        user=consultant,
        organisation_id=membership.organisation_id,
        role=Role.CONSULTANT,
        is_active=True,
    ).exists()
    return membership if is_consultant else None


def bilan_open(
    *,
    consultant: User,
    beneficiary: User,
    funding: Funding | str,
    funder_name: str = "",
    price_euros: Decimal | None = None,
    planned_hours: Decimal | None = None,
) -> Bilan:
    """Open a bilan, in its preliminary phase, for a beneficiary `consultant` invited (see
    `can_open_for`; PermissionDenied otherwise), with its funding, funder, price and planned
    hours (`funding_values_clean`). A beneficiary has one open bilan at a time:
    a second one is a ValidationError until the first is closed."""
    membership = can_open_for(consultant, beneficiary)
    if membership is None:
        raise PermissionDenied
    values = funding_values_clean(
        funding=funding,
        funder_name=funder_name,
        price_euros=price_euros,
        planned_hours=planned_hours,
        beneficiary=beneficiary,
    )
    with transaction.atomic():
        # Lock the beneficiary's membership: two consultants' clicks cannot open two bilans.
        Membership.objects.select_for_update().get(pk=membership.pk)
        if Bilan.objects.open().filter(beneficiary=beneficiary).exists():
            raise ValidationError(
                {"beneficiary": [_("Cette personne a déjà un bilan en cours.")]}, code="open"
            )
        opened_at = now()
        bilan = Bilan.objects.create(
            organisation=membership.organisation,
            beneficiary=beneficiary,
            consultant=consultant,
            **values,
            status=Phase.PRELIMINARY,
            opened_at=opened_at,
            last_activity_at=opened_at,
        )
        audit_record(
            actor=consultant,
            action="bilan.open",
            target=bilan,
            organisation=membership.organisation,
            data={"beneficiary_id": beneficiary.pk, "funding": str(funding)},
        )
    return bilan


def bilan_consent_give(*, beneficiary: User, bilan: Bilan, text_version: str) -> BilanConsent:
    """The beneficiary (and only them: PermissionDenied otherwise) gives their informed
    consent to the current text, `text_version` being the version they were shown: an
    outdated page is a ValidationError so that nobody accepts a text they did not read.
    Giving it again keeps the first one; a closed bilan takes none."""
    if not (beneficiary.is_authenticated and beneficiary.pk == bilan.beneficiary_id):
        raise PermissionDenied
    if text_version != consent.VERSION:
        raise ValidationError(
            _("Le texte a changé depuis l'affichage de la page : relisez-le puis acceptez-le."),
            code="version",
        )
    with transaction.atomic():
        locked = Bilan.objects.select_for_update().get(pk=bilan.pk)
        existing = BilanConsent.objects.filter(bilan=locked).first()
        if existing is not None:
            return existing
        if locked.status == Phase.CLOSED:
            raise ValidationError(_("Ce bilan est terminé."), code="closed")
        given = BilanConsent.objects.create(
            bilan=locked,
            text_version=consent.VERSION,
            text=str(consent.TEXT),
            accepted_at=now(),
            accepted_by=beneficiary,
        )
        audit_record(
            actor=beneficiary,
            action="bilan.consent_give",
            target=locked,
            organisation=locked.organisation,
            data={"text_version": consent.VERSION},
        )
    return given


def bilan_phase_advance(
    *, actor: User, bilan: Bilan, to_phase: Phase | str, cancel_future_sessions: bool = False
) -> Bilan:
    """Move the bilan to `to_phase`, which must be the phase right after the current one
    (phases are never skipped nor gone back to). Only the bilan's consultant may
    (PermissionDenied otherwise). Leaving the preliminary phase needs the beneficiary's
    consent and the preliminary record written and acknowledged (R6313-4 1°); closing ends
    the bilan as completed and needs the document de synthèse presented to the person
    (submitted to them, validated or not: former R6322-39). Each step is a dated, attributed
    PhaseTransition and an audit entry. `cancel_future_sessions`, when closing, cancels the
    entretiens still to come and their reminders (`bilan_future_sessions_cancel`)."""
    if not (actor.is_authenticated and actor.is_active and actor.pk == bilan.consultant_id):
        raise PermissionDenied
    if to_phase not in Phase.values:
        raise ValidationError(_("Phase inconnue."), code="unknown")
    to_phase = Phase(to_phase)
    with transaction.atomic():
        locked = Bilan.objects.select_for_update().get(pk=bilan.pk)
        version_bump(locked, expected=bilan.version, message=STALE_MESSAGE)
        expected = next_phase(locked.status)
        if expected is None:
            raise ValidationError(_("Ce bilan est déjà terminé."), code="closed")
        if to_phase != expected:
            raise ValidationError(
                _(
                    "Un bilan passe d'une phase à la suivante, sans en sauter : la prochaine "
                    "étape est « %(next)s »."
                )
                % {"next": expected.label},
                code="order",
            )
        if (
            locked.status == Phase.PRELIMINARY
            and not BilanConsent.objects.filter(bilan=locked).exists()
        ):
            raise ValidationError(
                _(
                    "Le bilan ne peut pas quitter la phase préliminaire avant que la personne "
                    "ait donné son consentement."
                ),
                code="consent",
            )
        if locked.status == Phase.PRELIMINARY:
            preliminary_exit_require(locked)  # R6313-8, L6353-3 to L6353-6
        if (
            locked.status == Phase.PRELIMINARY
            and not PreliminaryRecord.objects.filter(
                bilan=locked, acknowledged_at__isnull=False
            ).exists()
        ):
            # R6313-4 1°: the request and need analysed, the format chosen, the course of
            # the bilan defined together with the person.
            raise ValidationError(
                _(
                    "Le bilan ne peut pas quitter la phase préliminaire avant que son compte "
                    "rendu soit rédigé et approuvé par la personne."
                ),
                code="preliminary",
            )
        if to_phase == Phase.CLOSED:
            document = SynthesisDocument.objects.filter(bilan=locked).first()
            if document is None or document.status not in PRESENTED:
                raise ValidationError(
                    _(
                        "Le bilan ne peut pas se terminer avant que son document de synthèse "
                        "ait été présenté à la personne : soumettez-le-lui d'abord."
                    ),
                    code="synthesis",
                )
            _end(actor=actor, bilan=locked, outcome=Outcome.COMPLETED, at=now())
            if document.status == SynthesisStatus.SUBMITTED:
                # Presented but not validated: its PDF is the one given to the person.
                synthesis_pdf_render_soon(document.pk)
        else:
            at = now()
            PhaseTransition.objects.create(
                bilan=locked, from_phase=locked.status, to_phase=to_phase, at=at, by=actor
            )
            from_phase = locked.status
            locked.status = to_phase
            locked.save(update_fields=["status"])
            audit_record(
                actor=actor,
                action="bilan.phase_advance",
                target=locked,
                organisation=locked.organisation,
                data={"from": str(from_phase), "to": str(to_phase)},
            )
        if to_phase == Phase.CLOSED and cancel_future_sessions:
            _cancel_future_sessions(actor=actor, bilan=locked)
    bilan.refresh_from_db()
    return bilan


def _hours_done(bilan: Bilan) -> Decimal:
    """The effective hours (entretiens the person attended), to the tenth, as declared."""
    return bilan_hours(bilan).effective.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _end(
    *,
    actor: User,
    bilan: Bilan,
    outcome: Outcome,
    at: datetime,
    reason: str = "",
    note: str = "",
) -> None:
    """Close `bilan` (locked by the caller, its version already bumped): every end goes
    through here, so that each one freezes the same facts."""
    from_phase = bilan.status
    PhaseTransition.objects.create(
        bilan=bilan, from_phase=from_phase, to_phase=Phase.CLOSED, at=at, by=actor
    )
    bilan.status = Phase.CLOSED
    bilan.closed_at = at
    bilan.outcome = outcome
    bilan.end_reason = reason
    bilan.end_note = note
    bilan.hours_done = _hours_done(bilan)
    bilan.save(
        update_fields=["status", "closed_at", "outcome", "end_reason", "end_note", "hours_done"]
    )
    audit_record(
        actor=actor,
        action="bilan.end",
        target=bilan,
        organisation=bilan.organisation,
        data={
            "from": str(from_phase),
            "outcome": str(outcome),
            "reason": str(reason),
            "hours_done": str(bilan.hours_done),
        },
    )


def _end_moment(ended_on: date, opened_at: datetime) -> datetime:
    """The moment an end declared for `ended_on` is dated: now for today, else the end of
    that day (never before the opening)."""
    current = now()
    if ended_on >= timezone.localdate(current):
        return current
    moment = timezone.make_aware(datetime.combine(ended_on, time(23, 59)))
    return max(moment, opened_at)


def bilan_end_early(
    *,
    consultant: User,
    bilan: Bilan,
    outcome: Outcome | str,
    reason: EndReason | str,
    ended_on: date | None,
    note: str = "",
    cancel_future_sessions: bool = False,
) -> Bilan:
    """The consultant (only the bilan's: PermissionDenied otherwise) ends an open bilan before
    its term, in any phase: interrupted or abandoned, with the reason the CPF "service fait"
    declaration asks for, the day it ended (today or earlier, not before the opening) and a
    short note. `bilan.version` is the version the page was built from (StaleVersion when it
    changed). Bad input is a ValidationError by field."""
    if not (consultant.is_authenticated and consultant.is_active):
        raise PermissionDenied
    if consultant.pk != bilan.consultant_id:
        raise PermissionDenied
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if outcome not in [o.value for o in EARLY_OUTCOMES]:
        errors["outcome"] = [_("Choisissez : bilan interrompu ou abandonné.")]
    if reason not in EndReason.values:
        errors["reason"] = [_("Choisissez le motif de la fin anticipée.")]
    today = timezone.localdate()
    if ended_on is None:
        errors["ended_on"] = [_("Indiquez la date de fin du bilan.")]
    elif ended_on > today:
        errors["ended_on"] = [_("La date de fin ne peut pas être dans le futur.")]
    elif ended_on < timezone.localdate(bilan.opened_at):
        errors["ended_on"] = [
            _("La date de fin ne peut pas précéder l'ouverture du bilan, le %(date)s.")
            % {"date": french_date(timezone.localdate(bilan.opened_at), "j F Y")}
        ]
    if len(note) > 300:
        errors["note"] = [_("300 caractères au plus.")]
    if errors:
        raise ValidationError(errors, code="invalid")
    assert ended_on is not None
    with transaction.atomic():
        locked = Bilan.objects.select_for_update().get(pk=bilan.pk)
        version_bump(locked, expected=bilan.version, message=STALE_MESSAGE)
        if locked.status == Phase.CLOSED:
            raise ValidationError(_("Ce bilan est déjà terminé."), code="closed")
        _end(
            actor=consultant,
            bilan=locked,
            outcome=Outcome(outcome),
            at=_end_moment(ended_on, locked.opened_at),
            reason=str(reason),
            note=note,
        )
        if cancel_future_sessions:
            _cancel_future_sessions(actor=consultant, bilan=locked)
    bilan.refresh_from_db()
    return bilan


def bilan_consent_withdraw(*, beneficiary: User, bilan: Bilan) -> Bilan:
    """The person withdraws their consent (L6313-4: a bilan is only carried out with the
    person's consent), at any time and in any phase, given or not yet given: the bilan stops
    (outcome WITHDRAWN; for the CPF a partial completion for "abandon", the person's own
    decision). Only the beneficiary may (PermissionDenied otherwise); `bilan.version` is the
    version their confirmation page showed. Their consultant is told; the entretiens still
    to come are theirs to cancel (they organise them)."""
    if not (beneficiary.is_authenticated and beneficiary.pk == bilan.beneficiary_id):
        raise PermissionDenied
    with transaction.atomic():
        locked = Bilan.objects.select_for_update().get(pk=bilan.pk)
        version_bump(locked, expected=bilan.version, message=STALE_MESSAGE)
        if locked.status == Phase.CLOSED:
            raise ValidationError(_("Ce bilan est déjà terminé."), code="closed")
        at = now()
        BilanConsent.objects.filter(bilan=locked, withdrawn_at__isnull=True).update(withdrawn_at=at)
        _end(
            actor=beneficiary,
            bilan=locked,
            outcome=Outcome.WITHDRAWN,
            at=at,
            reason=EndReason.ABANDON,
        )
        _notify_withdrawn(locked)
    bilan.refresh_from_db()
    return bilan


# --- The entretiens still to come ------------------------------------------------------------


def future_sessions(bilan: Bilan):
    """The bilan's entretiens still to come and not cancelled."""
    return Occurrence.objects.scheduled().filter(
        series__bilan_session__bilan=bilan,
        series__kind=MeetingKind.BILAN_SESSION,
        start__gt=now(),
    )


def _cancel_future_sessions(*, actor: User, bilan: Bilan) -> int:
    count = 0
    for occurrence in future_sessions(bilan).select_related("series__organisation"):
        # The meetings' own service: the occurrence is cancelled in calendars, its pending
        # reminders are cancelled and the person is told.
        meetings.occurrence_cancel(actor=actor, occurrence=occurrence)
        count += 1
    for series in MeetingSeries.objects.filter(
        bilan_session__bilan=bilan, kind=MeetingKind.BILAN_SESSION, ended_at__isnull=True
    ):
        # No new entretien is planned from the rule after the end of the bilan.
        meetings.series_end(actor=actor, series=series)
    return count


def bilan_future_sessions_cancel(*, consultant: User, bilan: Bilan) -> int:
    """Cancel the entretiens still to come of an ended bilan (its consultant only, who
    organises them: PermissionDenied otherwise), with their reminders; returns how many were
    cancelled. For a bilan the person stopped, or one closed without cancelling them."""
    if not (consultant.is_authenticated and consultant.pk == bilan.consultant_id):
        raise PermissionDenied
    with transaction.atomic():
        locked = Bilan.objects.select_for_update().get(pk=bilan.pk)
        if locked.status != Phase.CLOSED:
            raise ValidationError(
                _("Les entretiens se gèrent depuis leur page tant que le bilan est en cours."),
                code="open",
            )
        return _cancel_future_sessions(actor=consultant, bilan=locked)


# --- Telling the consultant ------------------------------------------------------------------


def _notify_withdrawn(bilan: Bilan) -> None:
    recipient = bilan.consultant
    if not recipient.is_active:
        return
    path = reverse("bilans:detail", args=[bilan.pk])
    notice_ids = []
    for channel in channels_for(recipient):
        with translation.override(recipient.preferred_language or "fr"):
            name = bilan.beneficiary.get_full_name() or bilan.beneficiary.email
            body = render_to_string(
                "emails/notifications/synthesis.txt",
                {
                    "recipient": recipient,
                    "email": channel == "email",
                    "text": _(
                        "%(name)s a retiré son consentement : son bilan est arrêté. Pensez à "
                        "annuler les entretiens à venir depuis la page du bilan."
                    )
                    % {"name": name},
                    "link": absolute_url(path),
                    "preferences_link": absolute_url(reverse("notifications:preferences")),
                },
            ).strip()
            notice, _created = notification_get_or_create(
                recipient=recipient,
                channel=channel,
                kind=BilanNotice.CONSENT_WITHDRAWN,
                idempotency_key=f"bilan:{bilan.pk}:withdrawn:{recipient.pk}:{channel}",
                subject=_("Consentement retiré : bilan %(de_name)s arrêté") % {"de_name": de(name)},
                body=body + "\n",
                url=path,
            )
        if notice.status == Notification.Status.PENDING:
            notice_ids.append(notice.pk)
    if notice_ids:
        transaction.on_commit(lambda: _deliver_soon(notice_ids))


def _deliver_soon(notification_ids: list[int]) -> None:
    for notification_id in notification_ids:
        notification_deliver.enqueue(notification_id=notification_id)
