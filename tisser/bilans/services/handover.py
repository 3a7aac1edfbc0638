"""Who follows a beneficiary and who runs their bilan, when the coordinator decides
(ADR 0021).

- `beneficiary_consultant_assign`: the coordinator names a beneficiary's consultant of
  record (`Membership.consultant`), the consultant who may open their bilan and sees their
  isolation checks — for a person the coordinator invited, or to change it.
- `bilan_hand_over`: the coordinator hands an open bilan over to another active consultant
  of the organisation (a consultant who leaves or is ill). Everything that belongs to the
  bilan moves with it: its entretiens (the new consultant organises those to come), its
  private notes and follow-up notes (they belong to the bilan: the new consultant reads
  them, the former one no longer does), and the beneficiary's consultant of record. The
  person is told, by notice and e-mail, with the new consultant's name; the audit log keeps
  who handed what over to whom. An ended bilan is not handed over.

Both are the coordinator's only and guard against concurrent changes (ADR 0007)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tisser.accounts.access import require_coordinator_of
from tisser.accounts.models import Membership, Organisation, User
from tisser.bilans.models import Bilan, FollowUp, Phase
from tisser.bilans.notice_kinds import BilanNotice
from tisser.core.audit import audit_record
from tisser.core.enums import Role
from tisser.core.french import de
from tisser.core.models import AuditEvent
from tisser.core.versioning import version_bump
from tisser.meetings.models import SeriesParticipant
from tisser.notifications.content import absolute_url
from tisser.notifications.models import Notification
from tisser.notifications.services import channels_for, notification_get_or_create
from tisser.notifications.tasks import notification_deliver

ASSIGN_STALE_MESSAGE = gettext_lazy(
    "Le ou la consultant·e référent·e de cette personne vient d'être modifié·e par "
    "quelqu'un d'autre : voici ce qui est enregistré maintenant."
)
ENDED_MESSAGE = gettext_lazy(
    "Ce bilan est terminé : il ne peut plus être confié à un·e autre consultant·e. Son "
    "entretien de suivi reste à son ou sa consultant·e."
)
HAND_OVER_STALE_MESSAGE = gettext_lazy(
    "Ce bilan vient d'être modifié (par un·e autre coordinateur·rice ou par son "
    "consultant·e) : voici ce qui est enregistré maintenant."
)


def active_consultants(organisation: Organisation | int) -> QuerySet[User]:
    """The active people with an active consultant membership of `organisation`: whom a
    beneficiary or a bilan may be entrusted to, by name."""
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    return User.objects.filter(
        is_active=True,
        memberships__organisation_id=organisation_id,
        memberships__role=Role.CONSULTANT,
        memberships__is_active=True,
    ).order_by("last_name", "first_name", "pk")


def first_consultant(bilan: Bilan) -> User:
    """The consultant who opened `bilan`: the one its first hand-over took it from, or its
    consultant when it never changed hands. Past steps keep their real author (the audit
    log is the record of hand-overs). One query."""
    first = (
        AuditEvent.objects.filter(
            organisation_id=bilan.organisation_id,
            target_type="bilans.bilan",
            target_id=str(bilan.pk),
            action="bilan.hand_over",
        )
        .order_by("created_at", "id")
        .values_list("data", flat=True)
        .first()
    )
    previous_id = first.get("from") if isinstance(first, dict) else None
    if previous_id is None or previous_id == bilan.consultant_id:
        return bilan.consultant
    return User.objects.filter(pk=previous_id).first() or bilan.consultant


def _name(user: User) -> str:
    return user.get_full_name() or user.email


def _require_consultant_of(consultant: User | None, organisation_id: int) -> User:
    if consultant is None or not active_consultants(organisation_id).filter(pk=consultant.pk):
        raise ValidationError(
            {"consultant": [_("Choisissez un·e consultant·e actif·ve de l'organisme.")]},
            code="not_consultant",
        )
    return consultant


def beneficiary_consultant_assign(
    *, coordinator: User, membership: Membership, consultant: User, expected_version: int
) -> Membership:
    """Make `consultant` the consultant of record of the beneficiary of `membership`
    (coordinator of its organisation only: PermissionDenied; a consultant who is not an
    active consultant of it: ValidationError on "consultant"; StaleVersion when the
    membership changed since `expected_version`). An open bilan run by someone else stays
    with them until it is handed over (`bilan_hand_over`)."""
    require_coordinator_of(coordinator, membership.organisation_id)
    if membership.role != Role.BENEFICIARY or not membership.is_active:
        raise ValidationError(
            _("Seul·e un·e bénéficiaire actif·ve a un·e consultant·e référent·e.")
        )
    _require_consultant_of(consultant, membership.organisation_id)
    previous_id = membership.consultant_id
    with transaction.atomic():
        version_bump(
            membership,
            expected=expected_version,
            message=ASSIGN_STALE_MESSAGE,
            consultant=consultant,
        )
        audit_record(
            actor=coordinator,
            action="membership.consultant_assign",
            target=membership,
            organisation=membership.organisation,
            data={"from": previous_id, "to": consultant.pk, "user_id": membership.user_id},
        )
    return membership


def _series_move(bilan: Bilan, previous: User, consultant: User) -> None:
    """The new consultant takes the former one's place in the bilan's entretiens and
    follow-up interview: they organise those to come and read the past ones. The past
    attendances and signatures stay as they were, with their author."""
    followups = FollowUp.objects.filter(bilan=bilan, series__isnull=False).values("series_id")
    places = SeriesParticipant.objects.filter(user=previous).filter(
        series__bilan_session__bilan=bilan
    ) | SeriesParticipant.objects.filter(user=previous, series_id__in=followups)
    already = set(
        SeriesParticipant.objects.filter(
            user=consultant, series_id__in=places.values("series_id")
        ).values_list("series_id", flat=True)
    )
    for place in places:
        if place.series_id in already:
            SeriesParticipant.objects.filter(series_id=place.series_id, user=consultant).update(
                role=place.role
            )
            place.delete()
        else:
            SeriesParticipant.objects.filter(pk=place.pk).update(user=consultant)


def bilan_hand_over(
    *, coordinator: User, bilan: Bilan, consultant: User, expected_version: int
) -> Bilan:
    """Hand the open `bilan` over to `consultant` (see the module docstring). Refused:
    PermissionDenied for anyone but a coordinator of its organisation; ValidationError for
    an ended bilan, for its own consultant, for someone who is not an active consultant of
    the organisation; StaleVersion when the bilan changed since `expected_version`."""
    require_coordinator_of(coordinator, bilan.organisation_id)
    if bilan.status == Phase.CLOSED:
        raise ValidationError(str(ENDED_MESSAGE), code="ended")
    _require_consultant_of(consultant, bilan.organisation_id)
    if consultant.pk == bilan.consultant_id:
        raise ValidationError(
            {"consultant": [_("%(name)s suit déjà ce bilan.") % {"name": _name(consultant)}]},
            code="same",
        )
    with transaction.atomic():
        locked = Bilan.objects.select_for_update().get(pk=bilan.pk)
        if locked.status == Phase.CLOSED:  # ended since the page was shown
            raise ValidationError(str(ENDED_MESSAGE), code="ended")
        previous = User.objects.get(pk=locked.consultant_id)
        version_bump(
            bilan, expected=expected_version, message=HAND_OVER_STALE_MESSAGE, consultant=consultant
        )
        bilan.consultant = consultant
        Membership.objects.filter(
            user_id=bilan.beneficiary_id,
            organisation_id=bilan.organisation_id,
            role=Role.BENEFICIARY,
        ).update(consultant=consultant, version=F("version") + 1)
        _series_move(bilan, previous, consultant)
        audit_record(
            actor=coordinator,
            action="bilan.hand_over",
            target=bilan,
            organisation=bilan.organisation,
            data={"from": previous.pk, "to": consultant.pk},
        )
        notice_ids = _notify_beneficiary(bilan, consultant) + _notify_consultant(
            bilan, consultant, coordinator
        )
        if notice_ids:
            transaction.on_commit(lambda: _deliver_soon(notice_ids))
    return bilan


def _notify_beneficiary(bilan: Bilan, consultant: User) -> list[int]:
    """Tell the person, in the app and (unless turned off) by e-mail, who runs their bilan
    now. One notice per hand-over (the key names the bilan's version)."""

    def words() -> tuple[str, str]:
        name = _name(consultant)
        subject = _("Votre bilan est désormais suivi par %(name)s") % {"name": name}
        text = _(
            "Votre bilan de compétences est désormais suivi par %(name)s. Vos "
            "entretiens à venir, vos documents et ce que vous avez déjà fait "
            "restent les mêmes ; %(name)s vous contactera pour la suite."
        ) % {"name": name}
        return subject, text

    return _notify(bilan, bilan.beneficiary, words, reverse("bilans:mine"), "beneficiary")


def _notify_consultant(bilan: Bilan, consultant: User, coordinator: User) -> list[int]:
    """Tell the consultant who takes the bilan over, with a link to it."""

    def words() -> tuple[str, str]:
        de_name = de(_name(bilan.beneficiary))
        subject = _("Le bilan %(de_name)s vous est confié") % {"de_name": de_name}
        text = _(
            "%(coordinator)s vous confie le bilan %(de_name)s : ses entretiens, ses notes "
            "et ses documents sont désormais dans votre portefeuille. Prenez contact avec "
            "la personne, qui sait que vous prenez la suite."
        ) % {"coordinator": _name(coordinator), "de_name": de_name}
        return subject, text

    path = reverse("bilans:detail", args=[bilan.pk])
    return _notify(bilan, consultant, words, path, "consultant")


def _notify(bilan: Bilan, recipient: User, words, path: str, whom: str) -> list[int]:
    """One notice per channel of `recipient` about this hand-over, in their language;
    `words()` gives the subject and the text. The key names the bilan's version: one notice
    per hand-over and recipient."""
    if not recipient.is_active:
        return []
    ids = []
    for channel in channels_for(recipient):
        with translation.override(recipient.preferred_language or "fr"):
            subject, text = words()
            body = render_to_string(
                "emails/notifications/synthesis.txt",
                {
                    "recipient": recipient,
                    "email": channel == "email",
                    "text": text,
                    "link": absolute_url(path),
                    "preferences_link": absolute_url(reverse("notifications:preferences")),
                },
            ).strip()
            notice, _created = notification_get_or_create(
                recipient=recipient,
                channel=channel,
                kind=BilanNotice.CONSULTANT_CHANGED,
                idempotency_key=f"bilan:{bilan.pk}:handover:{bilan.version}:{whom}:{channel}",
                subject=subject,
                body=body + "\n",
                url=path,
            )
        if notice.status == Notification.Status.PENDING:
            ids.append(notice.pk)
    return ids


def _deliver_soon(notification_ids: list[int]) -> None:
    for notification_id in notification_ids:
        notification_deliver.enqueue(notification_id=notification_id)
