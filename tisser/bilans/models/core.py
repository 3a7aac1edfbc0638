"""The bilan de compétences: three legal phases (préliminaire, investigation, conclusion —
Code du travail R6313-4), the beneficiary's informed consent, and the link to its
entretiens, which are meetings of kind BILAN_SESSION (see `tisser.meetings`)."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class Phase(models.TextChoices):
    PRELIMINARY = "preliminary", _("Phase préliminaire")
    INVESTIGATION = "investigation", _("Phase d'investigation")
    CONCLUSION = "conclusion", _("Phase de conclusion")
    CLOSED = "closed", _("Bilan terminé")

    def count_label(self, count: int) -> str:
        """What follows a count of bilans in this phase (« 3 bilans en phase préliminaire »):
        the label above names a phase, not the bilans in it."""
        match self:
            case Phase.PRELIMINARY:
                return ngettext(
                    "bilan en phase préliminaire", "bilans en phase préliminaire", count
                )
            case Phase.INVESTIGATION:
                return ngettext(
                    "bilan en phase d'investigation", "bilans en phase d'investigation", count
                )
            case Phase.CONCLUSION:
                return ngettext(
                    "bilan en phase de conclusion", "bilans en phase de conclusion", count
                )
            case Phase.CLOSED:
                return ngettext("bilan terminé", "bilans terminés", count)


# The only order a bilan goes through: each transition leads to the next phase.
PHASE_ORDER: tuple[Phase, ...] = (
    Phase.PRELIMINARY,
    Phase.INVESTIGATION,
    Phase.CONCLUSION,
    Phase.CLOSED,
)


def next_phase(phase: Phase | str) -> Phase | None:
    index = PHASE_ORDER.index(Phase(phase))
    return PHASE_ORDER[index + 1] if index + 1 < len(PHASE_ORDER) else None


class Funding(models.TextChoices):
    CPF = "cpf", _("Compte personnel de formation (CPF)")
    EMPLOYER = "employer", _("Employeur (plan de développement des compétences)")
    # R6313-8: a bilan in the skills plan or during a congé de reclassement needs the same
    # written tripartite convention.
    RECLASSEMENT = "reclassement", _("Congé de reclassement")
    PERSONAL = "personal", _("Financement personnel")
    OTHER = "other", _("Autre financement")


class Outcome(models.TextChoices):
    """How a bilan ended. Every end sets `status` to CLOSED and dates `closed_at`: a new
    bilan can then be opened for the person."""

    COMPLETED = "completed", _("Bilan mené à son terme")
    INTERRUPTED = "interrupted", _("Bilan interrompu")
    ABANDONED = "abandoned", _("Bilan abandonné")
    WITHDRAWN = "withdrawn", _("Consentement retiré par la personne")


class EndReason(models.TextChoices):
    """Why a bilan ended before its term: the reasons the CPF "service fait" declaration
    asks for when the completion is partial."""

    ABANDON = "abandon", _("Abandon")
    ABSENCE = "absence", _("Absence")
    INTERRUPTION = "interruption", _("Interruption")
    FORCE_MAJEURE = "force_majeure", _("Force majeure")


def party_of_bilan(user, path: str = "") -> models.Q:
    """The one "the beneficiary or their consultant" rule: `user` is the bilan's
    beneficiary or the consultant who runs it. `path` leads from the queried model to the
    bilan (`"bilan__"` for what belongs to one)."""
    return models.Q(**{f"{path}beneficiary": user}) | models.Q(**{f"{path}consultant": user})


class BilanQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A beneficiary sees their own bilans; a consultant sees the bilans they run; a
        coordinator sees the bilans of their organisation — management data only (phases,
        dates, funding, hours), which is all a Bilan row holds."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        coordinated = user.memberships.coordinated_organisation_ids()
        return self.filter(party_of_bilan(user) | models.Q(organisation_id__in=coordinated))

    def involving(self, user):
        """The bilans `user` takes part in — as their beneficiary or as the consultant who
        runs them — among those visible to them. A coordinator's aggregate view is not a
        part: working documents and entretiens stay out of their reach."""
        return self.visible_to(user).filter(party_of_bilan(user))

    def open(self):
        return self.exclude(status=Phase.CLOSED)


class Bilan(models.Model):
    """One bilan de compétences of a beneficiary, run by a consultant. `status` changes only
    through `bilan_phase_advance`, one phase at a time."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="bilans"
    )
    beneficiary = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bilans"
    )
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bilans_run"
    )
    funding = models.CharField(_("financement"), max_length=20, choices=Funding.choices)
    status = models.CharField(
        _("phase"), max_length=20, choices=Phase.choices, default=Phase.PRELIMINARY
    )
    # Who pays, and how much: management data the BPF (L6352-11) and the CPF need.
    funder_name = models.CharField(
        _("financeur"),
        max_length=200,
        blank=True,
        help_text=_("Par exemple : l'employeur, son OPCO, la Caisse des Dépôts."),
    )
    price_euros = models.DecimalField(
        _("prix (euros, TTC)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    # The hours agreed for the bilan (at most 24, L6313-4): the base of the completion rate.
    planned_hours = models.DecimalField(
        _("durée prévue (heures)"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("24"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("24"))],
    )
    opened_at = models.DateTimeField(_("ouvert le"))
    closed_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    # How it ended (empty while open), why when before its term, and the hours done then,
    # frozen so that later changes to the entretiens never rewrite a declared figure.
    outcome = models.CharField(_("issue"), max_length=20, choices=Outcome.choices, blank=True)
    end_reason = models.CharField(
        _("motif de fin anticipée"), max_length=20, choices=EndReason.choices, blank=True
    )
    hours_done = models.DecimalField(
        _("heures réalisées"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    # What the consultant wrote about an early end (interruption, abandonment): management
    # data, a few words, never the person's reasons in detail.
    end_note = models.CharField(_("précision sur la fin du bilan"), max_length=300, blank=True)
    # Set when the last working documents were destroyed, exceptions included
    # (`tisser.bilans.services.retention`); the row itself stays as management data.
    purged_at = models.DateTimeField(_("documents de travail supprimés le"), null=True, blank=True)
    # Set when the anonymous outcome figures of this bilan were recorded (`OutcomeRecord`,
    # which holds no link back): they are recorded once, before the isolation checks go.
    outcome_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The latest activity of the bilan, kept on write by `tisser.bilans.activity` (its
    # docstring says what counts): the lists sort on it in the database.
    last_activity_at = models.DateTimeField(default=timezone.now, editable=False)
    # Grows with every change of status: two concurrent transitions cannot both succeed.
    version = models.PositiveIntegerField(default=1)

    objects = BilanQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [
            # The caseload and the coordinator's list, sorted by last activity.
            models.Index(
                fields=["organisation", "-last_activity_at"], name="bilans_org_activity_idx"
            ),
            models.Index(
                fields=["consultant", "-last_activity_at"], name="bilans_consultant_activity_idx"
            ),
            # The daily jobs of one organisation: its ended bilans, by end (issue #16).
            models.Index(
                fields=["organisation", "status", "closed_at"], name="bilan_org_status_closed_idx"
            ),
            # The coordinator's CPF dossiers and service-fait lines: one organisation's CPF
            # bilans (issue #16).
            models.Index(fields=["organisation", "funding"], name="bilan_org_funding_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary"],
                condition=~models.Q(status="closed"),
                name="bilans_one_open_bilan_per_beneficiary",
            )
        ]
        verbose_name = _("bilan de compétences")
        verbose_name_plural = _("bilans de compétences")

    def __str__(self) -> str:
        return f"{self.beneficiary} — {self.get_status_display()}"

    def involves(self, user) -> bool:
        """`party_of_bilan` for a bilan already loaded: `user` is its beneficiary or the
        consultant who runs it."""
        return user.is_authenticated and user.pk in (self.beneficiary_id, self.consultant_id)

    @property
    def completion_rate(self) -> Decimal | None:
        """Hours done over hours planned, in percent (at most 100), once the bilan ended;
        a whole number rounded half up, as the Caisse des Dépôts asks (62.5 → 63)."""
        if self.hours_done is None or not self.planned_hours:
            return None
        rate = self.hours_done * 100 / self.planned_hours
        return min(rate, Decimal(100)).quantize(Decimal("1"), rounding=ROUND_HALF_UP)

    @property
    def next_phase(self) -> Phase | None:
        return next_phase(self.status)

    @property
    def documents_due_on(self) -> date | None:
        """The day the daily job destroys the working documents of an ended bilan: the day
        after its end (R6313-7: "dès le terme de l'action"), except what an exception keeps
        (`tisser.bilans.services.retention`). None while open."""
        if self.closed_at is None:
            return None
        return timezone.localdate(self.closed_at) + timedelta(days=1)

    @property
    def management_kept_until(self) -> date | None:
        """The last day the management data of an ended bilan (this row, its dates, hours,
        émargements, convention, amounts, satisfaction answers) is kept."""
        if self.closed_at is None:
            return None
        years = settings.TISSER_MANAGEMENT_RETENTION_YEARS
        return timezone.localdate(self.closed_at) + relativedelta(years=years)


class BilanConsent(models.Model):
    """The beneficiary's informed consent, with the exact text and its version."""

    bilan = models.OneToOneField(Bilan, on_delete=models.CASCADE, related_name="consent")
    text_version = models.CharField(_("version du texte"), max_length=40)
    text = models.TextField(_("texte accepté"))
    accepted_at = models.DateTimeField(_("donné le"))
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # When the person withdrew it (L6313-4), which stopped the bilan.
    withdrawn_at = models.DateTimeField(_("retiré le"), null=True, blank=True)

    class Meta:
        verbose_name = _("consentement au bilan")

    def __str__(self) -> str:
        return f"{self.bilan} — {self.text_version}"


class PhaseTransition(models.Model):
    """One step of a bilan from a phase to the next, dated and attributed."""

    bilan = models.ForeignKey(Bilan, on_delete=models.CASCADE, related_name="transitions")
    from_phase = models.CharField(_("de"), max_length=20, choices=Phase.choices)
    to_phase = models.CharField(_("vers"), max_length=20, choices=Phase.choices)
    at = models.DateTimeField(_("le"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("passage de phase")

    def __str__(self) -> str:
        return f"{self.bilan}: {self.from_phase} → {self.to_phase}"


class BilanSession(models.Model):
    """A series of entretiens planned for a bilan (kind BILAN_SESSION). An explicit link
    rather than a guess from the participants: a beneficiary may have a second bilan later
    with the same consultant, and its hours must not mix with the first one's."""

    bilan = models.ForeignKey(Bilan, on_delete=models.CASCADE, related_name="sessions")
    series = models.OneToOneField(
        "meetings.MeetingSeries", on_delete=models.CASCADE, related_name="bilan_session"
    )
    # An entretien that was held without being planned in Tisser, recorded afterwards by
    # the consultant (`entretien_record_unplanned`): why, and when it was recorded. Both
    # are printed on the émargement sheet, so that nobody mistakes it for a planned one.
    unplanned_reason = models.TextField(_("motif de l'entretien non planifié"), blank=True)
    recorded_afterwards_at = models.DateTimeField(
        _("enregistré après coup le"), null=True, blank=True
    )

    class Meta:
        ordering = ["bilan", "id"]
        verbose_name = _("entretiens du bilan")

    def __str__(self) -> str:
        return f"{self.bilan} — {self.series}"
