"""Vocabularies shared by mentor profiles, mentee needs and the matching adapter. Their values
are the engine's (`matchcore.mentoring.model`), so the adapter passes them through as is."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HelpKind(models.TextChoices):
    """What a mentee wants help with, what a mentor can help with."""

    JOB_DISCOVERY = "job_discovery", _("Découvrir le métier et tester la faisabilité du projet")
    NETWORK = "network", _("Ouvrir son réseau, faire des mises en relation")
    CONFIDENCE = "confidence", _("Prendre du recul, reprendre confiance")
    CAREER_CHANGE = "career_change", _("Traverser une reconversion")
    ENTREPRENEURSHIP = "entrepreneurship", _("Créer ou reprendre une entreprise")
    TRAINING = "training", _("Choisir une formation")
    CV = "cv", _("CV et candidatures")
    INTERVIEWS = "interviews", _("Préparer des entretiens de recrutement")


class MeetingPreference(models.TextChoices):
    REMOTE = "remote", _("À distance")
    IN_PERSON = "in_person", _("En présentiel")
    EITHER = "either", _("À distance ou en présentiel")


class Language(models.TextChoices):
    FR = "fr", _("Français")
    EN = "en", _("Anglais")
    ES = "es", _("Espagnol")
    DE = "de", _("Allemand")
    IT = "it", _("Italien")
    PT = "pt", _("Portugais")
    AR = "ar", _("Arabe")
    ZH = "zh", _("Chinois")


class DaySlot(models.IntegerChoices):
    """A third of a day; with the seven weekdays they make the 21 bits of an availability."""

    MORNING = 0, _("matin")
    AFTERNOON = 1, _("après-midi")
    EVENING = 2, _("soir")


WEEKDAYS = (
    _("lundi"),
    _("mardi"),
    _("mercredi"),
    _("jeudi"),
    _("vendredi"),
    _("samedi"),
    _("dimanche"),
)
AVAILABILITY_BITS = 21


def availability_bit(weekday: int, slot: int) -> int:
    """The bit of (weekday 0 = Monday, slot) in an availability bitset."""
    return 1 << (weekday * len(DaySlot) + slot)


def availability_labels(bits: int) -> list[str]:
    """The slots of a bitset as "lundi matin", … in week order."""
    return [
        f"{WEEKDAYS[day]} {slot.label}"
        for day in range(7)
        for slot in DaySlot
        if bits & availability_bit(day, slot.value)
    ]


def availability_overlap(first: int, second: int) -> list[str]:
    return availability_labels(first & second)
