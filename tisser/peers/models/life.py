"""Group life: the charter, commitments and their check-ins, help given and received."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tisser.peers.models.choices import HelpKind
from tisser.peers.models.groups import PeerGroup

DEFAULT_MEETINGS_PER_MONTH = 2
MAX_COMMITMENTS_PER_PERIOD = 3


class Charter(models.Model):
    """Agreed by every member at the first meeting; `version` guards concurrent edits and a
    change after an agreement asks everyone to agree again."""

    group = models.OneToOneField(PeerGroup, on_delete=models.CASCADE, related_name="charter")
    shared_goals = models.TextField(_("nos objectifs communs"))
    meetings_per_month = models.PositiveSmallIntegerField(
        _("réunions par mois"), default=DEFAULT_MEETINGS_PER_MONTH
    )
    confidentiality = models.TextField(_("confidentialité"))
    reciprocity = models.TextField(_("la règle de réciprocité"))
    rotating_facilitator = models.BooleanField(_("animation tournante"), default=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("charte du groupe")

    def __str__(self) -> str:
        return f"{self.group}"


class CharterAgreement(models.Model):
    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="agreements")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField()
    agreed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["charter", "user"], name="peers_one_agreement")
        ]
        verbose_name = _("accord sur la charte")

    def __str__(self) -> str:
        return f"{self.user} — {self.charter}"


class Commitment(models.Model):
    """What a member commits to do during one period (a week or a month, per the group's
    rhythm), then checks in: done, partly done or not done, with a comment."""

    class Outcome(models.TextChoices):
        DONE = "done", _("Fait")
        PARTIAL = "partial", _("En partie")
        NOT_DONE = "not_done", _("Pas fait")

    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="commitments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="peer_commitments"
    )
    period_start = models.DateField(_("début de la période"))
    period_end = models.DateField(_("fin de la période"))
    text = models.CharField(_("je m'engage à"), max_length=300)
    outcome = models.CharField(_("bilan"), max_length=10, choices=Outcome.choices, blank=True)
    comment = models.TextField(_("commentaire"), blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_start", "user_id", "id"]
        indexes = [models.Index(fields=["group", "period_start"])]
        verbose_name = _("engagement")

    def __str__(self) -> str:
        return self.text


class Contribution(models.Model):
    """Help one member gave another, recorded by either of them. Each member sees their own
    balance (given / received); the group sees nothing of it; the coordination neither."""

    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="contributions")
    giver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("type d'aide"), max_length=20, choices=HelpKind.choices)
    description = models.CharField(_("en quelques mots"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(giver=models.F("receiver")), name="peers_no_self_help"
            )
        ]
        verbose_name = _("entraide")

    def __str__(self) -> str:
        return f"{self.giver} → {self.receiver} ({self.get_kind_display()})"
