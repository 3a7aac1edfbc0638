"""What a mentor may read of a mentee's needs: the explicit wishes always, the bilan-derived
fields only when the mentee ticked their `share_*` box."""

from __future__ import annotations

from dataclasses import dataclass, field

from tisser.bilans.models import Project
from tisser.mentoring.matching import _skill_gap
from tisser.mentoring.models import (
    HelpKind,
    Language,
    MeetingPreference,
    MenteeProfile,
    availability_labels,
)
from tisser.referentiel.models import Competence


@dataclass(frozen=True)
class SharedNeeds:
    first_name: str
    help_wanted: list[str]
    wishes: str
    availability: list[str]
    mode: str
    departement: str
    languages: list[str]
    project: str | None = None
    targets: list[str] | None = None
    gap: list[str] | None = None
    withheld: list[str] = field(default_factory=list)


def _preferred_project(profile: MenteeProfile):
    if profile.bilan_id is None:
        return None
    return Project.objects.filter(bilan_id=profile.bilan_id, preferred=True).first()


def _gap_labels(profile: MenteeProfile) -> list[str]:
    target = profile.target_fiches.order_by("code_rome").first()
    if target is None:
        return []
    codes = _skill_gap(profile, target.code_rome)
    return list(
        Competence.objects.filter(code_ogr__in=codes)
        .order_by("libelle")
        .values_list("libelle", flat=True)
    )


def shared_needs(profile: MenteeProfile) -> SharedNeeds:
    """The needs as a mentor sees them. `withheld` names (in French) what the mentee kept to
    themself, so the page can say so instead of pretending there is nothing."""
    withheld = []
    project = targets = gap = None
    if profile.share_project:
        preferred = _preferred_project(profile)
        project = preferred.title if preferred else ""
    else:
        withheld.append(str(MenteeProfile._meta.get_field("share_project").verbose_name))
    if profile.share_targets:
        targets = [str(m) for m in profile.target_fiches.order_by("code_rome")]
    else:
        withheld.append(str(MenteeProfile._meta.get_field("share_targets").verbose_name))
    if profile.share_gap:
        gap = _gap_labels(profile)
    else:
        withheld.append(str(MenteeProfile._meta.get_field("share_gap").verbose_name))
    return SharedNeeds(
        first_name=profile.user.first_name,
        help_wanted=[str(HelpKind(kind).label) for kind in profile.help_wanted],
        wishes=profile.wishes,
        availability=availability_labels(profile.availability),
        mode=str(MeetingPreference(profile.mode).label),
        departement=profile.departement,
        languages=[str(Language(code).label) for code in profile.languages if code in Language],
        project=project,
        targets=targets,
        gap=gap,
        withheld=withheld,
    )
