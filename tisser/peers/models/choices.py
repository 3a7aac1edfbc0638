"""Vocabularies of peer groups; values match the engine's (`matchcore.peers`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """Where a person stands in their move, in order."""

    EXPLORING = "exploring", _("J'explore des pistes")
    PROJECT_DEFINED = "project_defined", _("Mon projet est défini")
    IN_TRAINING = "in_training", _("Je suis en formation")
    LAUNCHING = "launching", _("Je me lance")


class ProjectType(models.TextChoices):
    RECONVERSION = "reconversion", _("Reconversion")
    TRAINING = "training", _("Formation")
    CREATION = "creation", _("Création ou reprise d'entreprise")
    INTERNAL = "internal", _("Évolution interne")


class Rhythm(models.TextChoices):
    """How often members commit to act and check in."""

    WEEKLY = "weekly", _("Chaque semaine")
    MONTHLY = "monthly", _("Chaque mois")


class PeerMode(models.TextChoices):
    VIDEO = "video", _("En visio")
    IN_PERSON = "in_person", _("En présentiel")
    EITHER = "either", _("En visio ou en présentiel")


class HelpKind(models.TextChoices):
    """What one member gives another (reciprocity)."""

    FEEDBACK = "feedback", _("Un retour, un conseil")
    INTRODUCTION = "introduction", _("Une mise en relation")
    RESOURCE = "resource", _("Une ressource (offre, article, outil…)")
    TIME = "time", _("Du temps (relecture, entraînement, écoute…)")
