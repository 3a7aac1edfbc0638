"""A mentee's personalised request to one mentor, and its life: sent, then accepted,
declined or withdrawn — or reminded 2 days before its deadline and expired after it
(`mentorship_requests_follow_up`, once a day through the task `mentoring_requests_remind`).

Every transition locks the request row and checks its current state, so that a double
click, two tabs or the daily task racing an answer change it once."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matchcore.mentoring.compatibility import contributions, top_factors
from tisser.accounts.models import User
from tisser.core.audit import audit_record
from tisser.core.enums import Role
from tisser.core.french import de
from tisser.mentoring import matching
from tisser.mentoring.models import (
    ANSWER_DAYS,
    DeclaredConflict,
    HelpKind,
    MenteeProfile,
    MentorProfile,
    Mentorship,
    MentorshipRequest,
    availability_overlap,
)
from tisser.mentoring.notice_kinds import MentoringNotice
from tisser.mentoring.request_notices import (
    ACCEPTED,
    DECLINED,
    EXPIRED,
    KINDS,
    REMINDER,
    SENT,
    request_notice_content,
    request_notice_key,
)
from tisser.mentoring.services.mentorships import mentor_room, mentorship_start
from tisser.notifications.actions import resolve
from tisser.notifications.services import channels_for, notification_get_or_create

MAX_PENDING_REQUESTS = 3
REMINDER_BEFORE = timedelta(days=2)
MESSAGE_MAX_LENGTH = 3000
ANSWER_MAX_LENGTH = 2000

Status = MentorshipRequest.Status


@dataclass(frozen=True)
class PairExplanation:
    """How compatible a mentee and a mentor are: the score in [0, 1] and its top factors
    as stored rows (see `matching.explanation_rows`)."""

    score: float | None
    rows: list[dict]


def mentorship_request_explain(
    *, mentee_profile: MenteeProfile, mentor: MentorProfile
) -> PairExplanation:
    """The pair's score and top factors, computed as the suggestions compute them (also for a
    mentor outside the mentee's top suggestions)."""
    needs = matching.mentee_needs(mentee_profile)
    offer = matching.mentor_offer(mentor, 1)
    weights = matching.weights()
    score = sum(item.contribution for item in contributions(needs, offer, weights))
    return PairExplanation(
        score=round(score, 4),
        rows=matching.explanation_rows(top_factors(needs, offer, weights)),
    )


def _closest_fiche(mentee_profile: MenteeProfile, mentor: MentorProfile):
    targets = list(mentee_profile.target_fiches.order_by("code_rome"))
    held = list(mentor.current_fiches.all()) + list(mentor.past_fiches.all())
    for target in targets:
        for fiche in held:
            if fiche.code_rome == target.code_rome:
                return target, fiche
    for target in targets:
        for fiche in held:
            if fiche.code_rome[:3] == target.code_rome[:3]:
                return target, fiche
    return (targets[0] if targets else None), None


def _reason(factor: str, mentee_profile: MenteeProfile, mentor: MentorProfile) -> str | None:
    if factor == "fiche":
        if not mentee_profile.share_targets:
            # The mentee keeps the job they aim at to themself: the draft must not name it.
            return None
        target, fiche = _closest_fiche(mentee_profile, mentor)
        if target is not None and fiche is not None and fiche.code_rome == target.code_rome:
            return _("vous exercez le métier que je vise, %(metier)s") % {"metier": target.libelle}
        if target is not None and fiche is not None:
            return _("votre métier, %(held)s, est proche de celui que je vise, %(metier)s") % {
                "held": fiche.libelle,
                "metier": target.libelle,
            }
        if target is not None:
            return _("votre parcours croise le métier que je vise, %(metier)s") % {
                "metier": target.libelle
            }
        return None
    if factor == "help":
        common = [
            str(HelpKind(kind).label).lower()
            for kind in mentee_profile.help_wanted
            if kind in mentor.help_offered and kind in HelpKind.values
        ]
        if common:
            return _("vous proposez d'aider sur ce que je recherche : %(help)s") % {
                "help": " ; ".join(common)
            }
        return None
    if factor == "availability":
        slots = availability_overlap(mentee_profile.availability, mentor.availability)
        if slots:
            return _("nous avons des créneaux en commun (%(slots)s)") % {
                "slots": ", ".join(slots[:3])
            }
        return None
    if factor == "skills":
        return _("vous pouvez transmettre des compétences que je cherche à acquérir")
    if factor == "mode_place":
        return _("nous pouvons nous rencontrer comme je le souhaite (%(mode)s)") % {
            "mode": str(mentee_profile.get_mode_display()).lower()
        }
    return None


def mentorship_request_draft(
    *, mentee_profile: MenteeProfile, mentor: MentorProfile, explanation: list[dict]
) -> str:
    """A first version of the message, built from the pair's top factors; the mentee edits it
    freely before sending. It names only what the mentee shares with mentors (see
    `tisser.mentoring.sharing`): never the target job they chose to keep to themself."""
    reasons = [
        reason
        for row in explanation
        if (reason := _reason(row["factor"], mentee_profile, mentor)) is not None
    ]
    greeting = _("Bonjour %(name)s,") % {"name": mentor.user.first_name}
    if reasons:
        why = _("je vous contacte parce que %(reasons)s.") % {"reasons": " ; ".join(reasons)}
    else:
        why = _("je vous contacte parce que votre parcours m'intéresse pour mon projet.")
    ask = _(
        "Accepteriez-vous de m'accompagner quelques mois, à raison d'une heure par mois "
        "environ ? Je serais heureux·se d'échanger avec vous sur mon projet."
    )
    signature = _("Merci d'avance,\n%(name)s") % {"name": mentee_profile.user.first_name}
    return f"{greeting}\n\n{why}\n\n{ask}\n\n{signature}"


def mentorship_request_refusal(*, mentee: User, mentor: MentorProfile) -> str | None:
    """Why `mentee` may not write to `mentor` now (a French sentence), or None."""
    if not mentor.is_available:
        return _(
            "%(name)s ne prend pas de nouvelle demande pour le moment (profil en pause). "
            "Écrivez à un·e autre mentor."
        ) % {"name": mentor.user.get_full_name()}
    if MentorshipRequest.objects.pending().filter(mentee=mentee, mentor=mentor).exists():
        return _(
            "Vous avez déjà une demande en attente auprès %(de_name)s : attendez sa réponse, "
            "ou retirez-la avant d'en écrire une autre."
        ) % {"de_name": de(mentor.user.get_full_name())}
    if Mentorship.objects.active().filter(mentee=mentee, mentor=mentor).exists():
        return _("%(name)s est déjà votre mentor : votre mentorat est en cours.") % {
            "name": mentor.user.get_full_name()
        }
    if DeclaredConflict.objects.filter(mentee=mentee, mentor=mentor).exists():
        return _(
            "Une incompatibilité est déclarée entre vous et ce mentor : la coordination ne "
            "peut pas vous mettre en relation. Choisissez un·e autre mentor."
        )
    pending = MentorshipRequest.objects.pending().filter(mentee=mentee).count()
    if pending >= MAX_PENDING_REQUESTS:
        return _(
            "Vous avez déjà %(count)s demandes en attente : c'est le maximum. Attendez une "
            "réponse, ou retirez une demande, avant d'en envoyer une autre."
        ) % {"count": pending}
    if mentor_room(mentor) <= 0:
        return _(
            "%(name)s n'a plus de place pour accompagner une nouvelle personne. Écrivez à un·e "
            "autre mentor."
        ) % {"name": mentor.user.get_full_name()}
    return None


def _notify(
    *, event: str, mentorship_request: MentorshipRequest, recipient: User, now: datetime
) -> int:
    created = 0
    for channel in channels_for(recipient):
        content = request_notice_content(
            event=event,
            mentorship_request=mentorship_request,
            recipient=recipient,
            channel=channel,
        )
        _notification, was_created = notification_get_or_create(
            recipient=recipient,
            channel=channel,
            kind=KINDS[event],
            idempotency_key=request_notice_key(mentorship_request, event, channel),
            subject=content.subject,
            body=content.body,
            url=content.url,
            scheduled_for=now,
            about=mentorship_request,
        )
        created += was_created
    return created


def _resolve_notices(mentorship_request: MentorshipRequest) -> None:
    """The request no longer waits for the mentor: "Demande de mentorat reçue" and its
    reminder are done (ADR 0024)."""
    resolve(
        mentorship_request,
        MentoringNotice.MENTORING_REQUEST,
        MentoringNotice.MENTORING_REQUEST_REMINDER,
    )


@transaction.atomic
def mentorship_request_create(
    *, mentee: User, mentor: MentorProfile, message: str
) -> MentorshipRequest:
    """Send `message` from `mentee` (a beneficiary of the mentor's organisation) to `mentor`,
    with the pair's score and explanation as they stand. Refused, with a French
    ValidationError: a paused or unvalidated mentor, a pending request to them already, an
    active mentorship with them, a declared conflict, MAX_PENDING_REQUESTS pending at once, a
    mentor with no place left. The mentor is notified; they have ANSWER_DAYS days."""
    if not mentee.memberships.filter(
        organisation_id=mentor.organisation_id, role=Role.BENEFICIARY, is_active=True
    ).exists():
        raise PermissionDenied
    # The mentee's row is locked so that two requests sent at once count each other
    # against MAX_PENDING_REQUESTS.
    User.objects.select_for_update().filter(pk=mentee.pk).first()
    message = message.strip()
    if not message:
        raise ValidationError(_("Écrivez votre message avant de l'envoyer."), code="required")
    refusal = mentorship_request_refusal(mentee=mentee, mentor=mentor)
    if refusal is not None:
        raise ValidationError(refusal, code="refused")
    profile = MenteeProfile.objects.filter(
        user=mentee, organisation_id=mentor.organisation_id
    ).first()
    explained = (
        mentorship_request_explain(mentee_profile=profile, mentor=mentor)
        if profile is not None
        else PairExplanation(score=None, rows=[])
    )
    sent = timezone.now()
    try:
        with transaction.atomic():
            mentorship_request = MentorshipRequest.objects.create(
                organisation_id=mentor.organisation_id,
                mentee=mentee,
                mentor=mentor,
                message=message[:MESSAGE_MAX_LENGTH],
                score=explained.score,
                explanation=explained.rows,
                sent_at=sent,
                respond_by=sent + timedelta(days=ANSWER_DAYS),
            )
    except IntegrityError as error:
        raise ValidationError(
            _("Vous avez déjà une demande en attente auprès de ce mentor."), code="refused"
        ) from error
    audit_record(
        actor=mentee,
        action="mentorship_request_create",
        target=mentorship_request,
        organisation=mentor.organisation,
        data={"mentor": mentor.pk, "score": explained.score},
    )
    _notify(event=SENT, mentorship_request=mentorship_request, recipient=mentor.user, now=sent)
    return mentorship_request


def _locked(mentorship_request: MentorshipRequest) -> MentorshipRequest:
    return (
        MentorshipRequest.objects.select_for_update(of=("self",))
        .select_related("mentor__user", "mentee", "organisation")
        .get(pk=mentorship_request.pk)
    )


def _answerable(locked: MentorshipRequest, *, by: User, now: datetime) -> None:
    if locked.mentor.user_id != by.pk:
        raise PermissionDenied
    if locked.status != Status.PENDING or locked.respond_by <= now:
        raise ValidationError(
            _(
                "Cette demande n'attend plus de réponse (%(status)s) : elle ne peut plus être "
                "acceptée ni déclinée."
            )
            % {
                "status": (
                    str(Status.EXPIRED.label).lower()
                    if locked.status == Status.PENDING
                    else locked.get_status_display().lower()
                )
            },
            code="not_pending",
        )


def _answer(answer: str) -> str:
    answer = answer.strip()
    if len(answer) > ANSWER_MAX_LENGTH:
        raise ValidationError(
            _("Votre message fait %(length)s caractères : %(max)s au plus.")
            % {"length": len(answer), "max": ANSWER_MAX_LENGTH},
            code="too_long",
        )
    return answer


@transaction.atomic
def mentorship_request_accept(
    *, mentorship_request: MentorshipRequest, by: User, answer: str = ""
) -> Mentorship:
    """The mentor accepts: the mentorship starts (`mentorship_start` takes one of their
    places atomically). A pending request within its deadline only. When the last place was
    just taken by someone else, CapacityReached is raised and nothing is written: the request
    stays pending, for the mentor to decline or to accept once a place is free."""
    now = timezone.now()
    answer = _answer(answer)
    locked = _locked(mentorship_request)
    _answerable(locked, by=by, now=now)
    mentorship = mentorship_start(
        mentee=locked.mentee,
        mentor=locked.mentor,
        origin=Mentorship.Origin.REQUEST,
        by=by,
        request=locked,
    )
    locked.status = Status.ACCEPTED
    locked.answered_at = now
    locked.answer = answer
    locked.save(update_fields=["status", "answered_at", "answer"])
    audit_record(
        actor=by,
        action="mentorship_request_accept",
        target=locked,
        organisation=locked.organisation,
        data={"mentorship": mentorship.pk},
    )
    _resolve_notices(locked)
    _notify(event=ACCEPTED, mentorship_request=locked, recipient=locked.mentee, now=now)
    return mentorship


@transaction.atomic
def mentorship_request_decline(
    *, mentorship_request: MentorshipRequest, by: User, answer: str = ""
) -> MentorshipRequest:
    """The mentor declines, with an optional message; the mentee is told and invited to
    write to someone else. A pending request within its deadline only."""
    now = timezone.now()
    answer = _answer(answer)
    locked = _locked(mentorship_request)
    _answerable(locked, by=by, now=now)
    locked.status = Status.DECLINED
    locked.answered_at = now
    locked.answer = answer
    locked.save(update_fields=["status", "answered_at", "answer"])
    audit_record(
        actor=by,
        action="mentorship_request_decline",
        target=locked,
        organisation=locked.organisation,
    )
    _resolve_notices(locked)
    _notify(event=DECLINED, mentorship_request=locked, recipient=locked.mentee, now=now)
    return locked


@transaction.atomic
def mentorship_request_withdraw(
    *, mentorship_request: MentorshipRequest, by: User
) -> MentorshipRequest:
    """The mentee takes back a request that is still pending."""
    locked = _locked(mentorship_request)
    if locked.mentee_id != by.pk:
        raise PermissionDenied
    if locked.status != Status.PENDING:
        raise ValidationError(
            _("Cette demande n'est plus en attente (%(status)s) : elle ne peut plus être retirée.")
            % {"status": locked.get_status_display().lower()},
            code="not_pending",
        )
    locked.status = Status.WITHDRAWN
    locked.answered_at = timezone.now()
    locked.save(update_fields=["status", "answered_at"])
    audit_record(
        actor=by,
        action="mentorship_request_withdraw",
        target=locked,
        organisation=locked.organisation,
    )
    _resolve_notices(locked)
    return locked


@transaction.atomic
def mentorship_request_remind(*, mentorship_request: MentorshipRequest, now: datetime) -> bool:
    """Remind the mentor of a pending request once, from REMINDER_BEFORE its deadline.
    False when there is nothing to do (answered, already reminded, not yet time)."""
    locked = _locked(mentorship_request)
    if (
        locked.status != Status.PENDING
        or locked.reminded_at is not None
        or not (locked.respond_by - REMINDER_BEFORE <= now < locked.respond_by)
    ):
        return False
    locked.reminded_at = now
    locked.save(update_fields=["reminded_at"])
    _notify(event=REMINDER, mentorship_request=locked, recipient=locked.mentor.user, now=now)
    return True


@transaction.atomic
def mentorship_request_expire(*, mentorship_request: MentorshipRequest, now: datetime) -> bool:
    """A pending request past its deadline expires; the mentee is told and invited to write
    to another mentor. False when there is nothing to do."""
    locked = _locked(mentorship_request)
    if locked.status != Status.PENDING or locked.respond_by > now:
        return False
    locked.status = Status.EXPIRED
    locked.save(update_fields=["status"])
    audit_record(
        actor=None,
        action="mentorship_request_expire",
        target=locked,
        organisation=locked.organisation,
    )
    _resolve_notices(locked)
    _notify(event=EXPIRED, mentorship_request=locked, recipient=locked.mentee, now=now)
    return True


@dataclass(frozen=True)
class FollowUpReport:
    reminded: int
    expired: int


def mentorship_requests_follow_up(
    *, now: datetime | None = None, organisation_id: int | None = None
) -> FollowUpReport:
    """Once a day: remind the mentors of the pending requests due within REMINDER_BEFORE, and
    expire those past their deadline, in `organisation_id` (in every organisation when
    None). Safe to run twice: each request is reminded once and expires once, and every
    message has an idempotency key. Two queries find them; each one then changes in its own
    short transaction (locked, audited), so the work grows with the requests due that day
    only, never with the pending ones."""
    now = now or timezone.now()
    pending = MentorshipRequest.objects.pending().order_by("respond_by", "pk")
    if organisation_id is not None:
        pending = pending.filter(organisation_id=organisation_id)
    expired = sum(
        mentorship_request_expire(mentorship_request=item, now=now)
        for item in pending.filter(respond_by__lte=now)
    )
    reminded = sum(
        mentorship_request_remind(mentorship_request=item, now=now)
        for item in pending.filter(
            reminded_at__isnull=True, respond_by__gt=now, respond_by__lte=now + REMINDER_BEFORE
        )
    )
    return FollowUpReport(reminded=reminded, expired=expired)
