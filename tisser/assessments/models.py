"""Questionnaires a person fills in about themself. Answers and scores are stored with the
version of the questionnaire they were given, so that later wording changes do not
rewrite the past."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tisser.accounts.models import Membership


class IsolationCheckQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A person sees their own checks; their consultant of record (their active
        beneficiary membership of the check's organisation names them, ADR 0021) sees them too.
        Coordinators see nothing individual: the check is personal."""
        if not user.is_authenticated:
            return self.none()

        invited_by_user = Membership.objects.beneficiaries_of(user).filter(
            user=models.OuterRef("user"), organisation=models.OuterRef("organisation")
        )
        return self.filter(models.Q(user=user) | models.Exists(invited_by_user))


class IsolationCheck(models.Model):
    """One completed isolation check (see `tisser.assessments.isolation`)."""

    class Moment(models.TextChoices):
        START = "start", _("Début du bilan")
        END = "end", _("Fin du bilan")
        PLUS_3_MONTHS = "plus_3_months", _("3 mois après")
        PLUS_6_MONTHS = "plus_6_months", _("6 mois après")
        OTHER = "other", _("Autre moment")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="isolation_checks"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="isolation_checks"
    )
    moment = models.CharField(_("moment"), max_length=20, choices=Moment.choices)
    version = models.CharField(_("version du questionnaire"), max_length=40)
    answers = models.JSONField(_("réponses"), default=dict)
    scores = models.JSONField(_("scores"), default=dict)
    created_at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)

    objects = IsolationCheckQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("point sur l'isolement")
        verbose_name_plural = _("points sur l'isolement")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_moment_display()} ({self.created_at:%Y-%m-%d})"


class InventoryResponseQuerySet(IsolationCheckQuerySet):
    """Same rule as the isolation check: the person, and the consultant who invited them."""


class InventoryResponse(models.Model):
    """One completed self-inventory of the bilan's investigation phase: interests (RIASEC)
    or values and motivations. `scores` maps each dimension to 0–100."""

    class Kind(models.TextChoices):
        INTERESTS = "interests", _("Centres d'intérêt (RIASEC)")
        VALUES = "values", _("Valeurs et motivations")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inventory_responses"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="inventory_responses"
    )
    kind = models.CharField(_("inventaire"), max_length=20, choices=Kind.choices)
    version = models.CharField(_("version du questionnaire"), max_length=40)
    answers = models.JSONField(_("réponses"), default=dict)
    scores = models.JSONField(_("scores"), default=dict)
    created_at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)

    objects = InventoryResponseQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("inventaire rempli")
        verbose_name_plural = _("inventaires remplis")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_kind_display()} ({self.created_at:%Y-%m-%d})"


class SafetyConcernQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The person who wrote it, and the consultant it was addressed to while they are
        still that person's consultant (their active beneficiary membership of the concern's
        organisation names them). Nobody else: not a colleague, never a coordinator."""
        if not user.is_authenticated:
            return self.none()
        still_their_consultant = Membership.objects.beneficiaries_of(user).filter(
            user=models.OuterRef("user"), organisation=models.OuterRef("organisation")
        )
        return self.filter(
            models.Q(user=user)
            | (models.Q(consultant=user) & models.Exists(still_their_consultant))
        )


class SafetyConcern(models.Model):
    """What a person chose to tell their consultant about a hard situation at work
    (harassment, discrimination, a toxic environment), with their explicit agreement
    (docs/adr/0020-safety-net.md). Only what they chose to say is kept: the kind of
    situation (which may be "not said") and an optional note. Withdrawing it deletes it; it
    is deleted anyway after `TISSER_SAFETY_CONCERN_DAYS` (daily job). Nothing is stored when
    the person only reads the resources without telling anyone."""

    class Situation(models.TextChoices):
        HARASSMENT = "harassment", _("Du harcèlement (moral ou sexuel)")
        DISCRIMINATION = "discrimination", _("Une discrimination")
        TOXIC = "toxic", _("Une ambiance de travail toxique, des tensions qui durent")
        UNSAID = "unsaid", _("Je préfère ne pas préciser")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="safety_concerns"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="safety_concerns"
    )
    # The consultant told: the one who invited the person (their consultant, ADR 0003).
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="safety_concerns_received"
    )
    situation = models.CharField(_("situation"), max_length=20, choices=Situation.choices)
    note = models.TextField(_("message pour votre conseiller·ère"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)

    objects = SafetyConcernQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("demande d'échange sur une situation difficile")
        verbose_name_plural = _("demandes d'échange sur une situation difficile")

    def __str__(self) -> str:
        return f"{self.user} → {self.consultant} ({self.created_at:%Y-%m-%d})"
