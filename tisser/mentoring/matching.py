"""Adapter between the mentoring models and the engine (`matchcore.mentoring`): profiles in,
frozen engine inputs out; engine results back as rows the pages can show.

Reads only. The engine gets ids (`User.id` for mentees, `MentorProfile.id` for mentors) and
never a name; explanations are stored as plain dicts (`explanation_rows`)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from matchcore.mentoring.assignment import assign_mentors
from matchcore.mentoring.candidates import MentorIndex
from matchcore.mentoring.model import (
    Contribution,
    Exclusion,
    ExclusionReason,
    Factor,
    MenteeNeeds,
    MentorOffer,
    Mode,
    RoundResult,
    Weights,
)
from matchcore.mentoring.suggest import suggest_mentors
from tisser.mentoring.models import (
    DeclaredConflict,
    MeetingPreference,
    MenteeProfile,
    MentorProfile,
    Mentorship,
)

FACTOR_LABELS = {
    Factor.FICHE: _("Métier proche de votre projet"),
    Factor.SKILLS: _("Compétences qu'il ou elle peut transmettre"),
    Factor.HELP: _("Aide que vous recherchez"),
    Factor.AVAILABILITY: _("Disponibilités communes"),
    Factor.MODE_PLACE: _("Modalité et lieu de rencontre"),
    Factor.LANGUAGE: _("Langue"),
}

MODE = {
    MeetingPreference.REMOTE: Mode.REMOTE,
    MeetingPreference.IN_PERSON: Mode.IN_PERSON,
    MeetingPreference.EITHER: Mode.EITHER,
}
DEFAULT_LANGUAGES = ("fr",)


def weights() -> Weights:
    """The organisme's weights (setting TISSER_MENTORING_WEIGHTS, a dict of factor → weight),
    the engine's defaults otherwise."""
    return Weights(**getattr(settings, "TISSER_MENTORING_WEIGHTS", {}))


def _employer(value: str) -> str | None:
    value = " ".join(value.split()).casefold()
    return value or None


def _languages(values) -> tuple[str, ...]:
    return tuple(values) or DEFAULT_LANGUAGES


def _skill_gap(profile: MenteeProfile, target: str) -> frozenset[int]:
    """The cœur de métier compétences the mentee lacks for their target, from their bilan."""
    if profile.bilan_id is None or not target:
        return frozenset()
    from tisser.referentiel import recommendations as reco

    try:
        index = reco.get_recommendation_index()
        gap = index.gap(reco.beneficiary_profile(profile.bilan), target)
    except (reco.UnknownFiche, KeyError, LookupError):
        return frozenset()
    return frozenset(gap.missing_core)


def mentee_needs(profile: MenteeProfile) -> MenteeNeeds:
    """The engine's view of a mentee: first target fiche (the others count as linked, with
    the ROME mobilities of the first), compétences gap from the bilan, wishes and logistics."""
    targets = [metier.code_rome for metier in profile.target_fiches.order_by("code_rome")]
    target = targets[0] if targets else ""
    linked = set(targets[1:])
    if target:
        from tisser.referentiel.models import Mobilite

        linked.update(
            Mobilite.objects.filter(metier__code_rome=target).values_list(
                "cible__code_rome", flat=True
            )
        )
    return MenteeNeeds(
        id=profile.user_id,
        target_fiche=target,
        languages=_languages(profile.languages),
        mobility_fiches=frozenset(linked),
        skill_gap=_skill_gap(profile, target),
        help_wanted=frozenset(profile.help_wanted),
        availability=profile.availability,
        mode=MODE[profile.mode],
        place=profile.departement,
        employer=_employer(profile.employer),
    )


def mentor_pool(organisation) -> list[MentorProfile]:
    """The validated, unpaused profiles of the organisation's active mentors, with the number
    of places left (`room`) annotated."""
    return list(
        MentorProfile.objects.available()
        .filter(organisation=organisation)
        .annotate(
            active_count=Count(
                "mentorships", filter=Q(mentorships__status=Mentorship.Status.ACTIVE)
            )
        )
        .prefetch_related("current_fiches", "past_fiches", "skills")
        .order_by("id")
    )


def mentor_offer(profile: MentorProfile, room: int) -> MentorOffer:
    fiches = sorted(
        {m.code_rome for m in profile.current_fiches.all()}
        | {m.code_rome for m in profile.past_fiches.all()}
    )
    return MentorOffer(
        id=profile.id,
        fiches=tuple(fiches),
        languages=_languages(profile.languages),
        capacity=max(0, room),
        transmissible_skills=frozenset(skill.code_ogr for skill in profile.skills.all()),
        help_offered=frozenset(profile.help_offered),
        availability=profile.availability,
        mode=MODE[profile.mode],
        place=profile.departement,
        employer=_employer(profile.employer),
    )


def pool_index(organisation) -> tuple[MentorIndex, dict[int, MentorProfile]]:
    """The organisation's pool as an engine index whose capacities are the places left."""
    profiles = mentor_pool(organisation)
    offers = [mentor_offer(p, p.capacity - p.active_count) for p in profiles]
    return MentorIndex.build(offers), {p.id: p for p in profiles}


def exclusions(organisation, mentee_ids=None) -> list[Exclusion]:
    """Declared conflicts, and every pair that already had a mentorship (active or ended):
    an ended one is not proposed again, an active one is already there."""
    conflicts = DeclaredConflict.objects.filter(organisation=organisation)
    earlier = Mentorship.objects.filter(organisation=organisation)
    if mentee_ids is not None:
        conflicts = conflicts.filter(mentee_id__in=mentee_ids)
        earlier = earlier.filter(mentee_id__in=mentee_ids)
    reasons = {
        DeclaredConflict.Reason.REPORTING_LINE: ExclusionReason.REPORTING_LINE,
        DeclaredConflict.Reason.DECLARED_CONFLICT: ExclusionReason.DECLARED_CONFLICT,
    }
    found = [
        Exclusion(mentee, mentor, reasons[reason])
        for mentee, mentor, reason in conflicts.values_list("mentee_id", "mentor_id", "reason")
    ]
    found += [
        Exclusion(mentee, mentor, ExclusionReason.PREVIOUS_MENTORSHIP)
        for mentee, mentor in earlier.values_list("mentee_id", "mentor_id").distinct()
    ]
    return found


def explanation_rows(factors: tuple[Contribution, ...]) -> list[dict]:
    """Top factors as JSON-ready rows: factor code, value and share of the score, in [0, 1]."""
    return [
        {
            "factor": item.factor.value,
            "value": round(item.value, 4),
            "share": round(item.contribution, 4),
        }
        for item in factors
    ]


def explanation_labels(rows: list[dict]) -> list[dict]:
    """Stored explanation rows with their French label and a percentage, for templates."""
    return [
        {
            **row,
            "label": FACTOR_LABELS.get(row["factor"], row["factor"]),
            "percent": round(100 * row["value"]),
        }
        for row in rows
    ]


@dataclass(frozen=True)
class MentorSuggestion:
    mentor: MentorProfile
    score: float
    explanation: list[dict]


def suggestions_for(profile: MenteeProfile, k: int = 5) -> list[MentorSuggestion]:
    """The `k` most compatible mentors with a place left for this mentee, explained. Only
    validated, unpaused profiles; never a mentor they are excluded from or already paired
    with. Other mentees appear nowhere."""
    index, profiles = pool_index(profile.organisation)
    if not len(index):
        return []
    found = suggest_mentors(
        mentee_needs(profile),
        index,
        weights(),
        k=k,
        exclusions=exclusions(profile.organisation, [profile.user_id]),
    )
    return [
        MentorSuggestion(
            mentor=profiles[item.mentor_id],
            score=item.score,
            explanation=explanation_rows(item.top_factors),
        )
        for item in found
    ]


def round_compute(organisation, mentees: list[MenteeProfile]) -> RoundResult:
    """One matching round of `mentees` over the organisation's pool (places left only)."""
    index, _profiles = pool_index(organisation)
    needs = [mentee_needs(profile) for profile in mentees]
    return assign_mentors(
        needs,
        index,
        weights(),
        exclusions=exclusions(organisation, [profile.user_id for profile in mentees]),
        workers=1,
    )
