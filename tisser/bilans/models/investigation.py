"""The investigation tools of a bilan, edited by the beneficiary and read by their consultant:
the parcours (experiences), the réussites (achievements) with the ROME compétences they
suggest, the portfolio of compétences and savoirs, and needs and aspirations.

ROME items are kept by OGR code with the label they had when chosen: a later référentiel
version may rename or retire an item without rewriting what the person wrote."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tisser.bilans.models.core import Bilan, party_of_bilan


class BilanPartQuerySet(models.QuerySet):
    def visible_to(self, user):
        """What belongs to a bilan is seen by the people the bilan is visible to as
        beneficiary or consultant — never by a coordinator: these are working documents."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(party_of_bilan(user, "bilan__"))


class Experience(models.Model):
    """One step of the parcours: a job, volunteering, a training or a personal experience."""

    class Kind(models.TextChoices):
        JOB = "job", _("Emploi")
        VOLUNTEERING = "volunteering", _("Bénévolat")
        TRAINING = "training", _("Formation")
        PERSONAL = "personal", _("Expérience personnelle")

    bilan = models.ForeignKey(Bilan, on_delete=models.CASCADE, related_name="experiences")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("intitulé"), max_length=200)
    organisation_name = models.CharField(_("structure"), max_length=200, blank=True)
    started_on = models.DateField(_("début"))
    ended_on = models.DateField(_("fin"), null=True, blank=True)
    description = models.TextField(_("ce que j'y faisais"), blank=True)
    # Fiches métier this experience corresponds to: they feed the mobility signal of the
    # recommendations (a current job's fiche is one the person comes from).
    fiches = models.ManyToManyField(
        "referentiel.Metier", related_name="+", blank=True, verbose_name=_("fiches métier")
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BilanPartQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = _("expérience")
        verbose_name_plural = _("expériences")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="bilans_experience_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class Achievement(models.Model):
    """A réussite told as situation, action, result."""

    bilan = models.ForeignKey(Bilan, on_delete=models.CASCADE, related_name="achievements")
    experience = models.ForeignKey(
        Experience,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="achievements",
        verbose_name=_("expérience"),
    )
    title = models.CharField(_("titre"), max_length=200)
    situation = models.TextField(_("la situation"))
    action = models.TextField(_("ce que j'ai fait"))
    result = models.TextField(_("le résultat"))
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BilanPartQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("réussite")
        verbose_name_plural = _("réussites")

    def __str__(self) -> str:
        return self.title


class ItemKind(models.TextChoices):
    COMPETENCE = "competence", _("Compétence")
    SAVOIR = "savoir", _("Savoir")


class CompetenceSuggestion(models.Model):
    """A ROME compétence (or savoir) the text of an achievement suggests, with why (the
    words of the text, the fiche it came through: ADR 0040); the beneficiary decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("À examiner")
        ACCEPTED = "accepted", _("Acceptée")
        REJECTED = "rejected", _("Écartée")

    achievement = models.ForeignKey(
        Achievement, on_delete=models.CASCADE, related_name="suggestions"
    )
    kind = models.CharField(
        _("nature"), max_length=12, choices=ItemKind.choices, default=ItemKind.COMPETENCE
    )
    code_ogr = models.PositiveIntegerField(_("code OGR"))
    label = models.CharField(_("libellé"), max_length=500)
    score = models.FloatField(_("pertinence"))
    rank = models.PositiveSmallIntegerField(_("rang"), default=1)
    words = models.CharField(_("mots qui l'ont suggérée"), max_length=300, blank=True)
    fiche = models.CharField(_("fiche qui l'a suggérée"), max_length=255, blank=True)
    status = models.CharField(
        _("décision"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)

    class Meta:
        ordering = ["rank", "-score", "code_ogr"]
        verbose_name = _("compétence suggérée")
        verbose_name_plural = _("compétences suggérées")
        constraints = [
            models.UniqueConstraint(
                fields=["achievement", "code_ogr"], name="bilans_one_suggestion_per_item"
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def words_list(self) -> list[str]:
        """The words of the réussite that led to it, as shown (« toilette », « repas »)."""
        return [word for word in self.words.split(", ") if word]


class PortfolioItem(models.Model):
    """A compétence or savoir of the ROME in the beneficiary's portfolio."""

    class Preference(models.TextChoices):
        WANTED = "wanted", _("J'aime l'utiliser")
        NEUTRAL = "neutral", _("Ni l'un ni l'autre")
        ENDURED = "endured", _("Je l'utilise parce qu'il le faut")

    bilan = models.ForeignKey(Bilan, on_delete=models.CASCADE, related_name="portfolio")
    kind = models.CharField(_("nature"), max_length=12, choices=ItemKind.choices)
    code_ogr = models.PositiveIntegerField(_("code OGR"))
    label = models.CharField(_("libellé"), max_length=500)
    level = models.PositiveSmallIntegerField(
        _("niveau"),
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text=_("1 : notions · 2 : pratique encadrée · 3 : autonome · 4 : je peux transmettre"),
    )
    preference = models.CharField(
        _("envie"), max_length=10, choices=Preference.choices, default=Preference.NEUTRAL
    )
    evidence = models.TextField(_("preuves, exemples"), blank=True)
    achievements = models.ManyToManyField(
        Achievement, related_name="portfolio_items", blank=True, verbose_name=_("réussites")
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BilanPartQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "label", "id"]
        verbose_name = _("élément du portefeuille")
        verbose_name_plural = _("portefeuille de compétences")
        constraints = [
            models.UniqueConstraint(
                fields=["bilan", "kind", "code_ogr"], name="bilans_portfolio_item_once"
            )
        ]

    def __str__(self) -> str:
        return self.label


class Aspirations(models.Model):
    """Needs and aspirations, in the beneficiary's words, under a few headings."""

    bilan = models.OneToOneField(Bilan, on_delete=models.CASCADE, related_name="aspirations")
    mobility = models.TextField(_("mobilité géographique"), blank=True)
    income = models.TextField(_("revenus"), blank=True)
    time = models.TextField(_("temps de travail et rythme"), blank=True)
    # Minimisation (L6313-4: what is asked must have a direct and necessary link with the
    # bilan; RGPD art. 5-1-c and 9): the constraints the project must respect, never a
    # diagnosis. It was "santé et contraintes personnelles" (field `health`) until issue #14.
    constraints = models.TextField(_("contraintes à prendre en compte"), blank=True)
    work_setting = models.TextField(
        _("cadre de travail souhaité (collectif, télétravail…)"), blank=True
    )
    other = models.TextField(_("autres besoins et aspirations"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BilanPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("besoins et aspirations")
        verbose_name_plural = _("besoins et aspirations")

    def __str__(self) -> str:
        return f"{self.bilan}"


class SuggestionDecision(models.Model):
    """One decision on a suggestion, kept for the organisation's figures (acceptance rate per
    rank, ADR 0040) and nothing else: no text, no label, no link to the réussite or the bilan;
    ``contributor`` is a keyed hash that only tells decisions of one bilan apart from another's,
    so that the small-numbers rule can count people. It outlives the bilan's working documents
    (R6313-7 destroys the réussites, not these counts)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="suggestion_decisions"
    )
    contributor = models.CharField(_("contributeur (empreinte)"), max_length=64)
    rank = models.PositiveSmallIntegerField(_("rang"))
    kind = models.CharField(_("nature"), max_length=12, choices=ItemKind.choices)
    accepted = models.BooleanField(_("acceptée"))
    engine = models.PositiveSmallIntegerField(_("version du moteur"))
    decided_on = models.DateField(_("décidée le"))

    class Meta:
        verbose_name = _("décision sur une suggestion")
        verbose_name_plural = _("décisions sur les suggestions")
        indexes = [models.Index(fields=["organisation", "decided_on"])]

    def __str__(self) -> str:
        return f"{self.organisation_id} #{self.rank} {self.accepted}"
