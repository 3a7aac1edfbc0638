"""Who takes part in a series after it is created: a peer group's late joiner comes in, a
member who leaves goes out (and no longer sees its meetings)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tisser.accounts.models import Membership, User
from tisser.core.audit import audit_record
from tisser.meetings.models import MeetingKind, MeetingSeries, SeriesParticipant
from tisser.meetings.services.access import require_organiser


@transaction.atomic
def series_participant_add(*, organiser: User, series: MeetingSeries, user: User) -> bool:
    """Add `user` (an active member of the series' organisation) as a participant. Returns
    False when they already take part. Only the organiser adds people."""
    require_organiser(organiser, series)
    if not Membership.objects.filter(
        organisation=series.organisation, user=user, is_active=True, user__is_active=True
    ).exists():
        raise ValidationError(
            _("Toutes les personnes invitées doivent faire partie de votre organisme."),
            code="participants",
        )
    _participant, created = SeriesParticipant.objects.get_or_create(
        series=series,
        user=user,
        defaults={"role": SeriesParticipant.ParticipantRole.PARTICIPANT},
    )
    if created:
        audit_record(
            actor=organiser,
            action="meeting_series.participant_add",
            target=series,
            organisation=series.organisation,
            data={"user_id": user.pk},
        )
    return created


@transaction.atomic
def series_participant_remove(*, organiser: User, series: MeetingSeries, user: User) -> bool:
    """Take `user` out of the series (never its organiser). Returns False when they did not
    take part. Their past attendance stays; they no longer see the series."""
    require_organiser(organiser, series)
    removed, _detail = SeriesParticipant.objects.filter(
        series=series, user=user, role=SeriesParticipant.ParticipantRole.PARTICIPANT
    ).delete()
    if removed:
        audit_record(
            actor=organiser,
            action="meeting_series.participant_remove",
            target=series,
            organisation=series.organisation,
            data={"user_id": user.pk},
        )
    return bool(removed)


@transaction.atomic
def series_organiser_hand_over(
    *, organiser: User, series: MeetingSeries, to: User, leave: bool
) -> None:
    """Make `to` (a participant) the organiser of `series` in place of `organiser`, who
    stays as a participant, or leaves the series when `leave` (and then no longer sees its
    agendas, notes and actions). A peer group's meetings are handed this way to one of its
    members by the coordinator who planned them."""
    require_organiser(organiser, series)
    if to.pk == organiser.pk:
        return
    handed = SeriesParticipant.objects.filter(series=series, user=to).update(
        role=SeriesParticipant.ParticipantRole.ORGANISER
    )
    if not handed:
        raise ValidationError(
            _("Cette personne ne participe pas à ces rencontres."), code="not_participant"
        )
    previous = SeriesParticipant.objects.filter(series=series, user=organiser)
    if leave:
        previous.delete()
    else:
        previous.update(role=SeriesParticipant.ParticipantRole.PARTICIPANT)
    audit_record(
        actor=organiser,
        action="meeting_series.organiser_hand_over",
        target=series,
        organisation=series.organisation,
        data={"user_id": to.pk, "left": leave},
    )


@transaction.atomic
def series_member_enter(*, series: MeetingSeries, user: User) -> SeriesParticipant:
    """`user` joined the peer group whose meetings `series` holds: they take part in them, as
    their organiser when nobody organises them (the group's first member to join, or the
    first after an organiser left with no joined member to take over). Only the peers app
    calls this, once the person has accepted: a person merely proposed never takes part."""
    if series.kind != MeetingKind.PEER_GROUP:
        raise PermissionDenied
    # Two members joining at once must not both become the organiser: the series row is the
    # lock (there may be no participant row to lock yet).
    MeetingSeries.objects.select_for_update().filter(pk=series.pk).first()
    has_organiser = (
        SeriesParticipant.objects.filter(
            series=series, role=SeriesParticipant.ParticipantRole.ORGANISER
        )
        .exclude(user=user)
        .exists()
    )
    role = (
        SeriesParticipant.ParticipantRole.PARTICIPANT
        if has_organiser
        else SeriesParticipant.ParticipantRole.ORGANISER
    )
    participant, created = SeriesParticipant.objects.get_or_create(
        series=series, user=user, defaults={"role": role}
    )
    if created:
        audit_record(
            actor=user,
            action="meeting_series.member_enter",
            target=series,
            organisation=series.organisation,
            data={"role": str(role)},
        )
    return participant
