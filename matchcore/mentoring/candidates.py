"""The compatibility rules of :mod:`.compatibility`, vectorised over a pool of mentors.

:class:`MentorIndex` turns the mentors into arrays once (bitsets for help, slots, modes and
languages; sparse incidence matrices for fiches, domaines and skills). :func:`score_block`
scores a block of mentees against every mentor; :func:`candidate_graph` walks the mentees in
blocks (memory stays at ``block × mentors`` cells) and keeps every compatible pair with room
when there are few enough of them (a complete graph, solved exactly), else, for each mentee,
the ``k`` best compatible mentors with room. Ties are broken by mentor position (earlier
first), so the graph is deterministic. :func:`price_pass` walks every pair once more for a
pruned round's pricing (see :mod:`.assignment`).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
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
DEFAULT_WORKERS = 2


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
    by_employer: dict[str, np.ndarray]

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
            by_employer=_positions_by_employer(mentors),
        )

    def __len__(self) -> int:
        return len(self.mentors)


def _positions_by_employer(mentors: Sequence[MentorOffer]) -> dict[str, np.ndarray]:
    positions: dict[str, list[int]] = defaultdict(list)
    for j, mentor in enumerate(mentors):
        if mentor.employer is not None:
            positions[mentor.employer].append(j)
    return {employer: np.array(found, dtype=np.int64) for employer, found in positions.items()}


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


INCOMPATIBLE = np.float32(-2.0 * SCORE_SCALE)  # below any sum of the other (scaled) factors
# No compatible mentor with room (price_pass): below any reduced score.
NO_PAIR = -(2**62)


def _gather(keys: np.ndarray, row_of, cache: dict, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """Rows computed once per distinct key (and kept in ``cache``), and each mentee's row."""
    unique, inverse = np.unique(keys, axis=0, return_inverse=True)
    rows = []
    for key in unique:
        name = (kind, *np.atleast_1d(key).tolist())
        row = cache.get(name)
        if row is None:
            row = cache[name] = row_of(key)
        rows.append(row)
    return np.stack(rows), inverse.reshape(-1)


def score_block(
    mentees: Sequence[MenteeNeeds],
    index: MentorIndex,
    weights: Weights,
    excluded: dict[int, list[int]],
    cache: dict | None = None,
) -> np.ndarray:
    """Integer-scaled scores (``round(score * SCORE_SCALE)``) of each mentee against every
    mentor, shape ``(len(mentees), len(index))``; -1 where a hard constraint is broken.

    Factors that depend on few values of the mentee (grand domaine, help wanted, mode, place,
    languages) are computed once per distinct value in the block and gathered, so the
    per-cell work is a handful of passes over the block. ``cache`` keeps those rows from one
    block to the next: pass the same dict for the same index and weights only."""
    if not mentees:
        return np.empty((0, len(index)), dtype=np.int32)
    # Weights carry SCORE_SCALE so that the sum is already the integer-scaled score.
    w_fiche, w_skills, w_help, w_slots, w_mode, w_lang = (
        np.float32(w * SCORE_SCALE) for w in weights.normalised()
    )
    cache = {} if cache is None else cache
    unknown = len(index.grands)
    grand_ids = [index.grands.get(grand_domaine(m.target_fiche), unknown) for m in mentees]
    grand_table = cache.get("grand")
    if grand_table is None:
        grand_table = cache["grand"] = index.grand_table * w_fiche
    total = grand_table[grand_ids]  # a copy, shape (mentees, mentors)
    # sparse products give each (row, col) once, so plain fancy indexing is safe
    mobility = _rows(
        index, index.fiche_by_mentor, index.fiches, [m.mobility_fiches for m in mentees]
    )
    linked = (mobility.row, mobility.col)
    total[linked] = np.maximum(total[linked], np.float32(MOBILITY_LINK) * w_fiche)
    targets = [(domaine(m.target_fiche),) for m in mentees]
    same_domaine = _rows(index, index.domaine_by_mentor, index.domaines, targets)
    total[same_domaine.row, same_domaine.col] = np.float32(SAME_DOMAINE) * w_fiche
    same_fiche = _rows(
        index, index.fiche_by_mentor, index.fiches, [(m.target_fiche,) for m in mentees]
    )
    total[same_fiche.row, same_fiche.col] = np.float32(SAME_FICHE) * w_fiche

    gap = _rows(index, index.skills_by_mentor, index.skills, [m.skill_gap for m in mentees])
    gap_size = np.array([len(m.skill_gap) for m in mentees], dtype=np.float32)
    with np.errstate(divide="ignore", invalid="ignore"):
        gap_weight = np.where(gap_size > 0, w_skills / gap_size, 0).astype(np.float32)
    total[gap.row, gap.col] += gap.data.astype(np.float32) * gap_weight[gap.row]

    wanted = np.array([_help_mask(m.help_wanted) for m in mentees], dtype=np.uint8)
    rows, which = _gather(wanted, lambda mask: _share(mask, index.help, w_help), cache, "help")
    total += rows[which]
    slots = np.array([m.availability for m in mentees], dtype=np.uint32)
    slot_counts = np.bitwise_count(slots).astype(np.float32)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_slot = np.where(slot_counts > 0, w_slots / slot_counts, 0).astype(np.float32)
    common_slots = np.bitwise_count(slots[:, None] & index.availability[None, :])
    total += common_slots * per_slot[:, None]

    logistics = np.array([_logistics_key(m, index) for m in mentees], dtype=np.int64)
    rows, which = _gather(
        logistics, lambda key: _logistics_row(key, index, w_mode, w_lang), cache, "logistics"
    )
    total += rows[which]

    for i, mentee in enumerate(mentees):
        if mentee.employer is not None:
            positions = index.by_employer.get(mentee.employer)
            if positions is not None:
                total[i, positions] = INCOMPATIBLE
        excluded_positions = excluded.get(mentee.id)
        if excluded_positions:
            total[i, excluded_positions] = INCOMPATIBLE

    np.rint(total, out=total)
    scores = total.astype(np.int32)
    np.maximum(scores, -1, out=scores)
    return scores


def _logistics_key(mentee: MenteeNeeds, index: MentorIndex) -> tuple[int, int, int, int]:
    bits = [index.language_bits[c] for c in mentee.languages if c in index.language_bits]
    first = index.language_bits.get(mentee.languages[0])
    return (
        int(mentee.mode),
        index.places.get(mentee.place, -1),
        sum({1 << bit for bit in bits}),
        0 if first is None else 1 << first,
    )


def _logistics_row(key, index: MentorIndex, w_mode: np.float32, w_lang: np.float32) -> np.ndarray:
    """Mode-and-place and language contributions of one kind of mentee against every mentor,
    :data:`INCOMPATIBLE` where the pair cannot meet or share no language."""
    mode, place, languages, first = (int(value) for value in key)
    common = np.uint8(mode) & index.mode
    in_person_ok = ((common & Mode.IN_PERSON) != 0) & (index.place == place)
    remote_ok = (common & Mode.REMOTE) != 0
    full_fit = in_person_ok | (remote_ok & (mode == Mode.REMOTE))
    row = np.where(full_fit, w_mode, np.where(remote_ok, w_mode * REMOTE_ONLY_FALLBACK, 0))
    speaks_first = (index.languages & np.uint64(first)) != 0
    row = row + np.where(speaks_first, w_lang, w_lang * np.float32(OTHER_LANGUAGE))
    feasible = (in_person_ok | remote_ok) & ((index.languages & np.uint64(languages)) != 0)
    return np.where(feasible, row, INCOMPATIBLE).astype(np.float32)


def _share(wanted, offered: np.ndarray, weight: np.float32) -> np.ndarray:
    """weight × |wanted ∩ offered| / |wanted| for one bitset against many (0 if none wanted)."""
    count = int(wanted).bit_count()
    if count == 0:
        return np.zeros(len(offered), dtype=np.float32)
    return (np.bitwise_count(offered & offered.dtype.type(wanted)) * (weight / count)).astype(
        np.float32
    )


@dataclass(frozen=True)
class CandidateGraph:
    """Mentee ``i``'s candidates are ``mentor[indptr[i]:indptr[i+1]]`` (mentor positions)
    with their integer scores, best first in a pruned graph, in mentor order in a complete
    one; ``compatible`` counts every mentor meeting the pairwise hard constraints, whether or
    not it has room or made the cut. ``complete``: the graph holds every compatible pair
    whose mentor has room, so an optimum on it is an optimum of the whole instance; ``top``
    is then its pruned part, each mentee's ``k`` best (where a round starts from)."""

    indptr: np.ndarray
    mentor: np.ndarray
    score: np.ndarray
    compatible: np.ndarray
    complete: bool = False
    top: CandidateGraph | None = None

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
    # Incompatible cells (score -1) and mentors without room get a negative key.
    dtype: type[np.signedinteger] = np.int32 if (SCORE_SCALE + 3) * (n + 1) < 2**31 else np.int64
    tie = (n - np.arange(n)).astype(dtype)
    tie[~has_room] -= (SCORE_SCALE + 2) * (n + 1)
    key = scores.astype(dtype)
    key *= n + 1
    key += tie
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
    workers: int = DEFAULT_WORKERS,
    room: np.ndarray | None = None,
    complete_up_to: int = 0,
) -> CandidateGraph:
    """Every compatible pair whose mentor has room when there are at most
    ``complete_up_to`` of them (a *complete* graph); otherwise the ``k`` best compatible
    mentors with room for each mentee (``k`` >= 1).

    Blocks are scored on ``workers`` threads (NumPy releases the GIL in its loops); results
    are gathered in block order, so the graph does not depend on the number of workers.
    The complete arcs are kept only while their running count stays within the bound
    (memory: ``complete_up_to`` arcs plus one block per worker), and dropped for the top
    ``k`` as soon as it is passed: whether the graph is complete depends on the total
    alone, not on the order the threads finish in.
    ``room`` (default: the capacities) is what each mentor has left: only mentors with room
    become candidates."""
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
    excluded = exclusion_map(index, exclusions)
    has_room = (index.capacity if room is None else room) > 0
    cache: dict = {}
    lock = threading.Lock()
    kept = {"arcs": 0, "over": complete_up_to <= 0}

    def one_block(start: int):
        scores = score_block(mentees[start : start + block], index, weights, excluded, cache)
        best, best_scores = top_k(scores, k, has_room)
        in_top = best >= 0
        top = (in_top.sum(axis=1), best[in_top], best_scores[in_top])
        complete = None
        if not kept["over"]:
            eligible = (scores >= 0) & has_room[None, :]
            count = int(eligible.sum())
            with lock:
                if not kept["over"] and kept["arcs"] + count <= complete_up_to:
                    kept["arcs"] += count
                    rows, cols = np.nonzero(eligible)
                    complete = (eligible.sum(axis=1), cols, scores[rows, cols])
                else:
                    kept["over"] = True
        return (scores >= 0).sum(axis=1), top, complete

    starts = range(0, len(mentees), block)
    if workers > 1 and len(starts) > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            parts = list(pool.map(one_block, starts))
    else:
        parts = [one_block(start) for start in starts]
    indptr = np.zeros(len(mentees) + 1, dtype=np.int64)
    if not parts:
        empty = np.empty(0, np.int64)
        return CandidateGraph(
            indptr=indptr, mentor=empty, score=empty, compatible=empty, complete=True
        )
    complete = not kept["over"]
    compatible = np.concatenate([part[0] for part in parts]).astype(np.int64)

    def gathered(columns) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        counts, mentor, score = (np.concatenate(column) for column in zip(*columns, strict=True))
        pointers = np.zeros(len(mentees) + 1, dtype=np.int64)
        pointers[1:] = np.cumsum(counts)
        return pointers, mentor.astype(np.int64), score.astype(np.int64)

    top = CandidateGraph(*gathered(part[1] for part in parts), compatible)
    if not complete:
        return top
    return CandidateGraph(*gathered(part[2] for part in parts), compatible, complete=True, top=top)


def merge_graphs(first: CandidateGraph, second: CandidateGraph, rows: np.ndarray) -> CandidateGraph:
    """``first`` with, for the mentees at positions ``rows``, the arcs of ``second`` (whose
    row ``r`` is mentee ``rows[r]``) that it lacks; each mentee's arcs stay best first."""
    n = len(first.indptr) - 1
    mentee = np.concatenate(
        [
            np.repeat(np.arange(n), np.diff(first.indptr)),
            np.repeat(rows, np.diff(second.indptr)),
        ]
    )
    mentor = np.concatenate([first.mentor, second.mentor])
    score = np.concatenate([first.score, second.score])
    order = np.lexsort((mentor, -score, mentee))
    mentee, mentor, score = mentee[order], mentor[order], score[order]
    pair = mentee * (int(mentor.max(initial=0)) + 1) + mentor
    _, first_seen = np.unique(pair, return_index=True)
    first_seen.sort()
    mentee, mentor, score = mentee[first_seen], mentor[first_seen], score[first_seen]
    indptr = np.zeros(n + 1, dtype=np.int64)
    indptr[1:] = np.cumsum(np.bincount(mentee, minlength=n))
    return CandidateGraph(indptr=indptr, mentor=mentor, score=score, compatible=first.compatible)


def price_pass(
    mentees: Sequence[MenteeNeeds],
    index: MentorIndex,
    weights: Weights,
    price: np.ndarray,
    threshold: np.ndarray,
    k: int,
    exclusions: Iterable[Exclusion] = (),
    block: int = DEFAULT_BLOCK,
    workers: int = DEFAULT_WORKERS,
) -> tuple[np.ndarray, CandidateGraph]:
    """One more pass over every pair, in blocks, for mentor prices ``price`` (int64 by
    mentor): each mentee's largest reduced score ``score - price[j]`` over the compatible
    mentors with room (negative, or :data:`NO_PAIR`, when there is none), and the graph of
    the pairs whose reduced score is above the mentee's ``threshold`` (at most its ``k``
    largest; arcs carry the plain scores). Nothing else is kept from a block."""
    excluded = exclusion_map(index, exclusions)
    has_room = index.capacity > 0
    cache: dict = {}
    n = len(index)
    kk = max(1, min(k, n))

    # A mentor without room is priced out of every pair (its reduced scores are < 0).
    price = np.where(has_room, price, 2**61)

    def one_block(start: int):
        stop = min(start + block, len(mentees))
        scores = score_block(mentees[start:stop], index, weights, excluded, cache)
        reduced = scores.astype(np.int64)
        reduced -= price
        np.putmask(reduced, scores < 0, NO_PAIR)
        best = reduced.max(axis=1, initial=NO_PAIR)
        counts = np.zeros(stop - start, np.int64)
        # Only the mentees with a pair above their threshold are looked at again.
        rows = np.flatnonzero(best > threshold[start:stop])
        if len(rows) == 0:
            return best, counts, np.empty(0, np.int64), np.empty(0, np.int64)
        wanted = reduced[rows]
        wanted[wanted <= threshold[start:stop][rows, None]] = NO_PAIR
        part = np.argpartition(-wanted, kk - 1, axis=1)[:, :kk]
        kept = np.take_along_axis(wanted, part, axis=1) > NO_PAIR
        counts[rows] = kept.sum(axis=1)
        mentor = part[kept]
        return best, counts, mentor, scores[rows[np.nonzero(kept)[0]], mentor]

    starts = range(0, len(mentees), block)
    if workers > 1 and len(starts) > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            parts = list(pool.map(one_block, starts))
    else:
        parts = [one_block(start) for start in starts]
    indptr = np.zeros(len(mentees) + 1, dtype=np.int64)
    if not parts:
        empty = np.empty(0, np.int64)
        return empty, CandidateGraph(indptr, empty, empty, empty)
    best, counts, mentor, score = (np.concatenate(column) for column in zip(*parts, strict=True))
    indptr[1:] = np.cumsum(counts)
    extra = CandidateGraph(
        indptr, mentor.astype(np.int64), score.astype(np.int64), np.zeros(len(mentees), np.int64)
    )
    return best, extra
