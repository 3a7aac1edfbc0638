"""A participant's preferences for a peer group: when they are free, where they stand, what
they aim at, how they want to meet. The self-declared attribute is private: the engine uses it
so that nobody who asked is the only one with it in their group; no page shows it to others."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tisser.peers.models.choices import PeerMode, ProjectType, Rhythm, Stage


class PeerProfileQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A person sees their own preferences; the coordination of the organisation sees them
        to form groups (the self-declared attribute is never shown, even to it)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(
            models.Q(user=user)
            | models.Q(organisation_id__in=user.memberships.coordinated_organisation_ids())
        )


class PeerProfile(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="peer_profiles"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="peer_profiles"
    )
    seeking = models.BooleanField(_("je souhaite rejoindre un groupe de pairs"), default=True)
    availability = models.PositiveIntegerField(_("disponibilités"), default=0)
    stage = models.CharField(_("où j'en suis"), max_length=20, choices=Stage.choices)
    project_type = models.CharField(_("mon projet"), max_length=20, choices=ProjectType.choices)
    sectors = models.ManyToManyField(
        "referentiel.SecteurActivite",
        related_name="+",
        blank=True,
        verbose_name=_("secteurs visés"),
    )
    rhythm = models.CharField(_("rythme de mes engagements"), max_length=10, choices=Rhythm.choices)
    mode = models.CharField(
        _("modalité"), max_length=10, choices=PeerMode.choices, default=PeerMode.VIDEO
    )
    departement = models.CharField(_("département (présentiel)"), max_length=3, blank=True)
    languages = models.JSONField(_("langues"), default=list)
    attribute = models.CharField(
        _("une caractéristique que je souhaite déclarer (facultatif)"),
        max_length=100,
        blank=True,
        help_text=_(
            "Par exemple : parent solo, en situation de handicap, plus de 50 ans. Jamais "
            "montrée aux autres membres."
        ),
    )
    avoid_isolation = models.BooleanField(
        _("je préfère ne pas être la seule personne dans ce cas dans mon groupe"), default=False
    )
    cohort = models.CharField(
        _("promotion ou programme"),
        max_length=100,
        blank=True,
        help_text=_("Renseigné par la coordination."),
    )
    introduction = models.TextField(
        _("ma courte présentation au groupe"),
        blank=True,
        max_length=600,
        help_text=_("Ce que les membres de votre groupe verront de vous, avec votre prénom."),
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PeerProfileQuerySet.as_manager()

    class Meta:
        ordering = ["user__last_name", "user__first_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="peers_one_profile")
        ]
        # Who seeks a group in an organisation, by person (formations, arrivals; issue #16).
        indexes = [
            models.Index(
                fields=["organisation", "seeking", "user"], name="peers_profile_org_seeking"
            )
        ]
        verbose_name = _("préférences pour un groupe de pairs")
        verbose_name_plural = _("préférences pour un groupe de pairs")

    def __str__(self) -> str:
        return self.user.get_full_name()
