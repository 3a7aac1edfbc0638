"""The organisme's public offer and results pages (Qualiopi indicators 1 and 2, issue #18,
docs/adr/0038-public-offer-and-results-pages.md).

One row per organisation: what the offer page says (the items indicator 1 lists: objectives,
duration, prerequisites, access delay, prices, methods and evaluation, accessibility, contacts)
and whether each page is published, and since when. The organisme's identity (name, address,
NDA, Qualiopi certificate, référent handicap, logo) is not copied here: the pages read it from
`Organisation`, so that it is typed once. The results page holds no figure: it is computed
from live data (`tisser.quality.public_results`)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tisser.accounts.models import Organisation

# Code du travail R6313-4: a bilan de compétences lasts 24 hours at most (the cap Tisser
# already enforces on the entretiens, tisser.bilans.services.hours.MAX_HOURS).
MAX_DURATION_HOURS = 24


class PublicOfferQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The offers of the organisations `user` coordinates."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(organisation_id__in=user.memberships.coordinated_organisation_ids())


class PublicOffer(models.Model):
    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="public_offer"
    )
    objectives = models.TextField(_("objectifs"))
    duration_hours = models.PositiveSmallIntegerField(
        _("durée maximale (heures)"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DURATION_HOURS)],
    )
    duration_details = models.TextField(_("durée : rythme et déroulement"), blank=True)
    prerequisites = models.TextField(_("prérequis"), blank=True)
    access_delay = models.TextField(_("modalités et délai d'accès"))
    price_amount = models.DecimalField(
        _("tarif d'un bilan (euros TTC)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    price_details = models.TextField(_("tarifs : précisions"), blank=True)
    funding_cpf = models.BooleanField(_("financement possible par le CPF"), default=True)
    funding_employer = models.BooleanField(_("financement possible par l'employeur"), default=True)
    funding_opco = models.BooleanField(_("financement possible par un OPCO"), default=True)
    funding_france_travail = models.BooleanField(
        _("financement possible par France Travail"), default=True
    )
    methods = models.TextField(_("méthodes mobilisées"))
    evaluation = models.TextField(_("modalités d'évaluation"))
    accessibility = models.TextField(_("accessibilité aux personnes handicapées"))
    contacts = models.TextField(_("contacts"))
    offer_published = models.BooleanField(_("page de l'offre publiée"), default=False)
    offer_published_at = models.DateTimeField(_("offre publiée le"), null=True, blank=True)
    results_published = models.BooleanField(_("page des résultats publiée"), default=False)
    results_published_at = models.DateTimeField(_("résultats publiés le"), null=True, blank=True)
    # The last change of what the offer page says ("Mis à jour le …"); publishing is not one.
    content_updated_at = models.DateTimeField(_("offre mise à jour le"))
    version = models.PositiveIntegerField(default=1)

    objects = PublicOfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("offre publique")
        verbose_name_plural = _("offres publiques")

    def __str__(self) -> str:
        return f"{self.organisation}: offre publique"

    @property
    def fundings(self) -> list[str]:
        """The fundings the organisme accepts, as the offer page lists them."""
        names = (
            (self.funding_cpf, _("votre compte personnel de formation (CPF)")),
            (self.funding_employer, _("votre employeur (plan de développement des compétences)")),
            (self.funding_opco, _("un opérateur de compétences (OPCO)")),
            (
                self.funding_france_travail,
                _("France Travail, pour les personnes en recherche d'emploi"),
            ),
        )
        return [str(name) for accepted, name in names if accepted]
