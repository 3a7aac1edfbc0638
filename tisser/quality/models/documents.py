"""The organisme's own documents for Qualiopi (issue #18): what Tisser cannot produce from the
work itself — the veilles (indicators 23 to 25), the règlement intérieur, the livret d'accueil,
the general terms, subcontracting contracts (27), the disability partners (26), the complaints
procedure (31)… Each is dated, has an owner who keeps it up to date and may have a review date;
the indicator map shows them under the indicators they evidence and the auditor's export puts
them in those indicators' folders. Written only by `tisser.quality.services.documents`."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tisser.quality.indicators import applicable


class DocumentKind(models.TextChoices):
    LEGAL_WATCH = "legal_watch", _("Veille légale et réglementaire")
    JOBS_WATCH = "jobs_watch", _("Veille sur les métiers, les emplois et les compétences")
    TEACHING_WATCH = "teaching_watch", _("Veille pédagogique et technologique")
    HOUSE_RULES = "house_rules", _("Règlement intérieur")
    WELCOME_BOOKLET = "welcome_booklet", _("Livret d'accueil")
    TERMS = "terms", _("Conditions générales de vente")
    SUBCONTRACTING = "subcontracting", _("Contrat de sous-traitance")
    DISABILITY_PARTNERS = "disability_partners", _("Partenariats handicap")
    COMPLAINTS_PROCEDURE = "complaints_procedure", _("Procédure de traitement des réclamations")
    OTHER = "other", _("Autre document")


# The indicators each kind evidences by default (the form proposes them; the coordinator may
# change them). The référentiel's wording is in `tisser.quality.indicators`; ADR 0033.
KIND_INDICATORS: dict[str, tuple[int, ...]] = {
    DocumentKind.LEGAL_WATCH: (23,),
    DocumentKind.JOBS_WATCH: (24,),
    DocumentKind.TEACHING_WATCH: (25,),
    DocumentKind.HOUSE_RULES: (9,),
    DocumentKind.WELCOME_BOOKLET: (9,),
    DocumentKind.TERMS: (1, 9),
    DocumentKind.SUBCONTRACTING: (27,),
    DocumentKind.DISABILITY_PARTNERS: (26,),
    DocumentKind.COMPLAINTS_PROCEDURE: (31,),
    DocumentKind.OTHER: (),
}


def kinds_expected(indicator: int) -> list[DocumentKind]:
    """The kinds of document the organisme is expected to supply for `indicator`."""
    return [DocumentKind(kind) for kind, numbers in KIND_INDICATORS.items() if indicator in numbers]


def indicators_check(numbers) -> list[int]:
    """`numbers` as a sorted list without repeats, each an indicator that applies to bilans;
    ValidationError otherwise."""
    allowed = {indicator.number for indicator in applicable()}
    if not isinstance(numbers, list | tuple) or any(
        isinstance(number, bool) or not isinstance(number, int) for number in numbers
    ):
        raise ValidationError(_("Choisissez des indicateurs dans la liste."), code="indicators")
    wrong = sorted(set(numbers) - allowed)
    if wrong:
        raise ValidationError(
            ngettext(
                "L'indicateur %(numbers)s ne s'applique pas aux bilans de compétences.",
                "Les indicateurs %(numbers)s ne s'appliquent pas aux bilans de compétences.",
                len(wrong),
            )
            % {"numbers": ", ".join(str(number) for number in wrong)},
            code="indicators",
        )
    if not numbers:
        raise ValidationError(
            _("Choisissez au moins un indicateur que ce document justifie."), code="indicators"
        )
    return sorted(set(numbers))


class OrganismeDocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The coordinators of the organisation see its documents; nobody else does."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(organisation_id__in=user.memberships.coordinated_organisation_ids())


class OrganismeDocument(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="quality_documents"
    )
    kind = models.CharField(_("type de document"), max_length=30, choices=DocumentKind.choices)
    # The numbers of the indicators it evidences, sorted, each one that applies to bilans.
    indicators = models.JSONField(_("indicateurs justifiés"), default=list)
    title = models.CharField(_("titre"), max_length=200)
    document_date = models.DateField(_("date du document"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        # A person erased on leaving (ADR 0019) leaves the document without an owner: the
        # map says so, and the coordinator names another.
        on_delete=models.SET_NULL,
        null=True,
        related_name="quality_documents_owned",
        verbose_name=_("responsable de sa mise à jour"),
    )
    review_due_on = models.DateField(_("à revoir avant le"), null=True, blank=True)
    content = models.BinaryField(_("fichier"))
    content_type = models.CharField(max_length=100)
    filename = models.CharField(_("nom du fichier"), max_length=200)
    size = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("déposé le"), default=timezone.now)
    updated_at = models.DateTimeField(_("modifié le"), default=timezone.now)

    objects = OrganismeDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "-document_date", "id"]
        indexes = [models.Index(fields=["organisation", "kind"], name="quality_doc_org_kind_idx")]
        verbose_name = _("document de l'organisme")
        verbose_name_plural = _("documents de l'organisme")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        self.indicators = indicators_check(self.indicators)

    def review_state(self, today) -> str:
        """ "late" when the review date has passed, "due" within 30 days, "" otherwise."""
        if self.review_due_on is None:
            return ""
        if self.review_due_on < today:
            return "late"
        if (self.review_due_on - today).days <= 30:
            return "due"
        return ""
