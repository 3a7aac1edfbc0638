import base64
import hashlib
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tisser.core.enums import Role


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)

    def coordinators_of(self, organisation_id: int):
        """The active people who coordinate the organisation now, by id: whom alerts about
        its groups, mentorships and meetings go to."""
        return self.filter(
            models.Exists(
                Membership.objects.coordinating().filter(
                    user=models.OuterRef("pk"), organisation_id=organisation_id
                )
            ),
            is_active=True,
        ).order_by("pk")


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an email address."""

    email = models.EmailField(_("adresse e-mail"), unique=True)
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("langue de l'interface"), max_length=8, choices=settings.LANGUAGES, default="fr"
    )
    is_active = models.BooleanField(_("actif"), default=True)
    is_staff = models.BooleanField(_("accès à l'administration"), default=False)
    date_joined = models.DateTimeField(_("inscrit le"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("utilisateur")
        ordering = ["last_name", "first_name", "email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email


class Organisation(models.Model):
    """The organisme prestataire de bilans de compétences."""

    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Its identity, printed on every document it issues (convention, contract, attestation,
    # synthèse, émargement sheet): the declaration-of-activity number (NDA) must appear on
    # conventions and contracts (Code du travail L6351-1 and following). Edited by a
    # coordinator; empty until then.
    legal_name = models.CharField(_("raison sociale"), max_length=200, blank=True)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    nda = models.CharField(_("numéro de déclaration d'activité"), max_length=11, blank=True)
    address = models.TextField(_("adresse"), blank=True)
    qualiopi_number = models.CharField(
        _("numéro du certificat Qualiopi"), max_length=100, blank=True
    )
    qualiopi_issuer = models.CharField(_("organisme certificateur"), max_length=200, blank=True)
    qualiopi_expires_on = models.DateField(
        _("fin de validité du certificat"), null=True, blank=True
    )
    qualiopi_bilan_category = models.BooleanField(
        _("catégorie « actions permettant de faire un bilan de compétences »"), default=False
    )
    disability_referent_name = models.CharField(
        _("référent handicap (nom)"), max_length=200, blank=True
    )
    disability_referent_email = models.EmailField(_("référent handicap (e-mail)"), blank=True)
    dpo_name = models.CharField(
        _("délégué à la protection des données (nom)"), max_length=200, blank=True
    )
    dpo_email = models.EmailField(_("délégué à la protection des données (e-mail)"), blank=True)
    # A small image (PNG or JPEG, checked by `tisser.accounts.identity.logo_check`) kept in
    # the database: it needs no media storage, works the same on SQLite and PostgreSQL,
    # and goes into the PDFs as a data: URI (ADR 0018).
    logo = models.BinaryField(_("logo"), blank=True, default=b"", editable=False)
    logo_content_type = models.CharField(_("type du logo"), max_length=20, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisme")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name its documents carry: the legal name once entered, else its name."""
        return self.legal_name or self.name

    @property
    def logo_data_uri(self) -> str:
        """The logo as a data: URI for the PDFs (WeasyPrint reads it without any network),
        "" when there is none."""
        if not self.logo or not self.logo_content_type:
            return ""
        encoded = base64.b64encode(bytes(self.logo)).decode("ascii")
        return f"data:{self.logo_content_type};base64,{encoded}"


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    # The two role relations every access rule is made of. Write them only here: a copy
    # that forgets `is_active` lets a former coordinator back in.

    def coordinating(self):
        """The memberships that make their person a coordinator of their organisation now:
        role coordinator and still active. "Coordinator of" means exactly this, everywhere:
        `user.memberships.coordinated_organisation_ids()` in `visible_to` methods,
        `is_coordinator_of` in services (through `tisser.accounts.access`) and
        `User.objects.coordinators_of` for whom to alert."""
        return self.active().filter(role=Role.COORDINATOR)

    def coordinated_organisation_ids(self):
        """The ids of the organisations these memberships coordinate, as a subquery; on
        `user.memberships`, the organisations `user` coordinates."""
        return self.coordinating().values("organisation_id")

    def is_coordinator_of(self, user, organisation) -> bool:
        """True when `user` is signed in and an active coordinator of `organisation` (an
        Organisation or its id). A coordinator of another organisation, an inactive
        membership or any other role of the same organisation: False."""
        if not getattr(user, "is_authenticated", False):
            return False
        organisation_id = getattr(organisation, "pk", organisation)
        return self.coordinating().filter(user=user, organisation_id=organisation_id).exists()

    def beneficiaries_of(self, consultant):
        """The active beneficiary memberships whose consultant of record is `consultant`:
        the people `consultant` is "their consultant" for (ADR 0003, ADR 0021), one row per
        organisation. The inviting consultant at first; a coordinator may assign another.
        Nobody else's consultant: a colleague of the same organisation sees none of them."""
        return self.active().filter(role=Role.BENEFICIARY, consultant=consultant)

    def visible_to(self, user):
        """A person sees their own memberships; a coordinator sees every membership of their
        organisation; a consultant also sees the beneficiaries they are the consultant of
        record of (ADR 0021)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        coordinated = user.memberships.coordinated_organisation_ids()
        return self.filter(
            models.Q(user=user)
            | models.Q(organisation_id__in=coordinated)
            | models.Q(role=Role.BENEFICIARY, consultant=user)
        )


class Membership(models.Model):
    """A person's role in one organisation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)
    invited_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A beneficiary's consultant of record (ADR 0021): who may open their bilan and follows
    # them. The inviting consultant at first; a coordinator may assign another, and handing
    # their open bilan over moves it too. Empty for the other roles.
    consultant = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="beneficiaries_followed",
        verbose_name=_("consultant·e référent·e"),
    )
    # Grows with every change of the consultant of record (ADR 0007).
    version = models.PositiveIntegerField(default=1)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="one_role_per_organisation"
            )
        ]
        indexes = [
            # An organisation's members by role: the coordinator's home (counts, the team),
            # the lists of consultants, mentors and beneficiaries (issue #16).
            models.Index(
                fields=["organisation", "role", "is_active"], name="membership_org_role_active_idx"
            ),
        ]
        verbose_name = _("appartenance")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.organisation})"


def invitation_token_hash(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


def invitation_default_expiry():
    return timezone.now() + timedelta(days=settings.TISSER_INVITATION_DAYS)


class InvitationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A coordinator sees the invitations of their organisation; a consultant sees the
        invitations they sent; nobody else sees any."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        coordinated = user.memberships.coordinated_organisation_ids()
        return self.filter(models.Q(organisation_id__in=coordinated) | models.Q(invited_by=user))

    def pending(self):
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """A single-use, expiring link that lets a person join an organisation with a role.

    Only the SHA-256 of the token is stored: the link itself exists in the email alone."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        ACCEPTED = "accepted", _("Acceptée")
        REVOKED = "revoked", _("Annulée")
        EXPIRED = "expired", _("Expirée")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("adresse e-mail"))
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations_sent")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=invitation_default_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation")

    def __str__(self) -> str:
        return f"{self.email} ({self.get_role_display()})"

    @property
    def status(self) -> "Invitation.Status":
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.revoked_at:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    def get_status_display(self) -> str:
        return self.status.label
