"""The beneficiary's projects (reconversion, formation, création ou reprise d'entreprise,
évolution interne): target fiches, motivation, a feasibility checklist and an action plan of
dated steps. At most one project per bilan is the preferred one."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tisser.bilans.models.core import Bilan
from tisser.bilans.models.investigation import BilanPartQuerySet


class ProjectKind(models.TextChoices):
    RECONVERSION = "reconversion", _("Reconversion")
    TRAINING = "training", _("Formation")
    BUSINESS = "business", _("Création ou reprise d'entreprise")
    INTERNAL = "internal", _("Évolution interne")


class Project(models.Model):
    """A project of the beneficiary. `preferred` changes only through
    `project_set_preferred`; the database also refuses two preferred projects per bilan."""

    bilan = models.ForeignKey(Bilan, on_delete=models.CASCADE, related_name="projects")
    kind = models.CharField(_("type de projet"), max_length=20, choices=ProjectKind.choices)
    title = models.CharField(_("intitulé"), max_length=200)
    targets = models.ManyToManyField(
        "referentiel.Metier", related_name="+", blank=True, verbose_name=_("métiers visés")
    )
    motivation = models.TextField(_("ce qui me motive"), blank=True)
    preferred = models.BooleanField(_("projet privilégié"), default=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = BilanPartQuerySet.as_manager()

    class Meta:
        ordering = ["-preferred", "created_at", "id"]
        verbose_name = _("projet")
        verbose_name_plural = _("projets")
        constraints = [
            models.UniqueConstraint(
                fields=["bilan"],
                condition=models.Q(preferred=True),
                name="bilans_one_preferred_project",
            )
        ]

    def __str__(self) -> str:
        return self.title


class CheckItem(models.TextChoices):
    """The feasibility checklist of every project, in this order."""

    INTERVIEWS = "interviews", _("Enquêtes-métiers réalisées")
    GAP = "gap", _("Écart de compétences analysé")
    TRAINING = "training", _("Parcours de formation identifié")
    FINANCING = "financing", _("Financement identifié")
    TIMELINE = "timeline", _("Calendrier établi")
    CONSTRAINTS = "constraints", _("Contraintes personnelles prises en compte")


class CheckStatus(models.TextChoices):
    TODO = "todo", _("À faire")
    IN_PROGRESS = "in_progress", _("En cours")
    DONE = "done", _("Fait")


class ProjectCheck(models.Model):
    """One item of a project's feasibility checklist, with its status and a note."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="checks")
    item = models.CharField(_("point"), max_length=20, choices=CheckItem.choices)
    status = models.CharField(
        _("état"), max_length=12, choices=CheckStatus.choices, default=CheckStatus.TODO
    )
    note = models.TextField(_("note"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        ordering = ["project", "id"]
        verbose_name = _("point de faisabilité")
        verbose_name_plural = _("points de faisabilité")
        constraints = [
            models.UniqueConstraint(fields=["project", "item"], name="bilans_project_check_once")
        ]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.item}"


class StepStatus(models.TextChoices):
    TODO = "todo", _("À faire")
    IN_PROGRESS = "in_progress", _("En cours")
    DONE = "done", _("Fait")
    ABANDONED = "abandoned", _("Abandonné")


class ProjectStep(models.Model):
    """A dated step of a project's action plan; `done_at` is set when it is done."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="steps")
    title = models.CharField(_("étape"), max_length=200)
    due_on = models.DateField(_("échéance"))
    status = models.CharField(
        _("état"), max_length=12, choices=StepStatus.choices, default=StepStatus.TODO
    )
    done_at = models.DateTimeField(_("faite le"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("étape du projet")
        verbose_name_plural = _("étapes du projet")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in (StepStatus.TODO, StepStatus.IN_PROGRESS)

    def is_overdue(self, today) -> bool:
        return self.is_open and self.due_on < today
