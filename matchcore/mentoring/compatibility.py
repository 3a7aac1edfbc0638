"""Compatibility of one mentee with one mentor: hard constraints, factor values, score.

This is the readable statement of the rules; :mod:`.candidates` computes the same over a
whole pool with NumPy and the tests hold the two equal.

Factors, each in [0, 1]:

* **fiche** — proximity of the mentee's target fiche to the closest of the mentor's fiches:
  same fiche 1, same domaine professionnel (3 first characters) 0.75, same grand domaine
  (first letter) 0.5, a fiche the référentiel links to the target by a mobility 0.25, else 0.
* **skills** — share of the mentee's skill gap the mentor can pass on (0 without a gap).
* **help** — share of the help wanted that the mentor offers (0 when none is wanted).
* **availability** — share of the mentee's weekly slots the mentor also has (0 without slots).
* **mode_place** — 1 when the pair can meet the way the mentee wants: remote-only mentees with
  a remote-capable mentor, or in person in the same place; 0.5 when they can only meet
  remotely although the mentee would also meet in person.
* **language** — 1 when the mentor speaks the mentee's first language, 0.5 otherwise.

Hard constraints: an :class:`Exclusion` or the same employer; no common language; no common
mode, or in person only in different places. Capacity is the round's business.
"""

from __future__ import annotations

from collections.abc import Collection

from .model import (
    HELP_BIT,
    SCORE_SCALE,
    Contribution,
    Factor,
    Incompatibility,
    MenteeNeeds,
    MentorOffer,
    Mode,
    Weights,
)

SAME_FICHE = 1.0
SAME_DOMAINE = 0.75
SAME_GRAND_DOMAINE = 0.5
MOBILITY_LINK = 0.25
REMOTE_ONLY_FALLBACK = 0.5
OTHER_LANGUAGE = 0.5
TOP_FACTORS = 3


def domaine(code_rome: str) -> str:
    return code_rome[:3]


def grand_domaine(code_rome: str) -> str:
    return code_rome[:1]


def incompatibility(
    mentee: MenteeNeeds,
    mentor: MentorOffer,
    excluded: Collection[tuple[int, int]] = frozenset(),
) -> Incompatibility | None:
    """The first hard constraint the pair breaks, or None when it may be matched."""
    if (mentee.id, mentor.id) in excluded:
        return Incompatibility.EXCLUDED
    if mentee.employer is not None and mentee.employer == mentor.employer:
        return Incompatibility.SAME_EMPLOYER
    if not set(mentee.languages) & set(mentor.languages):
        return Incompatibility.NO_COMMON_LANGUAGE
    common = mentee.mode & mentor.mode
    if not common or (common == Mode.IN_PERSON and mentee.place != mentor.place):
        return Incompatibility.MODE_MISMATCH
    return None


def fiche_proximity(mentee: MenteeNeeds, mentor: MentorOffer) -> float:
    best = 0.0
    for fiche in mentor.fiches:
        if fiche == mentee.target_fiche:
            return SAME_FICHE
        if domaine(fiche) == domaine(mentee.target_fiche):
            best = max(best, SAME_DOMAINE)
        elif grand_domaine(fiche) == grand_domaine(mentee.target_fiche):
            best = max(best, SAME_GRAND_DOMAINE)
        elif fiche in mentee.mobility_fiches:
            best = max(best, MOBILITY_LINK)
    return best


def _share(wanted: int, offered: int) -> float:
    wanted_count = wanted.bit_count()
    return (wanted & offered).bit_count() / wanted_count if wanted_count else 0.0


def _help_mask(kinds) -> int:
    mask = 0
    for kind in kinds:
        mask |= HELP_BIT[kind]
    return mask


def mode_place_fit(mentee: MenteeNeeds, mentor: MentorOffer) -> float:
    common = mentee.mode & mentor.mode
    if mentee.mode == Mode.REMOTE and common:
        return 1.0
    if common & Mode.IN_PERSON and mentee.place == mentor.place:
        return 1.0
    return REMOTE_ONLY_FALLBACK if common & Mode.REMOTE else 0.0


def factor_values(mentee: MenteeNeeds, mentor: MentorOffer) -> dict[Factor, float]:
    gap = len(mentee.skill_gap)
    return {
        Factor.FICHE: fiche_proximity(mentee, mentor),
        Factor.SKILLS: len(mentee.skill_gap & mentor.transmissible_skills) / gap if gap else 0.0,
        Factor.HELP: _share(_help_mask(mentee.help_wanted), _help_mask(mentor.help_offered)),
        Factor.AVAILABILITY: _share(mentee.availability, mentor.availability),
        Factor.MODE_PLACE: mode_place_fit(mentee, mentor),
        Factor.LANGUAGE: 1.0 if mentee.languages[0] in mentor.languages else OTHER_LANGUAGE,
    }


def contributions(
    mentee: MenteeNeeds, mentor: MentorOffer, weights: Weights
) -> tuple[Contribution, ...]:
    """Every factor with its share of the score, largest first (ties in factor order)."""
    values = factor_values(mentee, mentor)
    shares = dict(zip(values, weights.normalised(), strict=True))
    items = [
        Contribution(factor, value, value * shares[factor]) for factor, value in values.items()
    ]
    return tuple(sorted(items, key=lambda item: -item.contribution))


def score(mentee: MenteeNeeds, mentor: MentorOffer, weights: Weights) -> float:
    return sum(item.contribution for item in contributions(mentee, mentor, weights))


def scaled_score(mentee: MenteeNeeds, mentor: MentorOffer, weights: Weights) -> int:
    return round(score(mentee, mentor, weights) * SCORE_SCALE)


def top_factors(
    mentee: MenteeNeeds, mentor: MentorOffer, weights: Weights, limit: int = TOP_FACTORS
) -> tuple[Contribution, ...]:
    """The factors that explain the pair best: the ``limit`` largest non-zero contributions."""
    return tuple(item for item in contributions(mentee, mentor, weights) if item.contribution > 0)[
        :limit
    ]
