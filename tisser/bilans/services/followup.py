"""The follow-up interview (entretien de suivi) the consultant offers at the end of the
bilan, usually six months later.

Once accepted, it becomes a single meetings occurrence of kind OTHER, not BILAN_SESSION,
and it is not linked to the bilan through `BilanSession`. Why: the 24 hours of the law
(R6313-4) count the entretiens of the bilan itself (`services.hours` counts only the
BILAN_SESSION series linked through `BilanSession`); the follow-up comes after the bilan
has ended and must never use any of those hours. Keeping it out of both conditions means no
future change to the hours counter can pull it in by accident. The link back to the bilan
is `FollowUp.series`."""

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.timezone import now
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tisser.accounts.models import User
from tisser.bilans.models import Bilan, FollowUp, Phase
from tisser.bilans.notice_kinds import BilanNotice
from tisser.bilans.notices import followup_proposed_content
from tisser.core.audit import audit_record
from tisser.core.versioning import version_bump, version_require
from tisser.meetings import services as meetings
from tisser.meetings.models import MeetingKind, MeetingMode
from tisser.notifications.actions import resolve
from tisser.notifications.services import channels_for, notification_get_or_create

MIN_MINUTES, MAX_MINUTES = 15, 240
# When a follow-up may be proposed: from the conclusion phase (the law has it offered
# there) to after the end.
PROPOSABLE_PHASES = (Phase.CONCLUSION, Phase.CLOSED)


def _require_consultant(actor: User, bilan: Bilan) -> None:
    if not (actor.is_authenticated and actor.is_active and actor.pk == bilan.consultant_id):
        raise PermissionDenied


# A proposal changed since the page was shown (StaleVersion, ADR 0007).
STALE_MESSAGE = gettext_lazy(
    "La proposition vient d'être modifiée : relisez-la avant de continuer."
)
# The notes of the follow-up interview saved elsewhere meanwhile.
NOTES_STALE_MESSAGE = gettext_lazy(
    "Ces notes ont été enregistrées ailleurs pendant que vous les écriviez. Relisez la "
    "version enregistrée avant d'enregistrer la vôtre."
)


def _notify_proposed(followup: FollowUp) -> None:
    """Tell the beneficiary, once per version of the proposal."""
    beneficiary = followup.bilan.beneficiary
    if not beneficiary.is_active:
        return
    for channel in channels_for(beneficiary):
        content = followup_proposed_content(
            bilan_id=followup.bilan_id,
            start=followup.start,
            mode_label=followup.get_mode_display(),
            message=followup.message,
            consultant_name=followup.bilan.consultant.get_full_name()
            or followup.bilan.consultant.email,
            recipient=beneficiary,
            channel=channel,
        )
        notification_get_or_create(
            recipient=beneficiary,
            channel=channel,
            kind=BilanNotice.FOLLOWUP_PROPOSED,
            idempotency_key=f"followup-proposed:{followup.pk}:{followup.version}:{channel}",
            subject=content.subject,
            body=content.body,
            url=content.url,
            about=followup,
        )


def followup_propose(
    *,
    consultant: User,
    bilan: Bilan,
    start: datetime,
    duration_minutes: int,
    mode: MeetingMode | str,
    location: str = "",
    message: str = "",
    expected_version: int = 0,
) -> FollowUp:
    """Propose (or propose again) the follow-up interview of a bilan: its consultant only
    (PermissionDenied otherwise), once the bilan is in its conclusion phase or closed, at a
    future date. `expected_version` is the version of the proposal the consultant saw (0
    for none): a changed proposal is refused. A proposal already accepted or done is not
    changed here (the meeting is moved from its own page). The consultant must be free
    then: a clash with a scheduled meeting of theirs is a ValidationError on "start" naming
    it (ADR 0022). The beneficiary is told."""
    _require_consultant(consultant, bilan)
    errors: dict[str, list[str]] = {}
    if start <= now():
        errors["start"] = [_("Choisissez une date à venir.")]
    if not MIN_MINUTES <= duration_minutes <= MAX_MINUTES:
        errors["duration_minutes"] = [_("Un entretien de suivi dure de 15 minutes à 4 heures.")]
    if mode not in MeetingMode.values:
        errors["mode"] = [_("Choisissez la modalité de l'entretien.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Bilan.objects.select_for_update().get(pk=bilan.pk)
        if locked.status not in PROPOSABLE_PHASES:
            raise ValidationError(
                _("L'entretien de suivi se propose à partir de la phase de conclusion."),
                code="phase",
            )
        followup = FollowUp.objects.filter(bilan=locked).first()
        fields = {
            "start": start,
            "duration_minutes": duration_minutes,
            "mode": MeetingMode(mode),
            "location": location.strip(),
            "message": message.strip(),
            "status": FollowUp.Status.PROPOSED,
            "proposed_at": now(),
            "answered_at": None,
            "decline_reason": "",
        }
        if followup is None:
            version_require(None, expected=expected_version, message=STALE_MESSAGE)
            followup = FollowUp.objects.create(bilan=locked, **fields)
        else:
            version_bump(followup, expected=expected_version, message=STALE_MESSAGE)
            if followup.status in (FollowUp.Status.ACCEPTED, FollowUp.Status.DONE):
                raise ValidationError(
                    _(
                        "L'entretien de suivi est déjà accepté : pour changer sa date, "
                        "déplacez la rencontre depuis sa page."
                    ),
                    code="accepted",
                )
            for name, value in fields.items():
                setattr(followup, name, value)
            followup.save()
        # After the version and status checks, which say more. The consultant proposes only
        # a time they are free (ADR 0022): the same check, under the same lock (the bilan,
        # then the consultant's row), as a bilan's entretiens; a clash rolls it all back.
        meetings.schedule_lock(consultant)
        meetings.require_free(
            user=consultant,
            slots=[(start, start + timedelta(minutes=duration_minutes))],
            field="start",
        )
        audit_record(
            actor=consultant,
            action="followup.propose",
            target=followup,
            organisation=locked.organisation,
            data={"bilan_id": locked.pk, "start": start.isoformat(), "version": followup.version},
        )
        followup.bilan = locked
        # A proposal made again replaces the one not answered (ADR 0024).
        resolve(followup, BilanNotice.FOLLOWUP_PROPOSED)
        _notify_proposed(followup)
    return followup


def followup_answer(
    *,
    beneficiary: User,
    followup: FollowUp,
    accept: bool,
    expected_version: int,
    reason: str = "",
) -> FollowUp:
    """The beneficiary (only them: PermissionDenied otherwise) accepts or declines the
    proposal they saw (`expected_version`: a proposal changed since is refused). Accepting
    creates the meeting (kind OTHER, see the module docstring) between the consultant and
    the beneficiary; a date already passed cannot be accepted, nor one the consultant is no
    longer free at (their other meeting is not named to the beneficiary)."""
    bilan = followup.bilan
    if not (beneficiary.is_authenticated and beneficiary.pk == bilan.beneficiary_id):
        raise PermissionDenied
    with transaction.atomic():
        locked = FollowUp.objects.select_for_update().select_related("bilan").get(pk=followup.pk)
        version_bump(locked, expected=expected_version, message=STALE_MESSAGE)
        if locked.status != FollowUp.Status.PROPOSED:
            raise ValidationError(_("Vous avez déjà répondu à cette proposition."), code="answered")
        current = now()
        if accept:
            if locked.start <= current:
                raise ValidationError(
                    _(
                        "La date proposée est passée : demandez une nouvelle date à votre "
                        "conseiller·ère."
                    ),
                    code="past",
                )
            name = beneficiary.get_full_name() or beneficiary.email
            try:
                # Checks that the consultant is still free then (`series_create`, ADR 0022).
                locked.series = meetings.series_create(
                    organiser=bilan.consultant,
                    organisation=bilan.organisation,
                    kind=MeetingKind.OTHER,
                    title=_("Entretien de suivi du bilan — %(name)s") % {"name": name},
                    # The message is for the person: not in the series, which the
                    # coordination reads and .ics files carry to other calendars.
                    participants=[beneficiary],
                    first_start=locked.start,
                    duration_minutes=locked.duration_minutes,
                    rrule="",
                    mode=MeetingMode(locked.mode),
                    location=locked.location,
                )
            except ValidationError as error:
                if not meetings.is_clash(error):
                    raise
                # Not the consultant's other meeting: their agenda is not the person's to read.
                raise ValidationError(
                    _(
                        "Votre conseiller·ère n'est plus disponible à cette date : demandez-lui "
                        "une nouvelle date."
                    ),
                    code="clash",
                ) from None
            locked.status = FollowUp.Status.ACCEPTED
        else:
            locked.status = FollowUp.Status.DECLINED
            locked.decline_reason = reason.strip()
        locked.answered_at = current
        locked.save()
        audit_record(
            actor=beneficiary,
            action="followup.accept" if accept else "followup.decline",
            target=locked,
            organisation=bilan.organisation,
            data={"bilan_id": bilan.pk, "series_id": locked.series_id},
        )
        resolve(locked, BilanNotice.FOLLOWUP_PROPOSED)
    return locked


def followup_notes_save(
    *, consultant: User, followup: FollowUp, notes: str, expected_version: int
) -> FollowUp:
    """The consultant records the follow-up interview: once it has taken place (accepted
    and started), saving marks it done; afterwards it edits its notes. Version-checked:
    StaleVersion carries the follow-up as saved meanwhile."""
    bilan = followup.bilan
    _require_consultant(consultant, bilan)
    with transaction.atomic():
        locked = FollowUp.objects.select_for_update().get(pk=followup.pk)
        version_bump(locked, expected=expected_version, message=NOTES_STALE_MESSAGE)
        if locked.status not in (FollowUp.Status.ACCEPTED, FollowUp.Status.DONE):
            raise ValidationError(
                _("Seul un entretien de suivi accepté peut être noté comme réalisé."),
                code="status",
            )
        current = now()
        if locked.status == FollowUp.Status.ACCEPTED:
            if locked.start > current:
                raise ValidationError(
                    _("L'entretien de suivi n'a pas encore eu lieu."), code="not_started"
                )
            locked.status = FollowUp.Status.DONE
            locked.done_at = current
        locked.notes = notes.strip()
        locked.save()
        audit_record(
            actor=consultant,
            action="followup.notes_save",
            target=locked,
            organisation=bilan.organisation,
            data={"bilan_id": bilan.pk, "status": locked.status, "version": locked.version},
        )
    locked.bilan = bilan
    return locked
