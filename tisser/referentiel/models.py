"""The ROME 4.0 référentiel (France Travail open data): global, versioned, written only by
``import_rome``.

Rows are keyed on their ROME codes (``code_rome``, ``code_ogr``) so that an upgrade keeps the
ids of what did not disappear: other apps may point at fiches and appellations safely.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Riasec(models.TextChoices):
    """Holland's RIASEC interest types, as ROME 4.0 tags fiches and macro-compétences."""

    REALISTE = "R", _("Réaliste")
    INVESTIGATEUR = "I", _("Investigateur")
    ARTISTIQUE = "A", _("Artistique")
    SOCIAL = "S", _("Social")
    ENTREPRENANT = "E", _("Entreprenant")
    CONVENTIONNEL = "C", _("Conventionnel")


class TransitionEcologique(models.TextChoices):
    """France Travail's classification of a job with respect to the ecological transition."""

    BLANC = "blanc", _("Emploi blanc")
    VERT = "vert", _("Emploi vert")
    BRUN = "brun", _("Emploi brun")
    STRATEGIQUE = "strategique", _("Emploi stratégique pour la transition écologique")


class AppellationClassification(models.TextChoices):
    """Whether an appellation is the fiche's main name or one of its synonyms."""

    PRINCIPALE = "principale", _("Appellation principale")
    SYNONYME = "synonyme", _("Synonyme")


class CompetenceNature(models.TextChoices):
    """The two levels of the compétences file: a compétence sits under a macro-compétence."""

    COMPETENCE = "competence", _("Compétence")
    MACRO = "macro", _("Macro-compétence")


class CompetenceCategorie(models.TextChoices):
    """The fiche rubrique a compétence belongs to."""

    SAVOIR_FAIRE = "savoir_faire", _("Savoir-faire")
    SAVOIR_ETRE = "savoir_etre", _("Savoir-être professionnels")


class CompetenceSousCategorie(models.TextChoices):
    """France Travail's sub-category of a compétence."""

    TECHNIQUE = "technique", _("Technique")
    TECHNIQUE_EXPERT = "technique_expert", _("Technique expert")
    TRANSVERSE = "transverse", _("Transverse")


class Homogeneite(models.TextChoices):
    """How homogeneous the compétences grouped under a macro-compétence are."""

    TRES_HOMOGENE = "tres_homogene", _("Très homogène")
    HOMOGENE = "homogene", _("Homogène")
    HETEROGENE = "heterogene", _("Hétérogène")


class CoeurMetier(models.TextChoices):
    """How central an item is to a fiche (``unix_coherence_item``); blank for ordinary items."""

    PRINCIPALE = "principale", _("Cœur de métier")
    EMERGENTE = "emergente", _("Émergente")


class ReferentielQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The ROME référentiel is public open data: everyone sees all of it."""
        return self.all()


class RomeVersionQuerySet(ReferentielQuerySet):
    def current(self):
        """The version currently loaded, or None before the first import."""
        return self.filter(is_current=True).first()


class RomeVersion(models.Model):
    """One imported release of the ROME 4.0 open data; exactly one is current."""

    number = models.PositiveIntegerField(_("numéro"), unique=True)
    published_on = models.DateField(_("publiée le"), null=True, blank=True)
    validated_on = models.DateField(_("validée le"), null=True, blank=True)
    title = models.CharField(_("titre"), max_length=255, blank=True)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source importée"), max_length=1000, blank=True)
    # SHA-256 of the files read: re-importing identical data is a no-op.
    checksum = models.CharField(_("empreinte"), max_length=64)
    counts = models.JSONField(_("effectifs"), default=dict, blank=True)
    imported_at = models.DateTimeField(_("importée le"))
    is_current = models.BooleanField(_("version courante"), default=False)

    objects = RomeVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("version du ROME")
        verbose_name_plural = _("versions du ROME")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="referentiel_romeversion_one_current",
            )
        ]

    def __str__(self):
        return f"ROME 4.0 version {self.number}"

    @property
    def attribution(self) -> str:
        return _("Source : France Travail, ROME 4.0 version %(number)d") % {"number": self.number}


class GrandDomaine(models.Model):
    """A top-level family of the ROME tree (letter code, e.g. "A")."""

    code = models.CharField(_("code"), max_length=1, unique=True)
    libelle = models.CharField(_("libellé"), max_length=255)

    objects = ReferentielQuerySet.as_manager()

    class Meta:
        verbose_name = _("grand domaine")
        verbose_name_plural = _("grands domaines")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} – {self.libelle}"


class DomaineProfessionnel(models.Model):
    """A professional domain inside a grand domaine (e.g. "A11")."""

    code = models.CharField(_("code"), max_length=3, unique=True)
    libelle = models.CharField(_("libellé"), max_length=255)
    grand_domaine = models.ForeignKey(
        GrandDomaine, on_delete=models.PROTECT, related_name="domaines"
    )

    objects = ReferentielQuerySet.as_manager()

    class Meta:
        verbose_name = _("domaine professionnel")
        verbose_name_plural = _("domaines professionnels")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} – {self.libelle}"


class Metier(models.Model):
    """A ROME fiche métier (e.g. "A1101"), the unit the whole platform talks about."""

    code_rome = models.CharField(_("code ROME"), max_length=5, unique=True)
    code_ogr = models.PositiveIntegerField(_("code OGR"), db_index=True)
    code_fiche = models.PositiveIntegerField(_("numéro de fiche"), null=True, blank=True)
    libelle = models.CharField(_("libellé"), max_length=255)
    # Paragraphs (the source's "phrases") separated by "\n".
    definition = models.TextField(_("définition"), blank=True)
    acces = models.TextField(_("accès au métier"), blank=True)
    domaine = models.ForeignKey(
        DomaineProfessionnel, on_delete=models.PROTECT, related_name="metiers"
    )
    # The fiche this one was derived from (``code_rome_parent``); None when the source names
    # the fiche itself.
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children"
    )
    transition_eco = models.CharField(
        _("transition écologique"),
        max_length=16,
        choices=TransitionEcologique.choices,
        blank=True,
    )
    # Tags: the source says "O", "N" or nothing (not assessed yet); only "O" is True.
    transition_num = models.BooleanField(_("transition numérique"), default=False)
    transition_demo = models.BooleanField(_("transition démographique"), default=False)
    emploi_cadre = models.BooleanField(_("emploi cadre"), default=False)
    emploi_reglemente = models.BooleanField(_("emploi réglementé"), default=False)
    riasec_majeur = models.CharField(
        _("RIASEC majeur"), max_length=1, choices=Riasec.choices, blank=True
    )
    riasec_mineur = models.CharField(
        _("RIASEC mineur"), max_length=1, choices=Riasec.choices, blank=True
    )
    competences = models.ManyToManyField(
        "Competence", through="MetierCompetence", related_name="metiers"
    )
    savoirs = models.ManyToManyField("Savoir", through="MetierSavoir", related_name="metiers")
    contextes = models.ManyToManyField(
        "ContexteTravail", through="MetierContexte", related_name="metiers"
    )
    centres_interet = models.ManyToManyField(
        "CentreInteret", through="MetierCentreInteret", related_name="metiers"
    )
    themes = models.ManyToManyField("Theme", related_name="metiers", blank=True)
    secteurs_naf = models.ManyToManyField("SecteurNaf", related_name="metiers", blank=True)

    objects = ReferentielQuerySet.as_manager()

    class Meta:
        verbose_name = _("fiche métier")
        verbose_name_plural = _("fiches métier")
        ordering = ["code_rome"]

    def __str__(self):
        return f"{self.code_rome} – {self.libelle}"

    @property
    def definition_paragraphs(self) -> list[str]:
        return [line for line in self.definition.split("\n") if line]

    @property
    def acces_paragraphs(self) -> list[str]:
        return [line for line in self.acces.split("\n") if line]


class Appellation(models.Model):
    """A job title under a fiche (e.g. "Boulanger / Boulangère"), what people search for."""

    code_ogr = models.PositiveIntegerField(_("code OGR"), unique=True)
    metier = models.ForeignKey(Metier, on_delete=models.CASCADE, related_name="appellations")
    libelle = models.CharField(_("libellé"), max_length=255)
    libelle_court = models.CharField(_("libellé court"), max_length=255, blank=True)
    classification = models.CharField(
        _("classification"), max_length=16, choices=AppellationClassification.choices
    )
    transition_eco = models.CharField(
        _("transition écologique"),
        max_length=16,
        choices=TransitionEcologique.choices,
        blank=True,
    )
    transition_num = models.BooleanField(_("transition numérique"), default=False)
    transition_demo = models.BooleanField(_("transition démographique"), default=False)
    emploi_cadre = models.BooleanField(_("emploi cadre"), default=False)
    emploi_reglemente = models.BooleanField(_("emploi réglementé"), default=False)
    peu_usite = models.BooleanField(_("peu usité"), default=False)

    objects = ReferentielQuerySet.as_manager()

    class Meta:
        verbose_name = _("appellation")
        verbose_name_plural = _("appellations")
        ordering = ["libelle"]

    def __str__(self):
        return self.libelle

    @property
    def is_principale(self) -> bool:
        return self.classification == AppellationClassification.PRINCIPALE


class Competence(models.Model):
    """A savoir-faire or savoir-être professionnel; macro-compétences group the compétences."""

    code_ogr = models.PositiveIntegerField(_("code OGR"), unique=True)
    nature = models.CharField(_("nature"), max_length=16, choices=CompetenceNature.choices)
    libelle = models.CharField(_("libellé"), max_length=500)
    definition = models.TextField(_("définition"), blank=True)
    macro = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="competences",
        limit_choices_to={"nature": CompetenceNature.MACRO},
    )
    # Position in the compétences tree, macro-compétences only (e.g. "3B101").
    code_macro = models.CharField(_("code de macro-compétence"), max_length=16, blank=True)
    categorie = models.CharField(_("catégorie"), max_length=16, choices=CompetenceCategorie.choices)
    sous_categorie = models.CharField(
        _("sous-catégorie"), max_length=16, choices=CompetenceSousCategorie.choices, blank=True
    )
    transition_eco = models.BooleanField(_("transition écologique"), default=False)
    transition_num = models.BooleanField(_("transition numérique"), default=False)
    homogeneite = models.CharField(
        _("homogénéité"), max_length=16, choices=Homogeneite.choices, blank=True
    )
    origine = models.CharField(_("origine"), max_length=64, blank=True)
    riasec_majeur = models.CharField(
        _("RIASEC majeur"), max_length=1, choices=Riasec.choices, blank=True
    )
    riasec_mineur = models.CharField(
        _("RIASEC mineur"), max_length=1, choices=Riasec.choices, blank=True
    )

    objects = ReferentielQuerySet.as_manager()

    class Meta:
        verbose_name = _("compétence")
        verbose_name_plural = _("compétences")
        ordering = ["libelle"]

    def __str__(self):
        return self.libelle


class Savoir(models.Model):
    """A body of knowledge (savoir), filed under a category and a sub-category."""

    code_ogr = models.PositiveIntegerField(_("code OGR"), unique=True)
    libelle = models.CharField(_("libellé"), max_length=500)
    categorie = models.CharField(_("catégorie"), max_length=255)
    sous_categorie = models.CharField(_("sous-catégorie"), max_length=255, blank=True)
    transition_eco = models.BooleanField(_("transition écologique"), default=False)
    transition_num = models.BooleanField(_("transition numérique"), default=False)

    objects = ReferentielQuerySet.as_manager()

    class Meta:
        verbose_name = _("savoir")
        verbose_name_plural = _("savoirs")
        ordering = ["libelle"]

    def __str__(self):
        return self.libelle


class ContexteTravail(models.Model):
    """A working condition (hours, places, risks, publics…), filed under its type."""

    code_ogr = models.PositiveIntegerField(_("code OGR"), unique=True)
    libelle = models.CharField(_("libellé"), max_length=500)
    type_code = models.PositiveSmallIntegerField(_("code du type"))
    type_libelle = models.CharField(_("type"), max_length=255)

    objects = ReferentielQuerySet.as_manager()

    class Meta:
        verbose_name = _("contexte de travail")
        verbose_name_plural = _("contextes de travail")
        ordering = ["type_code", "libelle"]

    def __str__(self):
        return self.libelle


class CentreInteret(models.Model):
    """A centre d'intérêt ("J'ai envie de…"), a door into the fiches for beneficiaries."""

    code = models.PositiveIntegerField(_("code"), unique=True)
    libelle = models.CharField(_("libellé"), max_length=255)
    definition = models.TextField(_("définition"), blank=True)

    objects = ReferentielQuerySet.as_manager()

    class Meta:
        verbose_name = _("centre d'intérêt")
        verbose_name_plural = _("centres d'intérêt")
        ordering = ["code"]

    def __str__(self):
        return self.libelle


class SecteurActivite(models.Model):
    """A secteur d'activité, or a sous-secteur when it has a parent."""

    code = models.PositiveIntegerField(_("code"), unique=True)
    libelle = models.CharField(_("libellé"), max_length=255)
    definition = models.TextField(_("définition"), blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="sous_secteurs"
    )

    objects = ReferentielQuerySet.as_manager()

    class Meta:
        verbose_name = _("secteur d'activité")
        verbose_name_plural = _("secteurs d'activité")
        ordering = ["libelle"]

    def __str__(self):
        return self.libelle


class SecteurNaf(models.Model):
    """A NAF (INSEE activity nomenclature) division that employs a fiche."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    code_technique = models.PositiveIntegerField(_("code technique"), null=True, blank=True)
    libelle = models.CharField(_("libellé"), max_length=255)

    objects = ReferentielQuerySet.as_manager()

    class Meta:
        verbose_name = _("secteur NAF")
        verbose_name_plural = _("secteurs NAF")
        ordering = ["code"]

    def __str__(self):
        return self.libelle


class Theme(models.Model):
    """A thematic list of fiches published by France Travail (e.g. environment jobs)."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    libelle = models.CharField(_("libellé"), max_length=255)
    definition = models.TextField(_("définition"), blank=True)

    objects = ReferentielQuerySet.as_manager()

    class Meta:
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")
        ordering = ["code"]

    def __str__(self):
        return self.libelle


class MetierCompetence(models.Model):
    """A compétence listed on a fiche, in its rubrique, possibly marked cœur de métier."""

    metier = models.ForeignKey(Metier, on_delete=models.CASCADE, related_name="competence_links")
    competence = models.ForeignKey(
        Competence, on_delete=models.CASCADE, related_name="metier_links"
    )
    categorie = models.CharField(_("rubrique"), max_length=16, choices=CompetenceCategorie.choices)
    coeur_metier = models.CharField(
        _("cœur de métier"), max_length=16, choices=CoeurMetier.choices, blank=True
    )

    class Meta:
        verbose_name = _("compétence d'une fiche")
        verbose_name_plural = _("compétences des fiches")
        constraints = [
            models.UniqueConstraint(
                fields=["metier", "competence"], name="referentiel_metiercompetence_unique"
            )
        ]

    def __str__(self):
        return f"{self.metier_id} → {self.competence_id}"


class MetierSavoir(models.Model):
    """A savoir listed on a fiche, possibly marked cœur de métier."""

    metier = models.ForeignKey(Metier, on_delete=models.CASCADE, related_name="savoir_links")
    savoir = models.ForeignKey(Savoir, on_delete=models.CASCADE, related_name="metier_links")
    coeur_metier = models.CharField(
        _("cœur de métier"), max_length=16, choices=CoeurMetier.choices, blank=True
    )

    class Meta:
        verbose_name = _("savoir d'une fiche")
        verbose_name_plural = _("savoirs des fiches")
        constraints = [
            models.UniqueConstraint(
                fields=["metier", "savoir"], name="referentiel_metiersavoir_unique"
            )
        ]

    def __str__(self):
        return f"{self.metier_id} → {self.savoir_id}"


class MetierContexte(models.Model):
    """A contexte de travail listed on a fiche."""

    metier = models.ForeignKey(Metier, on_delete=models.CASCADE, related_name="contexte_links")
    contexte = models.ForeignKey(
        ContexteTravail, on_delete=models.CASCADE, related_name="metier_links"
    )

    class Meta:
        verbose_name = _("contexte de travail d'une fiche")
        verbose_name_plural = _("contextes de travail des fiches")
        constraints = [
            models.UniqueConstraint(
                fields=["metier", "contexte"], name="referentiel_metiercontexte_unique"
            )
        ]

    def __str__(self):
        return f"{self.metier_id} → {self.contexte_id}"


class Mobilite(models.Model):
    """A professional mobility from a fiche to a target fiche, in the source's order.

    ROME 4.0 v460 (``unix_rubrique_mobilite``) only carries the target and its rank: it no
    longer says whether a mobility is "proche" or an "évolution", so nothing here pretends to.
    """

    metier = models.ForeignKey(Metier, on_delete=models.CASCADE, related_name="mobilites")
    cible = models.ForeignKey(Metier, on_delete=models.CASCADE, related_name="mobilites_entrantes")
    rang = models.PositiveSmallIntegerField(_("rang"))

    class Meta:
        verbose_name = _("mobilité")
        verbose_name_plural = _("mobilités")
        ordering = ["metier_id", "rang"]
        constraints = [
            models.UniqueConstraint(fields=["metier", "cible"], name="referentiel_mobilite_unique")
        ]

    def __str__(self):
        return f"{self.metier_id} → {self.cible_id} ({self.rang})"


class MetierCentreInteret(models.Model):
    """A fiche under a centre d'intérêt; ``principal`` marks the fiche's main one."""

    metier = models.ForeignKey(
        Metier, on_delete=models.CASCADE, related_name="centre_interet_links"
    )
    centre_interet = models.ForeignKey(
        CentreInteret, on_delete=models.CASCADE, related_name="metier_links"
    )
    principal = models.BooleanField(_("principal"), default=False)

    class Meta:
        verbose_name = _("centre d'intérêt d'une fiche")
        verbose_name_plural = _("centres d'intérêt des fiches")
        constraints = [
            models.UniqueConstraint(
                fields=["metier", "centre_interet"], name="referentiel_metiercentreinteret_unique"
            )
        ]

    def __str__(self):
        return f"{self.metier_id} → {self.centre_interet_id}"


class MetierSecteur(models.Model):
    """A fiche under a secteur d'activité (and maybe one of its sous-secteurs)."""

    metier = models.ForeignKey(Metier, on_delete=models.CASCADE, related_name="secteur_links")
    secteur = models.ForeignKey(
        SecteurActivite, on_delete=models.CASCADE, related_name="metier_links"
    )
    sous_secteur = models.ForeignKey(
        SecteurActivite,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="metier_sous_secteur_links",
    )
    principal = models.BooleanField(_("principal"), default=False)

    class Meta:
        verbose_name = _("secteur d'une fiche")
        verbose_name_plural = _("secteurs des fiches")

    def __str__(self):
        return f"{self.metier_id} → {self.secteur_id}"
