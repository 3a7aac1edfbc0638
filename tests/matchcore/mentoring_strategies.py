"""Hypothesis strategies for small mentoring pools (shared by the mentoring tests)."""

from __future__ import annotations

from hypothesis import strategies as st

from matchcore.mentoring.model import (
    HELP_ORDER,
    Exclusion,
    ExclusionReason,
    MenteeNeeds,
    MentorOffer,
    Mode,
    Weights,
)

FICHES = ("M1805", "M1802", "M1203", "K2111", "K2112", "A1101")
LANGUAGES = st.lists(st.sampled_from(("fr", "en", "ar")), min_size=1, max_size=2, unique=True)
MODES = st.sampled_from((Mode.REMOTE, Mode.IN_PERSON, Mode.EITHER))
PLACES = st.sampled_from(("75", "13"))
EMPLOYERS = st.sampled_from((None, None, "ACME", "Globex"))
HELP = st.frozensets(st.sampled_from(HELP_ORDER), max_size=3)
SLOTS = st.integers(0, (1 << 6) - 1)
SKILLS = st.frozensets(st.integers(1, 8), max_size=4)
WEIGHT = st.floats(0, 1, allow_nan=False, allow_infinity=False)


@st.composite
def weights(draw) -> Weights:
    values = draw(st.lists(WEIGHT, min_size=6, max_size=6))
    if sum(values) <= 0:
        values[0] = 1.0
    return Weights(*values)


@st.composite
def pools(draw, max_mentees: int = 8, max_mentors: int = 5):
    n_mentees = draw(st.integers(0, max_mentees))
    n_mentors = draw(st.integers(0, max_mentors))
    mentees = [
        MenteeNeeds(
            id=i,
            target_fiche=draw(st.sampled_from(FICHES)),
            languages=tuple(draw(LANGUAGES)),
            mobility_fiches=draw(st.frozensets(st.sampled_from(FICHES), max_size=2)),
            skill_gap=draw(SKILLS),
            help_wanted=draw(HELP),
            availability=draw(SLOTS),
            mode=draw(MODES),
            place=draw(PLACES),
            employer=draw(EMPLOYERS),
        )
        for i in range(n_mentees)
    ]
    mentors = [
        MentorOffer(
            id=100 + j,
            fiches=tuple(draw(st.lists(st.sampled_from(FICHES), min_size=1, max_size=2))),
            languages=tuple(draw(LANGUAGES)),
            capacity=draw(st.integers(0, 3)),
            transmissible_skills=draw(SKILLS),
            help_offered=draw(HELP),
            availability=draw(SLOTS),
            mode=draw(MODES),
            place=draw(PLACES),
            employer=draw(EMPLOYERS),
        )
        for j in range(n_mentors)
    ]
    exclusions = []
    if mentees and mentors:
        pairs = draw(
            st.lists(st.tuples(st.integers(0, n_mentees - 1), st.integers(0, n_mentors - 1)))
        )
        exclusions = [
            Exclusion(mentees[i].id, mentors[j].id, ExclusionReason.DECLARED_CONFLICT)
            for i, j in pairs
        ]
    return mentees, mentors, exclusions, draw(weights())
