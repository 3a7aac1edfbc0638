"""The mentorship space: the expectations agreement, goals, news and thanks, feedback.

Only the two members of an active mentorship write here (the coordination reads the health
figures, never the texts). Each function checks that itself; the signature of the agreement,
the monthly series, closing and extending live in `space_lifecycle`."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tisser.accounts.models import User
from tisser.core.audit import audit_record
from tisser.core.errors import StaleVersion
from tisser.core.versioning import version_bump, version_require
from tisser.meetings.models import MeetingMode
from tisser.mentoring.models import Agreement, Feedback, Goal, Mentorship, ProgressUpdate
from tisser.mentoring.notice_kinds import MentoringNotice
from tisser.mentoring.space_notices import update_content
from tisser.notifications.actions import resolve
from tisser.notifications.services import channels_for, notification_create

FEEDBACK_DAY_30 = timedelta(days=30)
# The end feedback opens this long before the planned end, and stays open once ended.
FEEDBACK_END_WINDOW = timedelta(days=30)
MAX_DURATION_MONTHS = 24


def is_member(user: User, mentorship: Mentorship) -> bool:
    return user.pk in (mentorship.mentee_id, mentorship.mentor.user_id)


def other_member(user: User, mentorship: Mentorship) -> User:
    return mentorship.mentor.user if user.pk == mentorship.mentee_id else mentorship.mentee


def require_member(user: User, mentorship: Mentorship, *, active: bool = True) -> None:
    """PermissionDenied unless `user` is the mentee or the mentor; a ValidationError when
    `active` is asked and the mentorship has ended."""
    if not is_member(user, mentorship):
        raise PermissionDenied
    if active and mentorship.status != Mentorship.Status.ACTIVE:
        raise ValidationError(_("Ce mentorat est terminé : il ne peut plus être modifié."))


def _lock(mentorship: Mentorship) -> Mentorship:
    return (
        Mentorship.objects.select_for_update().select_related("mentor__user").get(pk=mentorship.pk)
    )


# -- the agreement ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgreementData:
    goals_summary: str
    mentee_expectations: str
    mentor_commitment: str
    meeting_minutes: int
    meetings_per_month: int
    confidentiality: str
    duration_months: int
    first_meeting_at: datetime | None
    first_meeting_mode: str
    first_meeting_place: str


AGREEMENT_FIELDS = tuple(AgreementData.__dataclass_fields__)


def agreement_planned_end(mentorship: Mentorship, duration_months: int):
    return timezone.localdate(mentorship.started_at) + relativedelta(months=duration_months)


def _agreement_check(data: AgreementData, mentorship: Mentorship) -> None:
    errors: dict[str, str] = {}
    if not 1 <= data.duration_months <= MAX_DURATION_MONTHS:
        errors["duration_months"] = _("La durée va de 1 à 24 mois.")
    if data.first_meeting_at is not None:
        end = agreement_planned_end(mentorship, data.duration_months)
        if timezone.localdate(data.first_meeting_at) > end:
            errors["first_meeting_at"] = _(
                "La première rencontre doit avoir lieu avant la fin prévue du mentorat."
            )
    place = data.first_meeting_place
    if (
        data.first_meeting_mode == MeetingMode.VIDEO
        and place
        and not place.startswith(("https://", "http://"))
    ):
        errors["first_meeting_place"] = _("Indiquez le lien de la visioconférence (https://…).")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def agreement_save(
    *,
    actor: User,
    mentorship: Mentorship,
    data: AgreementData,
    expected_version: int | None,
) -> tuple[Agreement, bool]:
    """Write the agreement (either member). `expected_version` is the version the person
    edited (None when they started from a blank agreement): if someone saved it meanwhile,
    StaleVersion and nothing is written. Changing anything once someone has signed clears
    both signatures: both agree again. The planned end follows the agreed duration. Returns
    the agreement and whether signatures were cleared."""
    mentorship = _lock(mentorship)
    require_member(actor, mentorship)
    _agreement_check(data, mentorship)
    agreement = Agreement.objects.select_for_update().filter(mentorship=mentorship).first()
    stale_message = _(
        "La charte a été modifiée entre-temps par l'autre personne. Rien n'a été "
        "enregistré : comparez avec la version enregistrée, dans le tableau."
    )
    if agreement is not None:
        if expected_version is None:
            # Started from a blank agreement, but the other person saved one meanwhile.
            raise StaleVersion(stale_message, current=agreement)
        version_require(agreement, expected=expected_version, message=stale_message)
        expected = expected_version
    else:
        if expected_version is not None:
            raise StaleVersion(_("La charte a été supprimée entre-temps."), current=None)
        agreement = Agreement(mentorship=mentorship, version=0)
        expected = 0
    changed = [name for name in AGREEMENT_FIELDS if getattr(agreement, name) != getattr(data, name)]
    if agreement.pk is not None and not changed:
        return agreement, False
    for name in AGREEMENT_FIELDS:
        setattr(agreement, name, getattr(data, name))
    cleared = agreement.mentee_signed_at is not None or agreement.mentor_signed_at is not None
    agreement.mentee_signed_at = agreement.mentor_signed_at = None
    if agreement.pk is None:
        agreement.version = 1
    else:
        version_bump(agreement, expected=expected, message=stale_message)
    agreement.full_clean()
    agreement.save()
    if mentorship.extended_times == 0:
        mentorship.planned_end = agreement_planned_end(mentorship, data.duration_months)
    mentorship.last_activity_at = timezone.now()
    mentorship.save(update_fields=["planned_end", "last_activity_at"])
    audit_record(
        actor=actor,
        action="mentoring.agreement_save",
        target=agreement,
        organisation=mentorship.organisation,
        data={"changed": changed, "signatures_cleared": cleared},
    )
    return agreement, cleared


# -- goals --------------------------------------------------------------------------------------


def _goal_check(title: str) -> str:
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Donnez un intitulé à l'objectif.")})
    return title


@transaction.atomic
def goal_add(*, actor: User, mentorship: Mentorship, title: str, success_criteria: str) -> Goal:
    """A new goal of the mentorship (either member), placed after the others."""
    mentorship = _lock(mentorship)
    require_member(actor, mentorship)
    last = mentorship.goals.order_by("-position").values_list("position", flat=True).first()
    goal = Goal.objects.create(
        mentorship=mentorship,
        title=_goal_check(title),
        success_criteria=success_criteria.strip(),
        position=(last or 0) + 1,
    )
    Mentorship.objects.filter(pk=mentorship.pk).update(last_activity_at=timezone.now())
    audit_record(
        actor=actor, action="mentoring.goal_add", target=goal, organisation=mentorship.organisation
    )
    return goal


@transaction.atomic
def goal_update(
    *,
    actor: User,
    goal: Goal,
    title: str,
    success_criteria: str,
    status: Goal.Status | str,
    expected_version: int,
) -> Goal:
    """Change a goal's wording or status (either member); StaleVersion if it was saved
    meanwhile."""
    mentorship = _lock(goal.mentorship)
    require_member(actor, mentorship)
    locked = Goal.objects.select_for_update().get(pk=goal.pk)
    version_bump(
        locked,
        expected=expected_version,
        message=_(
            "Cet objectif a été modifié entre-temps. Rien n'a été enregistré : comparez "
            "avec la version enregistrée, dans le tableau."
        ),
    )
    previous = locked.status
    locked.title = _goal_check(title)
    locked.success_criteria = success_criteria.strip()
    locked.status = Goal.Status(status)
    locked.save()
    Mentorship.objects.filter(pk=mentorship.pk).update(last_activity_at=timezone.now())
    audit_record(
        actor=actor,
        action="mentoring.goal_update",
        target=locked,
        organisation=mentorship.organisation,
        data={"status": [previous, locked.status]},
    )
    return locked


# -- typed messages ----------------------------------------------------------------------------


@transaction.atomic
def progress_update_post(
    *,
    actor: User,
    mentorship: Mentorship,
    kind: ProgressUpdate.Kind | str,
    text: str,
    goal: Goal | None = None,
) -> ProgressUpdate:
    """A typed message from either member to the other — an encouragement, a question,
    thanks or news — optionally about one goal. The other member is told, the notice's
    subject following the type; the mentorship's last activity moves. Allowed during a
    pause (a word is how a pause ends well)."""
    mentorship = _lock(mentorship)
    require_member(actor, mentorship)
    if kind not in ProgressUpdate.Kind.values:
        raise ValidationError({"kind": _("Choisissez le type de message.")})
    kind = ProgressUpdate.Kind(kind)
    if goal is not None and goal.mentorship_id != mentorship.pk:
        raise PermissionDenied
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Écrivez votre message.")})
    update = ProgressUpdate.objects.create(
        mentorship=mentorship, author=actor, kind=kind, text=text, goal=goal
    )
    Mentorship.objects.filter(pk=mentorship.pk).update(last_activity_at=update.created_at)
    recipient = other_member(actor, mentorship)
    if recipient.is_active:
        for channel in channels_for(recipient):
            content = update_content(update=update, recipient=recipient, channel=channel)
            notification_create(
                recipient=recipient,
                channel=channel,
                kind=MentoringNotice.MENTORING_UPDATE,
                idempotency_key=f"mentoring:update{update.pk}:{channel}",
                subject=content.subject,
                body=content.body,
                url=content.url,
            )
    audit_record(
        actor=actor,
        action="mentoring.update_post",
        target=update,
        organisation=mentorship.organisation,
        data={"kind": kind},
    )
    return update


# -- feedback -----------------------------------------------------------------------------------


def feedback_opens_at(mentorship: Mentorship, stage: Feedback.Stage | str) -> datetime:
    """When a stage's feedback opens: 30 days after the start, or 30 days before the planned
    end (at once when the mentorship has ended)."""
    if Feedback.Stage(stage) == Feedback.Stage.DAY_30:
        return mentorship.started_at + FEEDBACK_DAY_30
    planned = timezone.make_aware(datetime.combine(mentorship.planned_end, datetime.min.time()))
    opens = planned - FEEDBACK_END_WINDOW
    if mentorship.ended_at is not None:
        opens = min(opens, mentorship.ended_at)
    return opens


def feedback_is_open(mentorship: Mentorship, stage: Feedback.Stage | str, *, now=None) -> bool:
    return (now or timezone.now()) >= feedback_opens_at(mentorship, stage)


@transaction.atomic
def feedback_give(
    *,
    actor: User,
    mentorship: Mentorship,
    stage: Feedback.Stage | str,
    rating: int,
    going_well: str,
    to_improve: str,
) -> Feedback:
    """A member's view of the mentorship at a stage, once per stage, when the stage is open
    (see `feedback_opens_at`); the end feedback may be given after the end."""
    mentorship = _lock(mentorship)
    require_member(actor, mentorship, active=False)
    stage = Feedback.Stage(stage)
    if not feedback_is_open(mentorship, stage):
        raise ValidationError(_("Ce retour n'est pas encore ouvert."), code="not_open")
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Choisissez une note de 1 à 5.")})
    if Feedback.objects.filter(mentorship=mentorship, author=actor, stage=stage).exists():
        raise ValidationError(_("Vous avez déjà donné votre avis à cette étape."), code="given")
    feedback = Feedback.objects.create(
        mentorship=mentorship,
        author=actor,
        stage=stage,
        rating=rating,
        going_well=going_well.strip(),
        to_improve=to_improve.strip(),
    )
    audit_record(
        actor=actor,
        action="mentoring.feedback_give",
        target=feedback,
        organisation=mentorship.organisation,
        data={"stage": stage},
    )
    # The invitation to give it is done, for this member only (ADR 0024).
    resolve(mentorship, MentoringNotice.MENTORING_FEEDBACK_DUE, recipient=actor)
    return feedback
