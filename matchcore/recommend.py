"""Fiche métier recommendations: rank every fiche for one profile, and explain each result.

Three signals, each in [0, 1], are combined by :class:`Weights` into one score in [0, 1]:

* **RIASEC fit** — how much the profile leans towards the fiche's RIASEC letters, relative to
  the profile's own strongest letter::

      fit = (p[majeur] + MINEUR_SHARE * p[mineur]) / ((1 + MINEUR_SHARE) * max(p))

  (without a mineur: ``p[majeur] / max(p)``; 0 when the profile is all zeros). A profile that
  is strongest in the fiche's majeur and mineur gets 1, whatever its absolute levels.
* **Skills fit** — weighted coverage of the fiche's compétences and savoirs by the ones the
  person holds, cœur de métier items counting double::

      skills = (2 * held_core + held_other) / (2 * n_core + n_other)

* **Mobility fit** — 1 when the fiche is a listed mobility of a current or past fiche of the
  person (one step), 0.5 when it is two steps away, 0 otherwise. The path is returned.

Fiches the person comes from (``Profile.current_fiches``) and ``Profile.excluded`` are never
recommended. Ties are broken by ``code_rome`` ascending, so results are deterministic.

Pure Python: the index holds integer arrays and an inverted index item → fiches, so that a
query touches only the postings of the items held plus one pass over the fiches.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

MINEUR_SHARE = 0.5
CORE_WEIGHT = 2
ONE_STEP_FIT = 1.0
TWO_STEP_FIT = 0.5


class Riasec(StrEnum):
    """The six Holland types, in the conventional order."""

    R = "R"
    I = "I"  # noqa: E741 - the letter is the name of the type
    A = "A"
    S = "S"
    E = "E"
    C = "C"


RIASEC_ORDER: tuple[Riasec, ...] = tuple(Riasec)
_RIASEC_POSITION = {letter: position for position, letter in enumerate(RIASEC_ORDER)}
_NO_MINEUR = len(RIASEC_ORDER)


def _riasec_or_none(value: Riasec | str | None) -> Riasec | None:
    if value is None or value == "":
        return None
    try:
        return Riasec(value)
    except ValueError:
        raise ValueError(f"unknown RIASEC letter: {value!r}") from None


@dataclass(frozen=True)
class FicheData:
    """One fiche métier as the engine sees it.

    ``items`` are the OGR codes of its compétences and savoirs; ``core_items`` those that are
    cœur de métier (a core item missing from ``items`` is still counted as one of its items);
    ``mobilities`` the target fiches in the référentiel's order.
    """

    code_rome: str
    riasec_majeur: Riasec
    riasec_mineur: Riasec | None
    items: tuple[int, ...]
    core_items: frozenset[int] = frozenset()
    mobilities: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        majeur = _riasec_or_none(self.riasec_majeur)
        if majeur is None:
            raise ValueError(f"{self.code_rome}: a fiche needs a RIASEC majeur")
        object.__setattr__(self, "riasec_majeur", majeur)
        object.__setattr__(self, "riasec_mineur", _riasec_or_none(self.riasec_mineur))


@dataclass(frozen=True)
class Profile:
    """The person: RIASEC scores in [0, 1] (missing letters count as 0), the compétences and
    savoirs they hold (OGR codes), the fiches they hold or held, and fiches not to propose."""

    riasec: Mapping[str, float]
    held_items: frozenset[int] = frozenset()
    current_fiches: tuple[str, ...] = ()
    excluded: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        for letter, value in self.riasec.items():
            if letter not in _RIASEC_POSITION:
                raise ValueError(f"unknown RIASEC letter: {letter!r}")
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"RIASEC score for {letter} must be in [0, 1], got {value!r}")

    def riasec_vector(self) -> tuple[float, ...]:
        return tuple(float(self.riasec.get(letter, 0.0)) for letter in RIASEC_ORDER)


@dataclass(frozen=True)
class Weights:
    """Relative weights of the three signals; the score is their weighted mean.

    Defaults: interests and skills count equally (0.4 each) — a bilan looks for what the
    person likes *and* can build on; mobility (0.2) is a nudge towards transitions the
    référentiel documents, not a requirement.
    """

    riasec: float = 0.4
    skills: float = 0.4
    mobility: float = 0.2

    def __post_init__(self) -> None:
        if min(self.riasec, self.skills, self.mobility) < 0:
            raise ValueError("weights must be non-negative")
        if self.riasec + self.skills + self.mobility <= 0:
            raise ValueError("at least one weight must be positive")


@dataclass(frozen=True)
class Recommendation:
    """One ranked fiche with what explains its score (data, not prose).

    ``held`` lists the fiche's items the person holds, cœur de métier first, each group by
    code; ``missing_core`` the cœur de métier items they lack; ``mobility_path`` runs from a
    current fiche to this one (2 or 3 codes), or is None.
    """

    code_rome: str
    score: float
    riasec_fit: float
    skills_fit: float
    held: tuple[int, ...]
    missing_core: tuple[int, ...]
    missing_other_count: int
    mobility_path: tuple[str, ...] | None


@dataclass(frozen=True)
class Gap:
    """What the person would need to acquire for one fiche, each group sorted by code."""

    code_rome: str
    missing_core: tuple[int, ...]
    missing_other: tuple[int, ...]
    held: tuple[int, ...]


DEFAULT_WEIGHTS = Weights()


class UnknownFiche(KeyError):
    """The code is not in the index."""


@dataclass(frozen=True)
class RecommendationIndex:
    """Precomputed, read-only data for fast queries. Build it with :meth:`build`.

    Fiches are numbered in ``code_rome`` order, so comparing numbers breaks ties by code.
    """

    codes: tuple[str, ...]
    _position: Mapping[str, int] = field(repr=False)
    # per fiche: index of the majeur, of the mineur (6 = none)
    _majeur: tuple[int, ...] = field(repr=False)
    _mineur: tuple[int, ...] = field(repr=False)
    _core: tuple[frozenset[int], ...] = field(repr=False)
    _other: tuple[frozenset[int], ...] = field(repr=False)
    # per fiche: 2 * n_core + n_other (0 when the fiche lists no item)
    _skills_total: tuple[int, ...] = field(repr=False)
    # item -> fiche numbers where it is core / not core
    _core_postings: Mapping[int, tuple[int, ...]] = field(repr=False)
    _other_postings: Mapping[int, tuple[int, ...]] = field(repr=False)
    # fiche code -> mobility targets (numbers, référentiel order, known fiches only)
    _mobility: Mapping[str, tuple[int, ...]] = field(repr=False)

    @classmethod
    def build(cls, fiches: Iterable[FicheData]) -> RecommendationIndex:
        by_code: dict[str, FicheData] = {}
        for fiche in fiches:
            if fiche.code_rome in by_code:
                raise ValueError(f"duplicate fiche {fiche.code_rome}")
            by_code[fiche.code_rome] = fiche
        codes = tuple(sorted(by_code))
        position = {code: number for number, code in enumerate(codes)}
        core_postings: dict[int, list[int]] = {}
        other_postings: dict[int, list[int]] = {}
        majeur, mineur, cores, others, totals = [], [], [], [], []
        for number, code in enumerate(codes):
            fiche = by_code[code]
            core = frozenset(fiche.core_items)
            other = frozenset(fiche.items) - core
            for item in core:
                core_postings.setdefault(item, []).append(number)
            for item in other:
                other_postings.setdefault(item, []).append(number)
            majeur.append(_RIASEC_POSITION[fiche.riasec_majeur])
            mineur.append(
                _NO_MINEUR if fiche.riasec_mineur is None else _RIASEC_POSITION[fiche.riasec_mineur]
            )
            cores.append(core)
            others.append(other)
            totals.append(CORE_WEIGHT * len(core) + len(other))
        mobility = {
            code: tuple(position[target] for target in fiche.mobilities if target in position)
            for code, fiche in by_code.items()
            if fiche.mobilities
        }
        return cls(
            codes=codes,
            _position=position,
            _majeur=tuple(majeur),
            _mineur=tuple(mineur),
            _core=tuple(cores),
            _other=tuple(others),
            _skills_total=tuple(totals),
            _core_postings={item: tuple(numbers) for item, numbers in core_postings.items()},
            _other_postings={item: tuple(numbers) for item, numbers in other_postings.items()},
            _mobility=mobility,
        )

    def __len__(self) -> int:
        return len(self.codes)

    def recommend(
        self, profile: Profile, *, limit: int = 20, weights: Weights = DEFAULT_WEIGHTS
    ) -> tuple[Recommendation, ...]:
        """The ``limit`` best fiches for ``profile``, best first, ties by code."""
        if limit < 0:
            raise ValueError("limit must be non-negative")
        count = len(self.codes)
        if limit == 0 or count == 0:
            return ()
        fit_table = _riasec_fit_table(profile.riasec_vector())
        held_weight = [0] * count
        for item in profile.held_items:
            for number in self._core_postings.get(item, ()):
                held_weight[number] += CORE_WEIGHT
            for number in self._other_postings.get(item, ()):
                held_weight[number] += 1
        paths = self._mobility_paths(profile.current_fiches)
        total = weights.riasec + weights.skills + weights.mobility
        w_riasec, w_skills, w_mobility = (
            weights.riasec / total,
            weights.skills / total,
            weights.mobility / total,
        )
        blocked = {
            self._position[code]
            for code in (*profile.current_fiches, *profile.excluded)
            if code in self._position
        }
        majeur, mineur, totals = self._majeur, self._mineur, self._skills_total
        scores = [0.0] * count
        for number in range(count):
            skills_total = totals[number]
            skills = held_weight[number] / skills_total if skills_total else 0.0
            score = w_riasec * fit_table[majeur[number]][mineur[number]] + w_skills * skills
            path = paths.get(number)
            if path is not None:
                score += w_mobility * (ONE_STEP_FIT if len(path) == 2 else TWO_STEP_FIT)
            scores[number] = min(1.0, score)
        candidates = (number for number in range(count) if number not in blocked)
        best = heapq.nsmallest(limit, candidates, key=lambda number: (-scores[number], number))
        return tuple(
            self._explain(number, scores[number], fit_table, held_weight[number], profile, paths)
            for number in best
        )

    def gap(self, profile: Profile, code_rome: str) -> Gap:
        """The fiche's compétences and savoirs the person lacks (cœur de métier apart)."""
        number = self._number(code_rome)
        held = profile.held_items
        core, other = self._core[number], self._other[number]
        return Gap(
            code_rome=code_rome,
            missing_core=tuple(sorted(core - held)),
            missing_other=tuple(sorted(other - held)),
            held=tuple(sorted(core & held)) + tuple(sorted(other & held)),
        )

    def _number(self, code_rome: str) -> int:
        try:
            return self._position[code_rome]
        except KeyError:
            raise UnknownFiche(code_rome) from None

    def _mobility_paths(self, current: tuple[str, ...]) -> dict[int, tuple[str, ...]]:
        """Shortest mobility path to each reachable fiche; among equals, the first found in
        the order of the current fiches, then of the référentiel's mobility lists."""
        paths: dict[int, tuple[str, ...]] = {}
        starts = [code for code in current if code in self._position]
        for start in starts:
            for target in self._mobility.get(start, ()):
                paths.setdefault(target, (start, self.codes[target]))
        for start in starts:
            for middle in self._mobility.get(start, ()):
                middle_code = self.codes[middle]
                for target in self._mobility.get(middle_code, ()):
                    paths.setdefault(target, (start, middle_code, self.codes[target]))
        return paths

    def _explain(
        self,
        number: int,
        score: float,
        fit_table: tuple[tuple[float, ...], ...],
        held_weight: int,
        profile: Profile,
        paths: Mapping[int, tuple[str, ...]],
    ) -> Recommendation:
        held = profile.held_items
        core, other = self._core[number], self._other[number]
        skills_total = self._skills_total[number]
        return Recommendation(
            code_rome=self.codes[number],
            score=score,
            riasec_fit=fit_table[self._majeur[number]][self._mineur[number]],
            skills_fit=held_weight / skills_total if skills_total else 0.0,
            held=tuple(sorted(core & held)) + tuple(sorted(other & held)),
            missing_core=tuple(sorted(core - held)),
            missing_other_count=len(other - held),
            mobility_path=paths.get(number),
        )


def riasec_fit(profile: Profile, majeur: Riasec | str, mineur: Riasec | str | None) -> float:
    """The RIASEC fit of a profile with a fiche's letters (see the module docstring)."""
    table = _riasec_fit_table(profile.riasec_vector())
    minor = _riasec_or_none(mineur)
    return table[_RIASEC_POSITION[Riasec(majeur)]][
        _NO_MINEUR if minor is None else _RIASEC_POSITION[minor]
    ]


def _riasec_fit_table(vector: tuple[float, ...]) -> tuple[tuple[float, ...], ...]:
    """fit[majeur][mineur] for the 6 x 7 letter pairs (mineur 6 = none)."""
    top = max(vector)
    if top <= 0:
        return tuple((0.0,) * (_NO_MINEUR + 1) for _ in RIASEC_ORDER)
    rows = []
    for major in vector:
        row = [
            min(1.0, (major + MINEUR_SHARE * minor) / ((1 + MINEUR_SHARE) * top))
            for minor in vector
        ]
        row.append(min(1.0, major / top))
        rows.append(tuple(row))
    return tuple(rows)
