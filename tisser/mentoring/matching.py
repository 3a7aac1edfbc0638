"""Adapter between the mentoring models and the engine (`matchcore.mentoring`): profiles in,
frozen engine inputs out; engine results back as rows the pages can show.

Reads only. The engine gets ids (`User.id` for mentees, `MentorProfile.id` for mentors) and
never a name; explanations are stored as plain dicts (`explanation_rows`).

Suggestions read the organisation's pool through :func:`get_pool_index`: the index of its
available mentors at full capacity, kept per process and rebuilt when :func:`pool_version`
changes; the places left (`pool_room`) are counted on each call, since every mentorship
started or ended changes them. Any process can rebuild the index from the database: nothing
assumes a single one. A round (`round_compute`) builds its pool fresh."""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

import numpy as np
from django.conf import settings
from django.db.models import Count, Max, Q, Sum
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
from matchcore.recommend import Profile
from tisser.bilans.models import PortfolioItem
from tisser.bilans.recommendation_profile import HELD_MIN_LEVEL
from tisser.core.enums import Role
from tisser.mentoring.models import (
    DeclaredConflict,
    MeetingPreference,
    MenteeProfile,
    MentorProfile,
    Mentorship,
)
from tisser.referentiel import recommendations as reco
from tisser.referentiel.models import Mobilite

if TYPE_CHECKING:
    # Typing only (django-stubs): the annotation below is never evaluated at run time.
    from django_stubs_ext import WithAnnotations


class ActiveCount(TypedDict):
    """What `mentor_pool` annotates on each profile: its mentorships now active."""

    active_count: int


FACTOR_LABELS = {
    Factor.FICHE: _("Métier proche de votre projet"),
    Factor.SKILLS: _("Compétences qu'il ou elle peut transmettre"),
    Factor.HELP: _("Aide que vous recherchez"),
    Factor.AVAILABILITY: _("Disponibilités communes"),
    Factor.MODE_PLACE: _("Modalité et lieu de rencontre"),
    Factor.LANGUAGE: _("Langue"),
}

# The same factors seen by the coordination (rounds): said of the mentee, not to them.
COORDINATION_FACTOR_LABELS = {
    Factor.FICHE: _("Métier proche de son projet"),
    Factor.SKILLS: _("Compétences que le ou la mentor peut transmettre"),
    Factor.HELP: _("Aide recherchée"),
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
    held = PortfolioItem.objects.filter(
        bilan_id=profile.bilan_id, level__gte=HELD_MIN_LEVEL
    ).values_list("code_ogr", flat=True)
    return _gap_from_held(frozenset(held), target)


def _gap_from_held(held: frozenset[int], target: str, index=None) -> frozenset[int]:
    """The cœur de métier compétences of `target` missing from `held` (a bilan's portfolio
    items held, as `beneficiary_profile` reads them): the gap reads nothing else. `index`:
    the référentiel's, when the caller has it already."""
    if not target:
        return frozenset()
    try:
        index = index if index is not None else reco.get_recommendation_index()
        gap = index.gap(Profile(riasec={}, held_items=held), target)
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
        linked.update(
            Mobilite.objects.filter(metier__code_rome=target).values_list(
                "cible__code_rome", flat=True
            )
        )
    return _needs(profile, target, linked, _skill_gap(profile, target))


def mentees_needs(profiles: list[MenteeProfile]) -> list[MenteeNeeds]:
    """`mentee_needs` of many mentees in three queries whatever their number (target fiches,
    the mobilities of the first targets, the portfolios' held items), for a round."""
    targets: dict[int, list[str]] = defaultdict(list)
    for profile_id, code in (
        MenteeProfile.target_fiches.through.objects.filter(
            menteeprofile_id__in=[profile.pk for profile in profiles]
        )
        .order_by("menteeprofile_id", "metier__code_rome")
        .values_list("menteeprofile_id", "metier__code_rome")
    ):
        targets[profile_id].append(code)
    firsts = {codes[0] for codes in targets.values()}
    mobility: dict[str, set[str]] = defaultdict(set)
    for source, code in Mobilite.objects.filter(metier__code_rome__in=firsts).values_list(
        "metier__code_rome", "cible__code_rome"
    ):
        mobility[source].add(code)
    held: dict[int, set[int]] = defaultdict(set)
    for bilan_id, code in PortfolioItem.objects.filter(
        bilan_id__in=[profile.bilan_id for profile in profiles if profile.bilan_id],
        level__gte=HELD_MIN_LEVEL,
    ).values_list("bilan_id", "code_ogr"):
        held[bilan_id].add(code)
    index = reco.get_recommendation_index() if held else None
    found = []
    for profile in profiles:
        codes = targets.get(profile.pk, [])
        target = codes[0] if codes else ""
        linked = set(codes[1:]) | (mobility.get(target, set()) if target else set())
        gap = (
            _gap_from_held(frozenset(held.get(profile.bilan_id, ())), target, index)
            if profile.bilan_id is not None
            else frozenset()
        )
        found.append(_needs(profile, target, linked, gap))
    return found


def _needs(profile: MenteeProfile, target: str, linked: set[str], gap) -> MenteeNeeds:
    return MenteeNeeds(
        id=profile.user_id,
        target_fiche=target,
        languages=_languages(profile.languages),
        mobility_fiches=frozenset(linked),
        skill_gap=gap,
        help_wanted=frozenset(profile.help_wanted),
        availability=profile.availability,
        mode=MODE[profile.mode],
        place=profile.departement,
        employer=_employer(profile.employer),
    )


def mentor_pool(organisation) -> list[WithAnnotations[MentorProfile, ActiveCount]]:
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


# --- The cached pool of suggestions ---------------------------------------------------------

PoolVersion = tuple
_pool_lock = threading.Lock()
_pools: dict[int, tuple[PoolVersion, MentorIndex]] = {}


def pool_version(organisation_id: int) -> PoolVersion:
    """A cheap fingerprint (one aggregate query) of everything the cached index reads.

    Over the available profiles (validated, unpaused, held by an active user with an active
    mentor membership of the organisation): their count and the sum of their ids change when
    one enters or leaves the pool (a validation, a pause, a membership or an account
    deactivated); the sum of their versions and their latest `updated_at` change with every
    service write of a profile (edit, submit, review, pause all bump `version` and save, in
    the same transaction as the fiches and compétences they set). The sum of versions also
    catches a write committed after a later one, which a maximum alone would miss.

    The membership is joined rather than tested with `available()`'s EXISTS (one membership
    per person and organisation, so the rows are the same): 15 ms instead of 19 ms over
    20,000 mentors on SQLite."""
    found = (
        MentorProfile.objects.filter(
            organisation_id=organisation_id,
            status=MentorProfile.Status.VALIDATED,
            paused_at__isnull=True,
            user__is_active=True,
            user__memberships__organisation_id=organisation_id,
            user__memberships__role=Role.MENTOR,
            user__memberships__is_active=True,
        )
        .order_by()
        .aggregate(
            count=Count("id"),
            ids=Sum("id"),
            versions=Sum("version"),
            updated=Max("updated_at"),
        )
    )
    updated = found["updated"]
    return (
        found["count"],
        found["ids"] or 0,
        found["versions"] or 0,
        updated.isoformat() if updated else "",
    )


def _pool_offers(organisation_id: int, active: dict[int, int] | None = None) -> list[MentorOffer]:
    """The available profiles as engine offers at full capacity, read as plain values (four
    queries, no model instances: the cold build of a large pool is mostly this); with
    `active` (active mentorships by profile id), at the places left instead."""
    active = active or {}
    available = MentorProfile.objects.available().filter(organisation_id=organisation_id)
    rows = available.order_by("id").values_list(
        "id",
        "capacity",
        "languages",
        "help_offered",
        "availability",
        "mode",
        "departement",
        "employer",
    )
    ids = available.values("id")
    fiches: dict[int, set[str]] = defaultdict(set)
    for relation in (MentorProfile.current_fiches, MentorProfile.past_fiches):
        for profile_id, code in relation.through.objects.filter(
            mentorprofile_id__in=ids
        ).values_list("mentorprofile_id", "metier__code_rome"):
            fiches[profile_id].add(code)
    skills: dict[int, set[int]] = defaultdict(set)
    for profile_id, code in MentorProfile.skills.through.objects.filter(
        mentorprofile_id__in=ids
    ).values_list("mentorprofile_id", "competence__code_ogr"):
        skills[profile_id].add(code)
    offers = []
    for profile_id, capacity, languages, help_offered, availability, mode, place, employer in rows:
        offers.append(
            MentorOffer(
                id=profile_id,
                fiches=tuple(sorted(fiches.get(profile_id, ()))),
                languages=_languages(languages),
                capacity=max(0, capacity - active.get(profile_id, 0)),
                transmissible_skills=frozenset(skills.get(profile_id, ())),
                help_offered=frozenset(help_offered),
                availability=availability,
                mode=MODE[mode],
                place=place,
                employer=_employer(employer),
            )
        )
    return offers


def get_pool_index(organisation) -> MentorIndex:
    """The organisation's available mentors as an engine index at full capacity, built on
    first use and kept per process while `pool_version` stays the same.

    The version is read before the build, so an index is never filed under a newer version
    than the rows it was built from (at worst the next call rebuilds once more). Building is
    serialised by a lock so that concurrent first requests build it once; reading an
    up-to-date index takes no lock (the index is immutable, so threads share it safely)."""
    organisation_id = organisation.pk
    version = pool_version(organisation_id)
    cached = _pools.get(organisation_id)
    if cached is not None and cached[0] == version:
        return cached[1]
    with _pool_lock:
        cached = _pools.get(organisation_id)
        if cached is not None and cached[0] == version:
            return cached[1]
        index = MentorIndex.build(_pool_offers(organisation_id))
        _pools[organisation_id] = (version, index)
        return index


def clear_pool_cache() -> None:
    """Forget every cached pool (tests, or after writing profiles outside the services)."""
    with _pool_lock:
        _pools.clear()


def pool_room(organisation, index: MentorIndex) -> np.ndarray:
    """Places left of each mentor of `index`, aligned on it: capacity minus active
    mentorships (one aggregate query; a mentorship belongs to its mentor's organisation)."""
    active = np.array(
        Mentorship.objects.filter(organisation_id=organisation.pk, status=Mentorship.Status.ACTIVE)
        .order_by()
        .values_list("mentor_id")
        .annotate(count=Count("id")),
        dtype=np.int64,
    ).reshape(-1, 2)
    positions = np.array([index.position.get(m, -1) for m in active[:, 0].tolist()], np.int64)
    held = positions >= 0
    room = index.capacity.copy()
    np.subtract.at(room, positions[held], active[held, 1])
    return room


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


def explanation_labels(rows: list[dict], *, coordination: bool = False) -> list[dict]:
    """Stored explanation rows with their French label and a percentage, for templates: the
    labels address the mentee, or speak of them on the coordination's pages."""
    labels = COORDINATION_FACTOR_LABELS if coordination else FACTOR_LABELS
    return [
        {
            **row,
            "label": labels.get(row["factor"], row["factor"]),
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
    with. Other mentees appear nowhere.

    The pool comes from the per-process cache (`get_pool_index`), the places left are
    counted now; the suggested profiles are read fresh (their user, fiches and
    `active_count` with them)."""
    organisation = profile.organisation
    index = get_pool_index(organisation)
    if not len(index):
        return []
    found = suggest_mentors(
        mentee_needs(profile),
        index,
        weights(),
        k=k,
        exclusions=exclusions(organisation, [profile.user_id]),
        room=pool_room(organisation, index),
    )
    if not found:
        return []
    profiles = (
        MentorProfile.objects.order_by()
        .select_related("user")
        .annotate(
            active_count=Count(
                "mentorships", filter=Q(mentorships__status=Mentorship.Status.ACTIVE)
            )
        )
        .prefetch_related("current_fiches", "past_fiches")
        .in_bulk([item.mentor_id for item in found])
    )
    return [
        MentorSuggestion(
            mentor=profiles[item.mentor_id],
            score=item.score,
            explanation=explanation_rows(item.top_factors),
        )
        for item in found
        if item.mentor_id in profiles  # deleted since the version was read
    ]


def round_pool(organisation) -> MentorIndex:
    """The organisation's available mentors as an engine index whose capacities are the
    places left, built fresh from plain values (`_pool_offers` and one aggregate query of
    the active mentorships: five queries, no model instance)."""
    active = dict(
        Mentorship.objects.filter(organisation_id=organisation.pk, status=Mentorship.Status.ACTIVE)
        .order_by()
        .values_list("mentor_id")
        .annotate(count=Count("id"))
    )
    return MentorIndex.build(_pool_offers(organisation.pk, active))


def round_compute(organisation, mentees: list[MenteeProfile]) -> RoundResult:
    """One matching round of `mentees` over the organisation's pool (places left only):
    the optimum over every pair whenever the round fits the engine's exact bound (every
    organisme-sized round; ADR 0026), pruned beyond it and saying so in the result. Reads
    only: the caller runs it outside any write transaction."""
    index = round_pool(organisation)
    needs = mentees_needs(mentees)
    return assign_mentors(
        needs,
        index,
        weights(),
        exclusions=exclusions(organisation, [profile.user_id for profile in mentees]),
        workers=1,
    )
