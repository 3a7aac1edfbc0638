"""Who may do what in a series. Every service checks through these functions, so that pages,
API and commands apply the same rules."""

from django.core.exceptions import PermissionDenied

from tisser.accounts.models import Membership, Organisation
from tisser.core.enums import Role
from tisser.meetings.models import MeetingKind, MeetingSeries, SeriesParticipant

# Who may organise each kind of meeting. A bilan session belongs to a bilan, which only its
# consultant runs; a mentor organises the meetings of their mentorships (created by the
# mentoring space, not by the generic series page). Nobody creates a peer group's series by
# hand: the peers app plans it for a published group (`peer_group_series_create`), organised
# by one of its joined members or by nobody, so that no staff member reads its agendas.
ORGANISER_ROLES: dict[MeetingKind, tuple[Role, ...]] = {
    MeetingKind.BILAN_SESSION: (Role.CONSULTANT,),
    MeetingKind.MENTORING: (Role.CONSULTANT, Role.COORDINATOR, Role.MENTOR),
    MeetingKind.PEER_GROUP: (),
    MeetingKind.OTHER: (Role.CONSULTANT, Role.COORDINATOR),
}


def can_organise(user, organisation: Organisation, kind: MeetingKind | str) -> bool:
    """True when `user` may create a series of `kind` in `organisation`: an active member
    whose role is in ORGANISER_ROLES for that kind (only a consultant for a bilan session)."""
    if not (user.is_authenticated and user.is_active):
        return False
    return Membership.objects.filter(
        user=user,
        organisation=organisation,
        is_active=True,
        role__in=ORGANISER_ROLES[MeetingKind(kind)],
    ).exists()


def is_participant(user, series: MeetingSeries) -> bool:
    """True when `user` takes part in `series` (the organiser included)."""
    if not (user.is_authenticated and user.is_active):
        return False
    return SeriesParticipant.objects.filter(series=series, user=user).exists()


def is_organiser(user, series: MeetingSeries) -> bool:
    """True when `user` organises `series`: they move, cancel and end its meetings."""
    if not (user.is_authenticated and user.is_active):
        return False
    return SeriesParticipant.objects.filter(
        series=series, user=user, role=SeriesParticipant.ParticipantRole.ORGANISER
    ).exists()


def require_participant(user, series: MeetingSeries) -> None:
    if not is_participant(user, series):
        raise PermissionDenied


def require_organiser(user, series: MeetingSeries) -> None:
    if not is_organiser(user, series):
        raise PermissionDenied
