"""Who is due for what among an organisme's consultants (Qualiopi indicators 21 and 22): the
rule, written once, and the read the coordinator's list, the indicator map and the auditor's
export share (docs/adr/0036-consultants-qualifications-and-training.md).

The rule, for one consultant on a given day:
- « Formation continue à prévoir » when no continuing training ended in the last 12 months:
  due one year after the last training ended (after the day they joined the organisme when
  none is recorded), shown from that day on;
- « Habilitation à renouveler » when an accreditation ends within 90 days or has ended: due
  the day it ends;
- « Dossier incomplet » while the record has no diploma or certification, or does not say
  how many years of experience in guidance and bilans the consultant has: due now.

The read is one query whatever the number of consultants (subqueries per membership), so the
list sorts and filters in Python over the organisation's consultants and pages the result."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Exists, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from tisser.accounts.models import Membership
from tisser.core.enums import Role
from tisser.quality.models import ConsultantMethod, ConsultantQualification, ConsultantTraining

# "Dans les 12 derniers mois": a year after the last training ended.
TRAINING_EVERY_MONTHS = 12
# An accreditation is flagged this many days before it ends.
RENEWAL_NOTICE_DAYS = 90


class DueKind(models.TextChoices):
    TRAINING = "formation", _("Formation continue à prévoir")
    RENEWAL = "habilitation", _("Habilitation à renouveler")
    INCOMPLETE = "dossier", _("Dossier incomplet")


@dataclass(frozen=True)
class Due:
    """One thing a consultant is due for: its kind, the day it is due (the day an
    accreditation ends, the anniversary of the last training; `None` for a record to
    complete, due now) and what it is about (the method's name)."""

    kind: DueKind
    due_on: datetime.date | None = None
    about: str = ""

    @property
    def label(self) -> str:
        return str(self.kind.label)


def one_year_after(day: datetime.date) -> datetime.date:
    """The same day a year later (28 February after a 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def dues_of(
    *,
    today: datetime.date,
    joined_on: datetime.date,
    last_training_on: datetime.date | None,
    next_expiry_on: datetime.date | None,
    next_expiry_name: str = "",
    has_qualification: bool,
    has_experience: bool,
) -> list[Due]:
    """What the consultant is due for on `today`, in the order of the rule above."""
    dues = []
    training_by = one_year_after(last_training_on or joined_on)
    if training_by <= today:
        dues.append(Due(DueKind.TRAINING, training_by))
    if next_expiry_on is not None and next_expiry_on <= today + datetime.timedelta(
        days=RENEWAL_NOTICE_DAYS
    ):
        dues.append(Due(DueKind.RENEWAL, next_expiry_on, next_expiry_name))
    if not (has_qualification and has_experience):
        dues.append(Due(DueKind.INCOMPLETE))
    return dues


@dataclass
class ConsultantRow:
    """A consultant of the organisme, as the coordinator's list shows them."""

    membership: Membership
    last_training_on: datetime.date | None
    next_expiry_on: datetime.date | None
    complete: bool
    dues: list[Due] = field(default_factory=list)

    @property
    def name(self) -> str:
        user = self.membership.user
        return user.get_full_name() or user.email

    @property
    def first_due_on(self) -> datetime.date:
        """The earliest due day (a record to complete counts as due today's minimum), or
        the far future when nothing is due: the list's sort key."""
        days = [due.due_on or datetime.date.min for due in self.dues]
        return min(days, default=datetime.date.max)


def consultant_memberships(organisation_id: int) -> models.QuerySet:
    """The active consultant memberships of an organisation, each with what the rule reads
    (subqueries: one query in all)."""
    trainings = ConsultantTraining.objects.filter(membership=OuterRef("pk"))
    expiring = ConsultantMethod.objects.filter(
        membership=OuterRef("pk"), expires_on__isnull=False
    ).order_by("expires_on", "id")
    return (
        Membership.objects.filter(
            organisation_id=organisation_id, role=Role.CONSULTANT, is_active=True
        )
        .select_related("user", "consultant_record")
        .annotate(
            last_training_on=Subquery(
                trainings.order_by("-ended_on").values("ended_on")[:1],
                output_field=models.DateField(),
            ),
            next_expiry_on=Subquery(
                expiring.values("expires_on")[:1], output_field=models.DateField()
            ),
            next_expiry_name=Subquery(expiring.values("name")[:1]),
            has_qualification=Exists(
                ConsultantQualification.objects.filter(membership=OuterRef("pk"))
            ),
        )
        .order_by("user__last_name", "user__first_name", "pk")
    )


def _record(membership: Membership):
    try:
        return membership.consultant_record
    except Membership.consultant_record.RelatedObjectDoesNotExist:
        return None


def consultant_rows(
    memberships: Iterable[Membership], *, today: datetime.date
) -> list[ConsultantRow]:
    """The rows of memberships read by `consultant_memberships`, with their dues on `today`."""
    rows = []
    for membership in memberships:
        record = _record(membership)
        has_experience = record is not None and record.years_in_guidance is not None
        has_qualification = bool(membership.has_qualification)  # type: ignore[attr-defined]
        last_training_on = membership.last_training_on  # type: ignore[attr-defined]
        next_expiry_on = membership.next_expiry_on  # type: ignore[attr-defined]
        rows.append(
            ConsultantRow(
                membership=membership,
                last_training_on=last_training_on,
                next_expiry_on=next_expiry_on,
                complete=has_experience and has_qualification,
                dues=dues_of(
                    today=today,
                    joined_on=membership.created_at.date(),
                    last_training_on=last_training_on,
                    next_expiry_on=next_expiry_on,
                    next_expiry_name=membership.next_expiry_name or "",  # type: ignore[attr-defined]
                    has_qualification=has_qualification,
                    has_experience=has_experience,
                ),
            )
        )
    return rows


def organisation_consultant_rows(
    organisation_id: int, *, today: datetime.date
) -> list[ConsultantRow]:
    return consultant_rows(consultant_memberships(organisation_id), today=today)
