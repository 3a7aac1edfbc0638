"""The compatibility rules of :mod:`.compatibility`, vectorised over a pool of mentors.

:class:`MentorIndex` turns the mentors into arrays once (bitsets for help, slots, modes and
languages; sparse incidence matrices for fiches, domaines and skills). :func:`score_block`
scores a block of mentees against every mentor; :func:`candidate_graph` walks the mentees in
blocks (memory stays at ``block × mentors`` cells) and keeps, for each mentee, the ``k``
best compatible mentors with room. Ties are broken by mentor position (earlier first), so the
graph is deterministic.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .compatibility import (
    MOBILITY_LINK,
    OTHER_LANGUAGE,
    REMOTE_ONLY_FALLBACK,
    SAME_DOMAINE,
    SAME_FICHE,
    SAME_GRAND_DOMAINE,
    domaine,
    grand_domaine,
)
from .model import (
    HELP_BIT,
    SCORE_SCALE,
    Exclusion,
    MenteeNeeds,
    MentorOffer,
    Mode,
    Weights,
)

DEFAULT_BLOCK = 256


class _Vocabulary(dict):
    def ids(self, items: Iterable[str | int]) -> list[int]:
        return [self.setdefault(item, len(self)) for item in items]


def _incidence(rows: Sequence[Sequence[int]], n_cols: int) -> sparse.csr_matrix:
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(row) for row in rows])
    indices = np.fromiter((col for row in rows for col in row), dtype=np.int32, count=indptr[-1])
    data = np.ones(len(indices), dtype=np.float32)
    matrix = sparse.csr_matrix((data, indices, indptr), shape=(len(rows), n_cols))
    matrix.sum_duplicates()
    matrix.data[:] = 1.0
    return matrix


def _help_mask(kinds) -> int:
    mask = 0
    for kind in kinds:
        mask |= HELP_BIT[kind]
    return mask


@dataclass(frozen=True)
class MentorIndex:
    """Array form of a pool of mentors. Build it with :meth:`build`."""

    mentors: tuple[MentorOffer, ...]
    position: dict[int, int]
    capacity: np.ndarray
    help: np.ndarray
    availability: np.ndarray
    mode: np.ndarray
    place: np.ndarray
    languages: np.ndarray
    employer: np.ndarray
    fiche_by_mentor: sparse.csr_matrix  # fiche × mentor
    domaine_by_mentor: sparse.csr_matrix
    grand_table: np.ndarray  # grand domaine × mentor: SAME_GRAND_DOMAINE where it holds one
    skills_by_mentor: sparse.csr_matrix  # skill × mentor
    fiches: _Vocabulary
    domaines: _Vocabulary
    grands: _Vocabulary
    skills: _Vocabulary
    places: _Vocabulary
    language_bits: _Vocabulary
    employers: _Vocabulary

    @classmethod
    def build(cls, mentors: Sequence[MentorOffer]) -> MentorIndex:
        mentors = tuple(mentors)
        position = {mentor.id: i for i, mentor in enumerate(mentors)}
        if len(position) != len(mentors):
            raise ValueError("mentor ids must be unique")
        fiches, domaines, grands, skills = (_Vocabulary() for _ in range(4))
        places, languages, employers = _Vocabulary(), _Vocabulary(), _Vocabulary()
        fiche_rows = [fiches.ids(m.fiches) for m in mentors]
        domaine_rows = [domaines.ids(sorted({domaine(f) for f in m.fiches})) for m in mentors]
        grand_rows = [grands.ids(sorted({grand_domaine(f) for f in m.fiches})) for m in mentors]
        skill_rows = [skills.ids(sorted(m.transmissible_skills)) for m in mentors]
        language_masks = []
        for mentor in mentors:
            mask = 0
            for bit in languages.ids(mentor.languages):
                mask |= 1 << bit
            language_masks.append(mask)
        if len(languages) > 63:
            raise ValueError("more than 63 distinct languages among mentors")
        n = len(mentors)
        grand_table = np.zeros((len(grands) + 1, n), dtype=np.float32)  # last row: unknown
        for j, row in enumerate(grand_rows):
            grand_table[row, j] = SAME_GRAND_DOMAINE
        return cls(
            mentors=mentors,
            position=position,
            capacity=np.array([m.capacity for m in mentors], dtype=np.int64),
            help=np.array([_help_mask(m.help_offered) for m in mentors], dtype=np.uint8),
            availability=np.array([m.availability for m in mentors], dtype=np.uint32),
            mode=np.array([int(m.mode) for m in mentors], dtype=np.uint8),
            place=np.array(places.ids(m.place for m in mentors), dtype=np.int32),
            languages=np.array(language_masks, dtype=np.uint64),
            employer=np.array(
                [-1 if m.employer is None else employers.ids([m.employer])[0] for m in mentors],
                dtype=np.int32,
            ),
            fiche_by_mentor=_incidence(fiche_rows, len(fiches)).T.tocsr(),
            domaine_by_mentor=_incidence(domaine_rows, len(domaines)).T.tocsr(),
            grand_table=grand_table,
            skills_by_mentor=_incidence(skill_rows, len(skills)).T.tocsr(),
            fiches=fiches,
            domaines=domaines,
            grands=grands,
            skills=skills,
            places=places,
            language_bits=languages,
            employers=employers,
        )

    def __len__(self) -> int:
        return len(self.mentors)


def _rows(index: MentorIndex, matrix: sparse.csr_matrix, vocabulary, keys) -> sparse.csr_matrix:
    """Rows of a (key × mentor) incidence for each mentee (empty for unknown keys)."""
    ids = [[vocabulary[k] for k in key_set if k in vocabulary] for key_set in keys]
    selector = _incidence(ids, matrix.shape[0])
    return (selector @ matrix).tocoo()


def exclusion_map(index: MentorIndex, exclusions: Iterable[Exclusion]) -> dict[int, list[int]]:
    """Mentee id → positions of the mentors it may not be matched with (explicit exclusions)."""
    excluded: dict[int, list[int]] = defaultdict(list)
    for exclusion in exclusions:
        position = index.position.get(exclusion.mentor_id)
        if position is not None:
            excluded[exclusion.mentee_id].append(position)
    return excluded


def score_block(
    mentees: Sequence[MenteeNeeds],
    index: MentorIndex,
    weights: Weights,
    excluded: dict[int, list[int]],
) -> np.ndarray:
    """Integer-scaled scores (``round(score * SCORE_SCALE)``) of each mentee against every
    mentor, shape ``(len(mentees), len(index))``; -1 where a hard constraint is broken."""
    r = len(mentees)
    w_fiche, w_skills, w_help, w_slots, w_mode, w_lang = (
        np.float32(w) for w in weights.normalised()
    )
    # fiche proximity: grand domaine from a table, then domaine, fiche, mobility on top.
    unknown = len(index.grands)
    grand_ids = [index.grands.get(grand_domaine(m.target_fiche), unknown) for m in mentees]
    total = index.grand_table[grand_ids]  # a copy, shape (r, n)
    mobility = _rows(
        index, index.fiche_by_mentor, index.fiches, [m.mobility_fiches for m in mentees]
    )
    np.maximum.at(total, (mobility.row, mobility.col), np.float32(MOBILITY_LINK))
    same_domaine = _rows(
        index,
        index.domaine_by_mentor,
        index.domaines,
        [(domaine(m.target_fiche),) for m in mentees],
    )
    total[same_domaine.row, same_domaine.col] = SAME_DOMAINE
    same_fiche = _rows(
        index, index.fiche_by_mentor, index.fiches, [(m.target_fiche,) for m in mentees]
    )
    total[same_fiche.row, same_fiche.col] = SAME_FICHE
    total *= w_fiche

    gap = _rows(index, index.skills_by_mentor, index.skills, [m.skill_gap for m in mentees])
    gap_size = np.array([len(m.skill_gap) for m in mentees], dtype=np.float32)
    with np.errstate(divide="ignore"):
        gap_weight = np.where(gap_size > 0, w_skills / gap_size, 0).astype(np.float32)
    np.add.at(total, (gap.row, gap.col), gap.data.astype(np.float32) * gap_weight[gap.row])

    wanted = np.array([_help_mask(m.help_wanted) for m in mentees], dtype=np.uint8)
    total += _share(wanted, index.help, w_help)
    slots = np.array([m.availability for m in mentees], dtype=np.uint32)
    total += _share(slots, index.availability, w_slots)

    mode = np.array([int(m.mode) for m in mentees], dtype=np.uint8)
    place = np.array([index.places.get(m.place, -1) for m in mentees], dtype=np.int32)
    common = mode[:, None] & index.mode[None, :]
    same_place = place[:, None] == index.place[None, :]
    in_person_ok = ((common & Mode.IN_PERSON) != 0) & same_place
    remote_ok = (common & Mode.REMOTE) != 0
    full_fit = in_person_ok | (remote_ok & (mode == Mode.REMOTE)[:, None])
    total += np.where(full_fit, w_mode, np.where(remote_ok, w_mode * REMOTE_ONLY_FALLBACK, 0))
    feasible = in_person_ok | remote_ok

    language_masks = np.zeros(r, dtype=np.uint64)
    first_bits = np.zeros(r, dtype=np.uint64)
    for i, mentee in enumerate(mentees):
        bits = [
            index.language_bits[code] for code in mentee.languages if code in index.language_bits
        ]
        language_masks[i] = sum({1 << bit for bit in bits})
        first = index.language_bits.get(mentee.languages[0])
        first_bits[i] = 0 if first is None else 1 << first
    feasible &= (language_masks[:, None] & index.languages[None, :]) != 0
    speaks_first = (first_bits[:, None] & index.languages[None, :]) != 0
    total += np.where(speaks_first, w_lang, w_lang * np.float32(OTHER_LANGUAGE))

    employer = np.array(
        [-1 if m.employer is None else index.employers.get(m.employer, -2) for m in mentees],
        dtype=np.int32,
    )
    feasible &= (employer[:, None] != index.employer[None, :]) | (employer[:, None] < 0)
    for i, mentee in enumerate(mentees):
        positions = excluded.get(mentee.id)
        if positions:
            feasible[i, positions] = False

    scores = np.rint(total * np.float32(SCORE_SCALE)).astype(np.int32)
    np.clip(scores, 0, SCORE_SCALE, out=scores)
    scores[~feasible] = -1
    return scores


def _share(wanted: np.ndarray, offered: np.ndarray, weight: np.float32) -> np.ndarray:
    """weight × |wanted ∩ offered| / |wanted| for bitsets (0 when nothing is wanted)."""
    counts = np.bitwise_count(wanted).astype(np.float32)
    with np.errstate(divide="ignore"):
        per_bit = np.where(counts > 0, weight / counts, 0).astype(np.float32)
    return np.bitwise_count(wanted[:, None] & offered[None, :]) * per_bit[:, None]


@dataclass(frozen=True)
class CandidateGraph:
    """Mentee ``i``'s candidates are ``mentor[indptr[i]:indptr[i+1]]`` (mentor positions),
    best first, with their integer scores; ``compatible`` counts every mentor meeting the
    pairwise hard constraints, whether or not it has room or made the cut."""

    indptr: np.ndarray
    mentor: np.ndarray
    score: np.ndarray
    compatible: np.ndarray

    @property
    def arcs(self) -> int:
        return len(self.mentor)


def top_k(scores: np.ndarray, k: int, has_room: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each row, the positions of the ``k`` best scores among mentors with room (-1 pads),
    best first, ties to the earlier mentor; and the matching scores."""
    r, n = scores.shape
    k = min(k, n)
    if k == 0:
        return np.empty((r, 0), np.int64), np.empty((r, 0), np.int64)
    # One integer key per cell makes ties deterministic: higher score, then lower position.
    key = scores.astype(np.int64) * (n + 1) + (n - np.arange(n, dtype=np.int64))
    key[:, ~has_room] = -1
    key[scores < 0] = -1
    part = np.argpartition(key, n - k, axis=1)[:, n - k :]
    part_keys = np.take_along_axis(key, part, axis=1)
    order = np.argsort(-part_keys, axis=1, kind="stable")
    best = np.take_along_axis(part, order, axis=1)
    best_keys = np.take_along_axis(part_keys, order, axis=1)
    best[best_keys < 0] = -1
    return best, np.where(best >= 0, np.take_along_axis(scores, np.maximum(best, 0), axis=1), -1)


def candidate_graph(
    mentees: Sequence[MenteeNeeds],
    index: MentorIndex,
    weights: Weights,
    k: int,
    exclusions: Iterable[Exclusion] = (),
    block: int = DEFAULT_BLOCK,
) -> CandidateGraph:
    """The ``k`` best compatible mentors with room for each mentee (``k`` >= 1)."""
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
    excluded = exclusion_map(index, exclusions)
    has_room = index.capacity > 0
    mentor_parts, score_parts, counts, compatible = [], [], [], []
    for start in range(0, len(mentees), block):
        scores = score_block(mentees[start : start + block], index, weights, excluded)
        compatible.append((scores >= 0).sum(axis=1))
        best, best_scores = top_k(scores, k, has_room)
        kept = best >= 0
        counts.append(kept.sum(axis=1))
        mentor_parts.append(best[kept])
        score_parts.append(best_scores[kept])
    indptr = np.zeros(len(mentees) + 1, dtype=np.int64)
    if mentees:
        indptr[1:] = np.cumsum(np.concatenate(counts))
    return CandidateGraph(
        indptr=indptr,
        mentor=np.concatenate(mentor_parts) if mentor_parts else np.empty(0, np.int64),
        score=np.concatenate(score_parts) if score_parts else np.empty(0, np.int64),
        compatible=np.concatenate(compatible) if compatible else np.empty(0, np.int64),
    )
