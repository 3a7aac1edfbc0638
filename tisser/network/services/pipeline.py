"""The pipeline of an enquête-métier: to contact → message sent → followed up → meeting set →
interview done → thanked → next step, each step dated by a `StageEvent`.

Rules: a step only goes forward (any later step: one may skip "relancé·e" when the person
answers the first message); the only way back is `interview_stage_undo`, which removes the
last step taken. A meeting needs its date. Only the owner of the enquête moves it."""

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from tisser.accounts.models import User
from tisser.core.audit import audit_record
from tisser.core.dates import french_date
from tisser.network.models import STAGE_ORDER, Contact, InformationalInterview, Stage, StageEvent
from tisser.network.notice_kinds import NetworkNotice
from tisser.network.services.contacts import ContactData, beneficiary_membership, contact_create
from tisser.notifications.actions import resolve

Outcome = InformationalInterview.Outcome

# Overdue rule, in days (see `interview_overdue`).
FOLLOW_UP_AFTER_DAYS = 7
THANK_WITHIN_DAYS = 3

# The outcomes that give the enquête a suite: it reaches "suite donnée" once thanked.
NEXT_STEP_OUTCOMES = (Outcome.REFERRAL, Outcome.IMMERSION)


def stage_index(stage: str) -> int:
    return STAGE_ORDER.index(Stage(stage))


def stages_after(stage: str) -> tuple[Stage, ...]:
    """The steps an enquête at `stage` may move to."""
    return STAGE_ORDER[stage_index(stage) + 1 :]


def interview_next_stages(interview: InformationalInterview) -> tuple[Stage, ...]:
    """The steps the person may move `interview` to now: any later one while it is open;
    only "remercié·e" when a suite was noted before the thanks; none once it has ended."""
    if interview.outcome == Outcome.OPEN:
        return stages_after(interview.stage)
    if interview.outcome in NEXT_STEP_OUTCOMES and interview.stage == Stage.INTERVIEW_DONE:
        return (Stage.THANKED,)
    return ()


def awaiting_thanks() -> Q:
    """The enquêtes whose suite was noted but whose contact is not thanked yet."""
    return Q(outcome__in=NEXT_STEP_OUTCOMES, stage=Stage.INTERVIEW_DONE)


def _check_owner(actor: User, interview: InformationalInterview) -> None:
    if actor.pk != interview.owner_id:
        raise PermissionDenied


def _locked(interview: InformationalInterview) -> InformationalInterview:
    """The enquête's row, locked for the transaction: two clicks never interleave."""
    return InformationalInterview.objects.select_for_update().get(pk=interview.pk)


def interview_start(
    *,
    owner: User,
    contact: Contact,
    metier=None,
    project=None,
    at: datetime | None = None,
) -> InformationalInterview:
    """Start an enquête-métier with one of `owner`'s contacts, about a fiche and/or one of
    their projects: first step "à contacter"."""
    membership = beneficiary_membership(owner)
    if contact.owner_id != owner.pk:
        raise PermissionDenied
    if project is not None and project.bilan.beneficiary_id != owner.pk:
        raise ValidationError({"project": [_("Choisissez un de vos projets.")]})
    at = at or timezone.now()
    with transaction.atomic():
        interview = InformationalInterview.objects.create(
            owner=owner,
            contact=contact,
            metier=metier,
            project=project,
            stage=Stage.TO_CONTACT,
            stage_changed_at=at,
        )
        StageEvent.objects.create(interview=interview, stage=Stage.TO_CONTACT, at=at)
        audit_record(
            actor=owner,
            action="interview.start",
            target=interview,
            organisation=membership.organisation,
        )
    return interview


def _resolve_reminders(interview: InformationalInterview) -> None:
    """The enquête moved on: its reminder (follow up, thank, ask for another contact) is
    done; the next step gets its own (ADR 0024)."""
    resolve(interview, *NetworkNotice)


def interview_advance(
    *,
    actor: User,
    interview: InformationalInterview,
    to_stage: str,
    at: datetime | None = None,
    meeting_at: datetime | None = None,
) -> InformationalInterview:
    """Move the enquête forward to `to_stage`, dated `at` (now by default, never in the
    future nor before the previous step). "Rendez-vous fixé" needs `meeting_at`; "entretien
    réalisé" and the steps after it cannot be dated before the meeting."""
    _check_owner(actor, interview)
    now = timezone.now()
    given_at = at is not None
    at = at or now
    with transaction.atomic():
        current = _locked(interview)
        errors: dict[str, list[str]] = {}
        if to_stage not in Stage.values:
            errors["to_stage"] = [_("Choisissez une étape de la liste.")]
        elif stage_index(to_stage) <= stage_index(current.stage):
            errors["to_stage"] = [
                _(
                    "L'enquête en est déjà à l'étape « %(stage)s » : elle ne peut qu'avancer. "
                    "Pour corriger une erreur, annulez la dernière étape."
                )
                % {"stage": current.get_stage_display()}
            ]
        if at > now + timedelta(minutes=5):
            errors["at"] = [_("Cette étape ne peut pas être datée dans le futur.")]
        elif at < current.stage_changed_at:
            errors["at"] = [
                _("Cette étape ne peut pas dater d'avant la précédente (%(date)s).")
                % {"date": french_date(timezone.localtime(current.stage_changed_at), "j F Y")}
            ]
        if to_stage == Stage.MEETING_SET and meeting_at is None:
            errors["meeting_at"] = [_("Indiquez la date et l'heure du rendez-vous.")]
        meeting = meeting_at or current.meeting_at
        if (
            "to_stage" not in errors
            and stage_index(to_stage) >= stage_index(Stage.INTERVIEW_DONE)
            and meeting is not None
            and meeting > at
        ):
            # An interview is done once its meeting has taken place, not before.
            errors["at" if given_at else "to_stage"] = [
                _(
                    "Le rendez-vous est fixé au %(date)s à %(time)s : l'entretien ne peut pas "
                    "être noté comme réalisé avant."
                )
                % {
                    "date": french_date(timezone.localtime(meeting), "l j F Y"),
                    "time": french_date(timezone.localtime(meeting), "H:i"),
                }
            ]
        if errors:
            raise ValidationError(errors)
        current.stage = to_stage
        current.stage_changed_at = at
        if meeting_at is not None:
            current.meeting_at = meeting_at
        StageEvent.objects.create(interview=current, stage=to_stage, at=at)
        if to_stage == Stage.THANKED and current.outcome in NEXT_STEP_OUTCOMES:
            # The suite (a recommended contact, an immersion) was noted before the thanks:
            # once the person is thanked, the enquête reaches its last step.
            current.stage = Stage.NEXT_STEP
            StageEvent.objects.create(interview=current, stage=Stage.NEXT_STEP, at=at)
        current.version = F("version") + 1
        current.save(update_fields=["stage", "stage_changed_at", "meeting_at", "version"])
        audit_record(
            actor=actor,
            action="interview.advance",
            target=current,
            organisation=current.contact.organisation,
            data={"stage": to_stage},
        )
        _resolve_reminders(current)
    interview.refresh_from_db()
    return interview


def interview_stage_undo(*, actor: User, interview: InformationalInterview) -> Stage:
    """Remove the last step taken (a click by mistake): the enquête goes back to the step
    before, with its date. The first step cannot be undone. Returns the stage removed."""
    _check_owner(actor, interview)
    with transaction.atomic():
        current = _locked(interview)
        events = list(current.events.order_by("-at", "-id")[:2])
        if len(events) < 2:
            raise ValidationError(_("Il n'y a pas d'étape à annuler : l'enquête commence."))
        last, previous = events
        last.delete()
        current.stage = previous.stage
        current.stage_changed_at = previous.at
        if stage_index(previous.stage) < stage_index(Stage.MEETING_SET):
            current.meeting_at = None
        if last.stage == Stage.NEXT_STEP and current.outcome in NEXT_STEP_OUTCOMES:
            current.outcome = Outcome.OPEN
        current.version = F("version") + 1
        current.save()
        audit_record(
            actor=actor,
            action="interview.undo",
            target=current,
            organisation=current.contact.organisation,
            data={"stage": last.stage},
        )
    interview.refresh_from_db()
    return Stage(last.stage)


def interview_outcome_set(
    *,
    actor: User,
    interview: InformationalInterview,
    outcome: str,
    referred: ContactData | None = None,
) -> Contact | None:
    """Record how the enquête ends or goes on. A recommended contact or an immersion needs
    the interview to have taken place; it moves the enquête to "suite donnée" once the
    person has been thanked, and until then the next step stays "remercier" (the thanks are
    never skipped). With a recommended contact, `referred` creates them, introduced by this
    enquête's contact (returned). "Terminée" and "abandonnée" may be set at any step; "en
    cours" reopens it."""
    _check_owner(actor, interview)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": [_("Choisissez une issue de la liste.")]})
    next_step = outcome in NEXT_STEP_OUTCOMES
    if referred is not None and outcome != Outcome.REFERRAL:
        referred = None
    created = None
    with transaction.atomic():
        current = _locked(interview)
        if next_step and stage_index(current.stage) < stage_index(Stage.INTERVIEW_DONE):
            raise ValidationError(
                {"outcome": [_("Cette suite se note une fois l'entretien réalisé.")]}
            )
        if referred is not None:
            created = contact_create(
                owner=actor, data=replace(referred, introduced_by=current.contact)
            )
        current.outcome = outcome
        if next_step and current.stage == Stage.THANKED:
            now = max(timezone.now(), current.stage_changed_at)
            current.stage = Stage.NEXT_STEP
            current.stage_changed_at = now
            StageEvent.objects.create(interview=current, stage=Stage.NEXT_STEP, at=now)
        current.version = F("version") + 1
        current.save()
        audit_record(
            actor=actor,
            action="interview.outcome",
            target=current,
            organisation=current.contact.organisation,
            data={"outcome": outcome, "referred": created.pk if created else None},
        )
        _resolve_reminders(current)
    interview.refresh_from_db()
    return created


# -- what to do next ------------------------------------------------------------------------


class Overdue(models.TextChoices):
    FOLLOW_UP = "follow_up", gettext_lazy("Relancer")
    WRITE_UP = "write_up", gettext_lazy("Noter l'entretien")
    THANK = "thank", gettext_lazy("Remercier")


def interview_overdue(interview: InformationalInterview, today: date) -> Overdue | None:
    """The step the person is late on, or None. The rule, for an enquête still open:

    - message sent or followed up, and no answer for 7 days (`FOLLOW_UP_AFTER_DAYS`):
      "relancer";
    - the meeting's date has passed without "entretien réalisé": "noter l'entretien";
    - interview done 3 days ago (`THANK_WITHIN_DAYS`) or more without "remercié·e":
      "remercier".

    The thanks are owed also when a suite (a recommended contact, an immersion) was noted
    before them. Dates are local dates: a step taken on Monday is 7 days old on the next
    Monday."""
    if interview.outcome in NEXT_STEP_OUTCOMES and interview.stage == Stage.INTERVIEW_DONE:
        waited = (today - timezone.localdate(interview.stage_changed_at)).days
        return Overdue.THANK if waited >= THANK_WITHIN_DAYS else None
    if interview.outcome != Outcome.OPEN:
        return None
    reached = timezone.localdate(interview.stage_changed_at)
    waited = (today - reached).days
    stage = interview.stage
    if stage in (Stage.MESSAGE_SENT, Stage.FOLLOWED_UP) and waited >= FOLLOW_UP_AFTER_DAYS:
        return Overdue.FOLLOW_UP
    if (
        stage == Stage.MEETING_SET
        and interview.meeting_at is not None
        and timezone.localdate(interview.meeting_at) < today
    ):
        return Overdue.WRITE_UP
    if stage == Stage.INTERVIEW_DONE and waited >= THANK_WITHIN_DAYS:
        return Overdue.THANK
    return None


@dataclass(frozen=True)
class NextAction:
    label: str
    overdue: Overdue | None = None


def interview_next_action(interview: InformationalInterview, today: date) -> NextAction:
    """What the person does next on this enquête, overdue or not, in words."""
    overdue = interview_overdue(interview, today)
    if overdue is not None:
        return NextAction(label=str(overdue.label), overdue=overdue)
    if interview.outcome == Outcome.DROPPED:
        return NextAction(_("Enquête abandonnée"))
    if interview.outcome in NEXT_STEP_OUTCOMES and interview.stage == Stage.INTERVIEW_DONE:
        return NextAction(_("Remercier la personne"))
    if interview.outcome in (Outcome.CLOSED, *NEXT_STEP_OUTCOMES):
        return NextAction(_("Enquête terminée"))
    stage = interview.stage
    if stage == Stage.TO_CONTACT:
        return NextAction(_("Envoyer le premier message"))
    if stage in (Stage.MESSAGE_SENT, Stage.FOLLOWED_UP):
        due = timezone.localdate(interview.stage_changed_at) + timedelta(days=FOLLOW_UP_AFTER_DAYS)
        return NextAction(
            _("Attendre la réponse ; relancer à partir du %(date)s")
            % {"date": french_date(due, "j F")}
        )
    if stage == Stage.MEETING_SET:
        if interview.meeting_at is None:
            return NextAction(_("Préparer l'entretien"))
        return NextAction(
            _("Préparer l'entretien du %(date)s")
            % {
                "date": french_date(
                    timezone.localtime(interview.meeting_at), pgettext("date format", "j F à H:i")
                )
            }
        )
    if stage == Stage.INTERVIEW_DONE:
        return NextAction(_("Remercier la personne"))
    if stage == Stage.THANKED:
        return NextAction(_("Écrire la synthèse et donner une suite"))
    return NextAction(_("Écrire la synthèse"))
