"""A need for adaptation on a bilan, and the adaptations made for it (Qualiopi indicator 26,
docs/adr/0037-disability-adaptations.md).

What is written is what the person needs, in her words — never a diagnosis, the nature of a
handicap or an RQTH: the need is recorded by the person herself, or by her consultant once she
agreed it be written down (the date of that agreement is kept). The consultant then records
the adaptations made, with their dates. Only the person and her consultant read any of it;
the coordination sees counts, under the small-numbers rule. The person withdraws it at any
time (the need and its adaptations are deleted), and it goes with the bilan's working
documents the day after the end (R6313-7, `tisser.bilans.working_documents`)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tisser.bilans.models.core import party_of_bilan


class AdaptationKind(models.TextChoices):
    SHORTER_SESSIONS = "shorter_sessions", _("Entretiens plus courts ou fractionnés")
    REMOTE = "remote", _("Entretiens à distance")
    LARGE_PRINT = "large_print", _("Documents en gros caractères ou dans un format accessible")
    ACCESSIBLE_ROOM = "accessible_room", _("Salle accessible")
    MORE_TIME = "more_time", _("Plus de temps pour les exercices et les questionnaires")
    ACCOMPANYING_PERSON = "accompanying_person", _("Présence d'une personne accompagnante")
    OTHER = "other", _("Autre aménagement")


class RecordedBy(models.TextChoices):
    BENEFICIARY = "beneficiary", _("la personne elle-même")
    CONSULTANT = "consultant", _("son ou sa consultant·e, avec son accord")


class AdaptationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The bilan's beneficiary and the consultant who runs it; nobody else, the
        coordination included (it sees counts only)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(party_of_bilan(user, "bilan__"))


class BilanAdaptation(models.Model):
    """The need for adaptation of one bilan (at most one), in the person's words. Written and
    withdrawn only through `tisser.bilans.services.adaptation`."""

    bilan = models.OneToOneField(
        "bilans.Bilan", on_delete=models.CASCADE, related_name="adaptation"
    )
    need = models.TextField(_("ce dont la personne a besoin, dans ses mots"))
    recorded_by = models.CharField(_("noté par"), max_length=12, choices=RecordedBy.choices)
    # When the consultant writes it: the day the person agreed it be written down.
    consent_on = models.DateField(_("accord de la personne pour le noter, le"), null=True)
    created_at = models.DateTimeField(_("noté le"))
    updated_at = models.DateTimeField(_("modifié le"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    objects = AdaptationQuerySet.as_manager()

    class Meta:
        verbose_name = _("besoin d'aménagement")
        verbose_name_plural = _("besoins d'aménagement")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(recorded_by="consultant") | models.Q(consent_on__isnull=False),
                name="bilans_adaptation_consultant_needs_consent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.bilan} — {self.get_recorded_by_display()}"


class AdaptationMeasure(models.Model):
    """One adaptation made for the need: its kind, what was done (free text, optional but for
    "other"), from when. Written by the bilan's consultant."""

    adaptation = models.ForeignKey(
        BilanAdaptation, on_delete=models.CASCADE, related_name="measures"
    )
    kind = models.CharField(_("aménagement"), max_length=24, choices=AdaptationKind.choices)
    detail = models.TextField(_("précisions"), blank=True)
    started_on = models.DateField(_("mis en place le"))
    created_at = models.DateTimeField(_("noté le"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("aménagement mis en place")
        verbose_name_plural = _("aménagements mis en place")
        ordering = ("started_on", "pk")

    def __str__(self) -> str:
        return self.get_kind_display()
