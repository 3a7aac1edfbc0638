"""Starting a mentorship: the one place where a mentor's capacity is taken."""

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tisser.accounts.models import User
from tisser.core.audit import audit_record
from tisser.mentoring.models import (
    DEFAULT_DURATION_MONTHS,
    DeclaredConflict,
    MentorProfile,
    Mentorship,
    MentorshipRequest,
)
from tisser.mentoring.places import mentor_places


class CapacityReached(ValidationError):
    """The mentor has no place left: someone else took the last one."""


def mentor_room(mentor: MentorProfile) -> int:
    """Places left: capacity minus the mentorships holding a place, never below 0
    (`mentoring.places`, the one computation the pages show)."""
    return mentor_places(mentor).free


@transaction.atomic
def mentorship_start(
    *,
    mentee: User,
    mentor: MentorProfile,
    origin: Mentorship.Origin,
    by: User,
    request: MentorshipRequest | None = None,
) -> Mentorship:
    """Pair `mentee` with `mentor`, taking one of the mentor's places.

    The mentor's profile row is locked first (SELECT … FOR UPDATE on PostgreSQL; SQLite
    transactions are IMMEDIATE, so writers queue), then the places are counted: of two
    acceptances racing for the last place one wins, the other gets CapacityReached. Refuses a
    profile that is not validated or is paused, a declared conflict, and a pair already
    active. `by` is the mentor (accepting a request) or a coordinator (publishing a round);
    callers check that they may act."""
    mentor = MentorProfile.objects.select_for_update().get(pk=mentor.pk)
    if not mentor.is_available:
        raise ValidationError(
            _("Ce profil de mentor n'est pas disponible (en pause ou pas encore validé)."),
            code="unavailable",
        )
    if mentor.user_id == mentee.pk:
        raise PermissionDenied
    if DeclaredConflict.objects.filter(mentee=mentee, mentor=mentor).exists():
        raise ValidationError(
            _("Une incompatibilité est déclarée entre ces deux personnes."), code="conflict"
        )
    if Mentorship.objects.filter(
        mentee=mentee, mentor=mentor, status=Mentorship.Status.ACTIVE
    ).exists():
        raise ValidationError(_("Ce mentorat est déjà en cours."), code="already_active")
    if mentor_room(mentor) <= 0:
        raise CapacityReached(
            _(
                "%(name)s n'a plus de place : son nombre maximum de mentoré·es est atteint. "
                "Rien n'a été enregistré."
            )
            % {"name": mentor.user.get_full_name()},
            code="capacity",
        )
    started = timezone.now()
    mentorship = Mentorship.objects.create(
        organisation=mentor.organisation,
        mentee=mentee,
        mentor=mentor,
        origin=origin,
        request=request,
        started_at=started,
        planned_end=(timezone.localdate(started) + relativedelta(months=DEFAULT_DURATION_MONTHS)),
        last_activity_at=started,
    )
    audit_record(
        actor=by,
        action="mentorship_start",
        target=mentorship,
        organisation=mentor.organisation,
        data={"origin": origin},
    )
    return mentorship
