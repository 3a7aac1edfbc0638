"""Hypothesis strategies for small peer-group populations (shared by the peers tests)."""

from __future__ import annotations

from hypothesis import strategies as st

from matchcore.peers.model import Mode, Participant, ProjectType, Rhythm, Stage, Weights, hours

# A few realistic weekly hours, so that common slots are neither certain nor impossible.
SLOT_CHOICES = (hours(0, 18, 20), hours(1, 18, 20), hours(2, 12, 14), hours(5, 9, 11))
AVAILABILITY = st.lists(st.sampled_from(SLOT_CHOICES), min_size=1, max_size=3).map(
    lambda masks: sum(set(masks))
)
LANGUAGES = st.sampled_from((("fr",), ("fr",), ("fr", "en"), ("en",)))
MODES = st.sampled_from((Mode.VIDEO, Mode.IN_PERSON, Mode.EITHER))
WEIGHT = st.floats(0, 1, allow_nan=False, allow_infinity=False)


@st.composite
def participant(draw, id: int) -> Participant:
    attribute = draw(st.sampled_from((None, None, None, "over_50", "single_parent")))
    return Participant(
        id=id,
        availability=draw(AVAILABILITY),
        languages=draw(LANGUAGES),
        stage=draw(st.sampled_from(tuple(Stage))),
        project_type=draw(st.sampled_from(tuple(ProjectType))),
        sectors=draw(st.frozensets(st.sampled_from("ABCDE"), max_size=2)),
        rhythm=draw(st.sampled_from(tuple(Rhythm))),
        mode=draw(MODES),
        place=draw(st.sampled_from(("75", "69"))),
        attribute=attribute,
        avoid_isolation=attribute is not None and draw(st.booleans()),
        cohort=draw(st.sampled_from((None, None, "spring"))),
    )


@st.composite
def populations(draw, max_size: int = 24) -> list[Participant]:
    n = draw(st.integers(0, max_size))
    return [draw(participant(i)) for i in range(n)]


@st.composite
def weights(draw) -> Weights:
    values = draw(st.lists(WEIGHT, min_size=4, max_size=4))
    if sum(values) <= 0:
        values[0] = 1.0
    return Weights(*values)
