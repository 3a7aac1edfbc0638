"""Complaints and difficulties (Qualiopi indicator 31, docs/adr/0034): raised by a member of
the organisation from their space or by anyone through the organisme's public form, then
acknowledged, handled, answered and closed by its coordinators, with dates and deadlines."""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tisser.core.enums import Role
from tisser.core.workdays import add_working_days

# The organisme's commitments (docs/adr/0034): an acknowledgement within ACKNOWLEDGE_WORKING_DAYS
# working days of its receipt, an answer within ANSWER_DAYS days. Constants for now; a setting
# of the organisme later.
ACKNOWLEDGE_WORKING_DAYS = 2
ANSWER_DAYS = 30


class ComplaintKind(models.TextChoices):
    COMPLAINT = "complaint", _("Réclamation")
    DIFFICULTY = "difficulty", _("Difficulté")


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("Reçue")
    ACKNOWLEDGED = "acknowledged", _("Prise en compte")
    IN_PROGRESS = "in_progress", _("En cours")
    ANSWERED = "answered", _("Répondue")
    CLOSED = "closed", _("Close")


class Relation(models.TextChoices):
    """Who writes through the public form, in their relation to the organisme."""

    EMPLOYER = "employer", _("Employeur")
    FUNDER = "funder", _("Financeur")
    BENEFICIARY = "beneficiary", _("Bénéficiaire")
    RELATIVE = "relative", _("Proche")
    OTHER = "other", _("Autre")


OPEN_STATUSES = (
    ComplaintStatus.RECEIVED,
    ComplaintStatus.ACKNOWLEDGED,
    ComplaintStatus.IN_PROGRESS,
)


def acknowledge_due_on(received: date) -> date:
    return add_working_days(received, ACKNOWLEDGE_WORKING_DAYS)


def answer_due_on(received: date) -> date:
    return received + timedelta(days=ANSWER_DAYS)


class ComplaintQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A complaint is seen by its author and by the coordinators of its organisation,
        by nobody else (not even the consultant of the bilan it is about)."""
        if not user.is_authenticated:
            return self.none()
        coordinated = user.memberships.coordinated_organisation_ids()
        return self.filter(Q(author=user) | Q(organisation_id__in=coordinated))

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: date):
        """Open and past their answer's deadline (`answer_due_on` in the database), or still
        unacknowledged past the acknowledgement's one."""
        return self.open().filter(
            Q(answer_due_on__lt=today)
            | Q(status=ComplaintStatus.RECEIVED, acknowledge_due_on__lt=today)
        )


class Complaint(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="complaints"
    )
    kind = models.CharField(_("nature"), max_length=20, choices=ComplaintKind.choices)
    # A member of the organisation writing from their space; null for the public form (and
    # after the author's account is erased: the register keeps the role).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
    )
    author_role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    # The public form's author: their name, e-mail and relation to the organisme.
    public_name = models.CharField(_("nom"), max_length=200, blank=True)
    public_email = models.EmailField(_("adresse e-mail"), blank=True)
    public_relation = models.CharField(
        _("relation avec l'organisme"), max_length=20, choices=Relation.choices, blank=True
    )
    bilan = models.ForeignKey(
        "bilans.Bilan",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
    )
    subject = models.CharField(_("objet"), max_length=200)
    description = models.TextField(_("description"))
    status = models.CharField(
        max_length=20, choices=ComplaintStatus.choices, default=ComplaintStatus.RECEIVED
    )
    received_on = models.DateField()
    acknowledge_due_on = models.DateField()
    answer_due_on = models.DateField()
    acknowledged_on = models.DateField(null=True, blank=True)
    answered_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    answer = models.TextField(_("réponse"), blank=True)
    internal_notes = models.TextField(_("notes internes"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["organisation", "status", "received_on"])]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_public(self) -> bool:
        return not self.author_id and bool(self.public_email)

    def acknowledge_overdue(self, today: date) -> bool:
        return self.status == ComplaintStatus.RECEIVED and today > self.acknowledge_due_on

    def answer_overdue(self, today: date) -> bool:
        return self.is_open and today > self.answer_due_on

    def overdue(self, today: date) -> bool:
        return self.acknowledge_overdue(today) or self.answer_overdue(today)

    @property
    def late(self) -> bool:
        """Overdue today (for the pages)."""
        return self.overdue(timezone.localdate())

    @property
    def answered_in_time(self) -> bool:
        return self.answered_on is not None and self.answered_on <= self.answer_due_on

    @property
    def origin_label(self) -> str:
        """Who raised it, without naming them: a role or a relation (the register's word)."""
        if self.public_relation:
            return str(self.get_public_relation_display())
        if self.author_role:
            return str(self.get_author_role_display())
        return ""
