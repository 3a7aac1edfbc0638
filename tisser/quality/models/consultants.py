"""A consultant's professional record (Qualiopi indicators 21 and 22, issue #18): what they
bring (diplomas and certifications, experience in guidance and bilans), the methods and tools
they are trained or accredited in, and the continuing training they follow. One record per
consultant membership: the same person consulting for two organismes keeps two records, each
seen by its own coordinators (docs/adr/0036-consultants-qualifications-and-training.md).

Professional data only: nothing here names or describes a beneficiary. Proofs (a diploma's
scan, a training certificate) are kept in the row (`tisser.quality.files`)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tisser.accounts.models import Membership
from tisser.core.enums import Role


def _visible(queryset: models.QuerySet, user, path: str) -> models.QuerySet:
    """The rows whose consultant membership (`path`) is `user`'s own, or belongs to an
    organisation `user` coordinates."""
    if not user.is_authenticated:
        return queryset.none()
    coordinated = user.memberships.coordinated_organisation_ids()
    prefix = f"{path}__" if path else ""
    return queryset.filter(**{f"{prefix}role": Role.CONSULTANT}).filter(
        Q(**{f"{prefix}user": user}) | Q(**{f"{prefix}organisation_id__in": coordinated})
    )


class ConsultantItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A consultant sees the items of their own record; a coordinator those of every
        consultant of their organisation; nobody else any."""
        return _visible(self, user, "membership")


class ConsultantRecord(models.Model):
    """What the consultant says of their experience. Their diplomas, methods and trainings
    are rows of their own, tied to the same membership (a record may not exist yet)."""

    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="consultant_record"
    )
    years_in_guidance = models.PositiveSmallIntegerField(
        _("années d'expérience en accompagnement et en bilan"), null=True, blank=True
    )
    previous_roles = models.TextField(_("postes occupés auparavant"), blank=True, max_length=2000)
    summary = models.TextField(_("expérience en quelques lignes"), blank=True, max_length=2000)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ConsultantItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("dossier de consultant·e")

    def __str__(self) -> str:
        return f"{self.membership.user} ({self.membership.organisation})"


class WithProof(models.Model):
    """An item that may carry one proof (PDF, PNG or JPEG checked by `upload_check`)."""

    proof = models.BinaryField(_("justificatif"), blank=True, default=b"", editable=False)
    proof_content_type = models.CharField(max_length=30, blank=True)
    proof_name = models.CharField(_("nom du justificatif"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ConsultantItemQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def has_proof(self) -> bool:
        return bool(self.proof_content_type)


class ConsultantQualification(WithProof):
    """A diploma or a certification (indicator 21)."""

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="consultant_qualifications"
    )
    title = models.CharField(_("intitulé"), max_length=200)
    awarding_body = models.CharField(_("délivré par"), max_length=200)
    year = models.PositiveSmallIntegerField(_("année d'obtention"))

    class Meta:
        ordering = ["-year", "id"]
        verbose_name = _("diplôme ou certification")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.year is not None and not 1950 <= self.year <= date.today().year:
            raise ValidationError(
                {"year": _("Indiquez l'année d'obtention, entre 1950 et cette année.")}
            )


class ConsultantMethod(WithProof):
    """A method or a tool the consultant is trained or accredited in (a RIASEC inventory, the
    MBTI, Process Com, the ROME…), with the date of accreditation and, when it must be
    renewed, the day it ends (indicator 21)."""

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="consultant_methods"
    )
    name = models.CharField(_("méthode ou outil"), max_length=200)
    accredited_on = models.DateField(_("formé·e ou habilité·e le"))
    expires_on = models.DateField(_("habilitation valable jusqu'au"), null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("méthode ou outil")
        indexes = [
            models.Index(fields=["membership", "expires_on"], name="consultant_method_exp_idx")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.expires_on and self.accredited_on and self.expires_on <= self.accredited_on:
            raise ValidationError(
                {"expires_on": _("La fin de validité vient après la date d'habilitation.")}
            )


class ConsultantTraining(WithProof):
    """A continuing training the consultant followed (indicator 22; a training that gave a
    competence the bilans need is also evidence for indicator 21)."""

    class Indicator(models.IntegerChoices):
        DEVELOPMENT = 22, _("Indicateur 22 : développement des compétences")
        COMPETENCE = 21, _("Indicateur 21 : compétences mobilisées dans les bilans")

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="consultant_trainings"
    )
    title = models.CharField(_("intitulé"), max_length=200)
    provider = models.CharField(_("organisme de formation"), max_length=200)
    started_on = models.DateField(_("début"))
    ended_on = models.DateField(_("fin"))
    hours = models.DecimalField(_("durée en heures"), max_digits=5, decimal_places=1)
    indicator = models.PositiveSmallIntegerField(
        _("indicateur"), choices=Indicator.choices, default=Indicator.DEVELOPMENT
    )

    class Meta:
        ordering = ["-ended_on", "id"]
        verbose_name = _("formation continue")
        indexes = [
            models.Index(fields=["membership", "ended_on"], name="consultant_training_end_idx")
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            errors["ended_on"] = _("La formation finit le jour où elle commence ou après.")
        if self.hours is not None and self.hours <= 0:
            errors["hours"] = _("Indiquez une durée en heures, par exemple 14.")
        if errors:
            raise ValidationError(errors)
