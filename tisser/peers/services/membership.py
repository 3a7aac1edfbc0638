"""A participant's side of peer groups: their preferences, accepting the group they were
proposed, leaving it (the coordination is asked to repair the group)."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tisser.accounts.models import Membership, Organisation, User
from tisser.core.audit import audit_record
from tisser.core.enums import Role
from tisser.core.versioning import version_bump, version_require
from tisser.meetings.models import SeriesParticipant
from tisser.meetings.services import (
    series_member_enter,
    series_organiser_hand_over,
    series_participant_remove,
)
from tisser.mentoring.services import departement_is_valid, departement_normalize
from tisser.notifications.models import Channel
from tisser.notifications.services import channels_for, notification_create
from tisser.peers.group_notices import member_left_content, repair_content
from tisser.peers.models import (
    PeerGroup,
    PeerGroupMember,
    PeerMode,
    PeerProfile,
    ProjectType,
    Rhythm,
    Stage,
)
from tisser.peers.notice_kinds import PeerNotice
from tisser.referentiel.models import SecteurActivite

CURRENT = (PeerGroupMember.Status.PROPOSED, PeerGroupMember.Status.ACCEPTED)


@dataclass(frozen=True)
class PeerPreferencesData:
    seeking: bool
    availability: int
    stage: str
    project_type: str
    rhythm: str
    mode: str
    departement: str = ""
    languages: list[str] = field(default_factory=list)
    sectors: list[SecteurActivite] = field(default_factory=list)
    attribute: str = ""
    avoid_isolation: bool = False
    introduction: str = ""


def _require_beneficiary(user: User, organisation: Organisation) -> None:
    if not Membership.objects.filter(
        user=user, organisation=organisation, role=Role.BENEFICIARY, is_active=True
    ).exists():
        raise PermissionDenied


def _preferences_errors(data: PeerPreferencesData, departement: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    choices = {
        "stage": Stage.values,
        "project_type": ProjectType.values,
        "rhythm": Rhythm.values,
        "mode": PeerMode.values,
    }
    for name, allowed in choices.items():
        if getattr(data, name) not in allowed:
            errors[name] = [_("Choisissez une des propositions.")]
    if data.mode in (PeerMode.IN_PERSON, PeerMode.EITHER):
        if not departement:
            errors["departement"] = [
                _("Indiquez votre département pour des rencontres en présentiel.")
            ]
        elif not departement_is_valid(departement):
            errors["departement"] = [
                _("Département inconnu : 01 à 95, 2A, 2B ou 971 à 976 (par exemple 69).")
            ]
    if data.seeking:
        if not data.languages:
            errors["languages"] = [_("Choisissez au moins une langue.")]
        if not data.availability:
            errors["availability"] = [
                _("Cochez au moins un moment de la semaine où une rencontre est possible.")
            ]
    if any(sector.parent_id is not None for sector in data.sectors):
        errors["sectors"] = [_("Choisissez parmi les grands secteurs d'activité.")]
    if data.avoid_isolation and not data.attribute.strip():
        errors["avoid_isolation"] = [
            _("Indiquez la caractéristique concernée, ou décochez cette case.")
        ]
    return errors


@transaction.atomic
def peer_preferences_save(
    *,
    user: User,
    organisation: Organisation,
    data: PeerPreferencesData,
    expected_version: int,
) -> PeerProfile:
    """Create or update a beneficiary's preferences for a peer group. `expected_version` is
    the version they read (0 before the first save): a profile saved since is refused with
    `StaleVersion`. A département is required when they may meet in person. The attribute
    is private (see `PeerProfile`): it is not written to the audit log either."""
    _require_beneficiary(user, organisation)
    departement = departement_normalize(data.departement)
    errors = _preferences_errors(data, departement)
    if errors:
        raise ValidationError(errors)
    profile = (
        PeerProfile.objects.select_for_update().filter(user=user, organisation=organisation).first()
    )
    stale_message = _(
        "Vos préférences ont été modifiées entre-temps (dans un autre onglet ?). Rien "
        "n'a été enregistré : vos saisies sont conservées ci-dessous, enregistrez à "
        "nouveau pour remplacer la version enregistrée."
    )
    if profile is None:
        version_require(None, expected=expected_version, message=stale_message)
        profile = PeerProfile(user=user, organisation=organisation, version=1)
    else:
        version_bump(profile, expected=expected_version, message=stale_message)
    profile.seeking = data.seeking
    profile.availability = data.availability
    profile.stage = data.stage
    profile.project_type = data.project_type
    profile.rhythm = data.rhythm
    profile.mode = data.mode
    profile.departement = departement if data.mode != PeerMode.VIDEO else ""
    profile.languages = list(dict.fromkeys(data.languages))
    profile.attribute = " ".join(data.attribute.split())
    profile.avoid_isolation = data.avoid_isolation and bool(profile.attribute)
    profile.introduction = data.introduction.strip()
    profile.full_clean(exclude=["sectors"])
    profile.save()
    profile.sectors.set(data.sectors)
    audit_record(
        actor=user,
        action="peer_preferences_save",
        target=profile,
        organisation=organisation,
        data={"seeking": profile.seeking, "version": profile.version},
    )
    return profile


def _lock_member(actor: User, group: PeerGroup) -> PeerGroupMember:
    member = (
        PeerGroupMember.objects.select_for_update()
        .filter(group=group, user=actor, status__in=CURRENT)
        .first()
    )
    if member is None:
        raise PermissionDenied
    return member


@transaction.atomic
def peer_member_accept(*, actor: User, group: PeerGroup) -> PeerGroupMember:
    """PROPOSED → ACCEPTED: `actor` joins the published group they were proposed, and its
    meetings if they did not take part in them yet (a late joiner)."""
    member = _lock_member(actor, group)
    if group.status != PeerGroup.Status.ACTIVE:
        raise ValidationError(_("Ce groupe n'est pas ouvert."), code="not_active")
    if member.status != PeerGroupMember.Status.PROPOSED:
        raise ValidationError(_("Vous avez déjà rejoint ce groupe."), code="not_proposed")
    member.status = PeerGroupMember.Status.ACCEPTED
    member.accepted_at = timezone.now()
    member.save(update_fields=["status", "accepted_at"])
    _join_series(group, actor)
    PeerGroup.objects.filter(pk=group.pk).update(last_activity_at=member.accepted_at)
    audit_record(
        actor=actor, action="peer_member_accept", target=member, organisation=group.organisation
    )
    return member


def _series_organiser(group: PeerGroup) -> User | None:
    participant = (
        SeriesParticipant.objects.filter(
            series_id=group.series_id,
            role=SeriesParticipant.ParticipantRole.ORGANISER,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return participant.user if participant else None


def _join_series(group: PeerGroup, user: User) -> None:
    # Only now, once they joined, does the person take part in the meetings (their
    # organiser if nobody organises them yet).
    if group.series is not None:
        series_member_enter(series=group.series, user=user)


def _next_organiser(group: PeerGroup, *, leaving: User) -> User | None:
    """The member who takes the group's meetings over when `leaving` organised them: the
    first member who has joined (never one merely proposed), in the group's order, who takes
    part in them. None: the meetings stay organised by nobody until a member joins."""
    member = (
        PeerGroupMember.objects.filter(
            group=group,
            status=PeerGroupMember.Status.ACCEPTED,
            user__is_active=True,
            user__meeting_participations__series_id=group.series_id,
        )
        .exclude(user=leaving)
        .select_related("user")
        .order_by("position", "pk")
        .first()
    )
    return member.user if member else None


def _leave_series(group: PeerGroup, user: User) -> None:
    series = group.series
    if series is None:
        return
    organiser = _series_organiser(group)
    if organiser is not None and organiser.pk == user.pk:
        # The member who organised hands the meetings to another member, never to the
        # coordination (which would then read the agendas).
        successor = _next_organiser(group, leaving=user)
        if successor is not None:
            series_organiser_hand_over(organiser=user, series=series, to=successor, leave=True)
            return
        organiser = None
    if organiser is not None:
        series_participant_remove(organiser=organiser, series=series, user=user)
    else:
        # Nobody may organise the series any more (its organiser left, or was the last one):
        # the member must still stop seeing the group's meetings.
        SeriesParticipant.objects.filter(series=series, user=user).delete()


@transaction.atomic
def peer_member_leave(*, actor: User, group: PeerGroup, reason: str = "") -> PeerGroupMember:
    """A current member leaves (or a person proposed declines): LEFT, out of the group's
    meetings, and from now on nothing of the group is visible to them. The coordination is
    asked to repair the group (their reason, optional, is for it only); the other members are
    told who left or will not join."""
    member = _lock_member(actor, group)
    reason = " ".join(reason.split())
    if len(reason) > 300:
        raise ValidationError({"reason": _("300 caractères au plus.")})
    # A person proposed who never joined declines the proposal: same effects, other words.
    declined = member.status == PeerGroupMember.Status.PROPOSED
    now = timezone.now()
    member.status = PeerGroupMember.Status.LEFT
    member.left_at = now
    member.leave_reason = reason
    member.save(update_fields=["status", "left_at", "leave_reason"])
    _leave_series(group, actor)
    PeerGroup.objects.filter(pk=group.pk).update(last_activity_at=now)
    remaining = list(
        PeerGroupMember.objects.filter(group=group, status__in=CURRENT)
        .select_related("user")
        .order_by("position", "pk")
    )
    for coordinator in User.objects.coordinators_of(group.organisation_id):
        for channel in channels_for(coordinator):
            content = repair_content(
                group=group,
                member=member,
                remaining=len(remaining),
                recipient=coordinator,
                channel=channel,
                declined=declined,
            )
            notification_create(
                recipient=coordinator,
                channel=channel,
                kind=PeerNotice.PEER_REPAIR_PROPOSED,
                idempotency_key=f"peers:repair:m{member.pk}:u{coordinator.pk}:{channel}",
                subject=content.subject,
                body=content.body,
                url=content.url,
                about=group,
            )
    for other in remaining:
        if not other.user.is_active:
            continue
        content = member_left_content(
            group=group, member=member, recipient=other.user, declined=declined
        )
        notification_create(
            recipient=other.user,
            channel=Channel.IN_APP,
            kind=PeerNotice.PEER_GROUP_CHANGED,
            idempotency_key=f"peers:left:m{member.pk}:u{other.user_id}",
            subject=content.subject,
            body=content.body,
            url=content.url,
        )
    audit_record(
        actor=actor,
        action="peer_member_decline" if declined else "peer_member_leave",
        target=member,
        organisation=group.organisation,
        data={"remaining": len(remaining)},
    )
    _repairs_prepare_soon(group.organisation_id)
    return member


def _repairs_prepare_soon(organisation_id: int) -> None:
    """After the commit, compute the coordination's repair proposals for the new state (the
    engine runs over the cohort's groups: seconds at network size, not in this request)."""

    def enqueue():
        # Imported here: the task module imports the services.
        from tisser.peers.tasks import peers_repairs_prepare

        peers_repairs_prepare.enqueue(organisation_id=organisation_id)

    transaction.on_commit(enqueue)
