"""Synthetic but realistic mentoring populations, shared by the mentoring benches.

Fiches are drawn from 14 grands domaines × 8 domaines × 6 fiches (ROME-like codes), with a
popularity skew (the most wanted fiche draws ~3% of people); each fiche has 40 OGR skills and 5
mobility targets. Mentees aim at one fiche, lack 5–15 of its skills, want 1–3 kinds of help,
have 3–8 weekly slots, speak French (some also English, a few Arabic or Spanish only),
meet remotely, in person or either, in one of 20 départements; 5% share an employer with
some mentors. Mentors hold 1–3 fiches (mostly in one domaine), can pass on 10–25 skills,
offer 2–5 kinds of help, and take 1–5 mentees. A fixed seed gives the same population.
"""

from __future__ import annotations

import numpy as np

from matchcore.mentoring.model import (
    HELP_ORDER,
    Exclusion,
    ExclusionReason,
    MenteeNeeds,
    MentorOffer,
    Mode,
)

GRANDS = "ABCDEFGHIJKLMN"
PLACES = tuple(f"{n:02d}" for n in range(1, 21))
FICHES = tuple(f"{g}{d}{f:03d}"[:5] for g in GRANDS for d in range(11, 19) for f in range(1, 7))
SKILLS_PER_FICHE = 40
MODES = (Mode.REMOTE, Mode.IN_PERSON, Mode.EITHER)


def _languages(rng: np.random.Generator) -> tuple[str, ...]:
    draw = rng.random()
    if draw < 0.85:
        return ("fr",)
    if draw < 0.95:
        return ("fr", "en")
    return (("ar", "fr"), ("es",), ("en",))[rng.integers(3)]


def _slots(rng: np.random.Generator, low: int, high: int) -> int:
    mask = 0
    for slot in rng.choice(21, size=rng.integers(low, high + 1), replace=False):
        mask |= 1 << int(slot)
    return mask


def population(
    n_mentees: int, n_mentors: int, seed: int = 0
) -> tuple[list[MenteeNeeds], list[MentorOffer], list[Exclusion]]:
    rng = np.random.default_rng(seed)
    # Popularity falls with rank like 1 / rank^0.9: the most wanted fiche draws ~3% of people.
    popularity = 1.0 / (1.0 + rng.permutation(len(FICHES))) ** 0.9
    popularity /= popularity.sum()
    mobility = {
        fiche: frozenset(FICHES[j] for j in rng.choice(len(FICHES), 5, replace=False))
        for fiche in FICHES
    }

    def skills_of(fiche_position: int) -> np.ndarray:
        return np.arange(SKILLS_PER_FICHE) + fiche_position * SKILLS_PER_FICHE

    mentors = []
    for j in range(n_mentors):
        first = int(rng.choice(len(FICHES), p=popularity))
        held = {first}
        for _ in range(rng.integers(0, 3)):
            neighbour = (
                first - first % 6 + int(rng.integers(6))
                if rng.random() < 0.7
                else int(rng.integers(len(FICHES)))
            )
            held.add(neighbour)
        pool = np.concatenate([skills_of(position) for position in sorted(held)])
        mentors.append(
            MentorOffer(
                id=j,
                fiches=tuple(FICHES[position] for position in sorted(held)),
                languages=_languages(rng),
                capacity=int(rng.integers(1, 6)),
                transmissible_skills=frozenset(
                    int(s)
                    for s in rng.choice(pool, min(len(pool), rng.integers(10, 26)), replace=False)
                ),
                help_offered=frozenset(
                    HELP_ORDER[h]
                    for h in rng.choice(len(HELP_ORDER), rng.integers(2, 6), replace=False)
                ),
                availability=_slots(rng, 3, 10),
                mode=MODES[rng.choice(3, p=(0.3, 0.2, 0.5))],
                place=PLACES[rng.integers(len(PLACES))],
                employer=f"E{rng.integers(2000)}" if rng.random() < 0.5 else None,
            )
        )
    mentees = []
    exclusions = []
    for i in range(n_mentees):
        target = int(rng.choice(len(FICHES), p=popularity))
        mentees.append(
            MenteeNeeds(
                id=i,
                target_fiche=FICHES[target],
                languages=_languages(rng),
                mobility_fiches=mobility[FICHES[target]],
                skill_gap=frozenset(
                    int(s)
                    for s in rng.choice(skills_of(target), rng.integers(5, 16), replace=False)
                ),
                help_wanted=frozenset(
                    HELP_ORDER[h]
                    for h in rng.choice(len(HELP_ORDER), rng.integers(1, 4), replace=False)
                ),
                availability=_slots(rng, 3, 8),
                mode=MODES[rng.choice(3, p=(0.4, 0.15, 0.45))],
                place=PLACES[rng.integers(len(PLACES))],
                employer=f"E{rng.integers(2000)}" if rng.random() < 0.05 else None,
            )
        )
        if n_mentors and rng.random() < 0.02:
            exclusions.append(
                Exclusion(i, int(rng.integers(n_mentors)), ExclusionReason.PREVIOUS_MENTORSHIP)
            )
    return mentees, mentors, exclusions
