"""Mentor profiles (validated by a coordinator before they appear) and mentee needs (what a
beneficiary looking for a mentor asks, and what they agree to share, field by field)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tisser.accounts.models import Membership
from tisser.core.enums import Role
from tisser.mentoring.models.choices import MeetingPreference

MAX_CAPACITY = 10


class MentorProfileQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A mentor sees their own profile; a coordinator sees every profile of their
        organisation (the employer and the review included); a beneficiary of the organisation
        sees the validated profiles that are not paused, without the employer (pages never
        show it to them)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        beneficiary_of = user.memberships.filter(role=Role.BENEFICIARY, is_active=True).values(
            "organisation_id"
        )
        return self.filter(
            models.Q(user=user)
            | models.Q(organisation_id__in=user.memberships.coordinated_organisation_ids())
            | (
                models.Q(organisation_id__in=beneficiary_of)
                & models.Q(status=MentorProfile.Status.VALIDATED, paused_at__isnull=True)
            )
        )

    def available(self):
        """Validated, not paused, held by an active mentor of the organisation."""

        return self.filter(
            models.Exists(
                Membership.objects.filter(
                    user=models.OuterRef("user"),
                    organisation=models.OuterRef("organisation"),
                    role=Role.MENTOR,
                    is_active=True,
                )
            ),
            status=MentorProfile.Status.VALIDATED,
            paused_at__isnull=True,
            user__is_active=True,
        )


class MentorProfile(models.Model):
    """What a mentor brings: their path, the fiches ROME they hold or held, the compétences
    they can pass on, the help they offer, their capacity and logistics. `status` changes only
    through the services (submit, validate, reject); a paused profile takes no new mentee."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        SUBMITTED = "submitted", _("En attente de validation")
        VALIDATED = "validated", _("Validé")
        REJECTED = "rejected", _("À revoir")

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="mentor_profiles"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_profiles"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    headline = models.CharField(_("poste ou activité actuelle"), max_length=200)
    career_path = models.TextField(_("parcours professionnel"))
    reconversion = models.TextField(
        _("ma propre reconversion"),
        blank=True,
        help_text=_("Si vous avez vous-même changé de métier : ce qui vous a aidé·e."),
    )
    current_fiches = models.ManyToManyField(
        "referentiel.Metier", related_name="+", blank=True, verbose_name=_("métiers actuels")
    )
    past_fiches = models.ManyToManyField(
        "referentiel.Metier", related_name="+", blank=True, verbose_name=_("métiers exercés")
    )
    domaines = models.ManyToManyField(
        "referentiel.DomaineProfessionnel",
        related_name="+",
        blank=True,
        verbose_name=_("domaines professionnels"),
    )
    skills = models.ManyToManyField(
        "referentiel.Competence",
        related_name="+",
        blank=True,
        verbose_name=_("compétences que je peux transmettre"),
    )
    sectors = models.ManyToManyField(
        "referentiel.SecteurActivite",
        related_name="+",
        blank=True,
        verbose_name=_("secteurs d'activité"),
    )
    help_offered = models.JSONField(_("ce sur quoi je peux aider"), default=list)
    capacity = models.PositiveSmallIntegerField(
        _("nombre maximum de mentoré·es en même temps"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)],
    )
    availability = models.PositiveIntegerField(_("disponibilités"), default=0)
    languages = models.JSONField(_("langues"), default=list)
    mode = models.CharField(
        _("modalité"),
        max_length=10,
        choices=MeetingPreference.choices,
        default=MeetingPreference.EITHER,
    )
    departement = models.CharField(
        _("département (présentiel)"),
        max_length=3,
        blank=True,
        help_text=_("Par exemple 69 ou 2A."),
    )
    motivation = models.TextField(_("pourquoi je deviens mentor"))
    employer = models.CharField(
        _("employeur actuel"),
        max_length=200,
        blank=True,
        help_text=_(
            "Vu seulement par la coordination : il évite de vous proposer une personne de "
            "votre propre entreprise."
        ),
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(_("remarque de la coordination"), blank=True)
    paused_at = models.DateTimeField(_("en pause depuis"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MentorProfileQuerySet.as_manager()

    class Meta:
        ordering = ["user__last_name", "user__first_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="mentoring_one_mentor_profile"
            )
        ]
        verbose_name = _("profil de mentor")
        verbose_name_plural = _("profils de mentor")

    def __str__(self) -> str:
        return f"{self.user.get_full_name()} — {self.headline}"

    @property
    def is_available(self) -> bool:
        return self.status == self.Status.VALIDATED and self.paused_at is None


class MenteeProfileQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A beneficiary sees their own needs; a coordinator of the organisation sees them for
        matching rounds. A mentor never reads this row directly: they get only the fields the
        mentee chose to share (`mentoring.sharing.shared_needs`)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(
            models.Q(user=user)
            | models.Q(organisation_id__in=user.memberships.coordinated_organisation_ids())
        )


class MenteeProfile(models.Model):
    """A beneficiary's wish for a mentor. The bilan-derived fields (preferred project, target
    fiches, compétences to acquire) reach a mentor only when their `share_*` flag is set."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="mentee_profiles"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentee_profiles"
    )
    bilan = models.ForeignKey(
        "bilans.Bilan", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    seeking = models.BooleanField(_("je cherche un·e mentor"), default=True)
    target_fiches = models.ManyToManyField(
        "referentiel.Metier", related_name="+", blank=True, verbose_name=_("métiers visés")
    )
    help_wanted = models.JSONField(_("ce sur quoi j'aimerais être aidé·e"), default=list)
    wishes = models.TextField(
        _("ce que j'attends d'un·e mentor"),
        blank=True,
        help_text=_("Vu par les mentors que vous sollicitez et par la coordination."),
    )
    availability = models.PositiveIntegerField(_("disponibilités"), default=0)
    languages = models.JSONField(_("langues"), default=list)
    mode = models.CharField(
        _("modalité"),
        max_length=10,
        choices=MeetingPreference.choices,
        default=MeetingPreference.EITHER,
    )
    departement = models.CharField(_("département (présentiel)"), max_length=3, blank=True)
    employer = models.CharField(
        _("employeur actuel ou dernier employeur"),
        max_length=200,
        blank=True,
        help_text=_(
            "Jamais montré aux mentors : il évite de vous proposer quelqu'un de votre entreprise."
        ),
    )
    cohort = models.CharField(
        _("promotion ou programme"),
        max_length=100,
        blank=True,
        help_text=_("Renseigné par la coordination pour les tours d'appariement."),
    )
    share_project = models.BooleanField(_("partager mon projet privilégié"), default=False)
    share_targets = models.BooleanField(_("partager mes métiers visés"), default=False)
    share_gap = models.BooleanField(
        _("partager les compétences que je veux acquérir"), default=False
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MenteeProfileQuerySet.as_manager()

    class Meta:
        ordering = ["user__last_name", "user__first_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="mentoring_one_mentee_profile"
            )
        ]
        verbose_name = _("besoins de mentorat")
        verbose_name_plural = _("besoins de mentorat")

    def __str__(self) -> str:
        return f"{self.user.get_full_name()}"


class DeclaredConflictQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The coordination of the organisation sees its declared incompatibilities; whoever
        declared one sees it too. The pair themselves are never shown the row."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(
            models.Q(organisation_id__in=user.memberships.coordinated_organisation_ids())
            | models.Q(declared_by=user)
        )


class DeclaredConflict(models.Model):
    """A pair that must never be matched, declared by the coordination or by the mentor or the
    mentee (a reporting line, a personal conflict). Same employer and earlier mentorships are
    detected without a row."""

    class Reason(models.TextChoices):
        REPORTING_LINE = "reporting_line", _("Lien hiérarchique")
        DECLARED_CONFLICT = "declared_conflict", _("Conflit d'intérêts déclaré")

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(MentorProfile, on_delete=models.CASCADE, related_name="conflicts")
    reason = models.CharField(_("motif"), max_length=20, choices=Reason.choices)
    note = models.CharField(_("précision"), max_length=300, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DeclaredConflictQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["mentee", "mentor"], name="mentoring_one_conflict")
        ]
        verbose_name = _("incompatibilité déclarée")

    def __str__(self) -> str:
        return f"{self.mentee} × {self.mentor} ({self.get_reason_display()})"
