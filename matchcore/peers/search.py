"""Groups inside one compatible chunk: greedy construction, leftovers placement, local search.

Everyone in a chunk shares a cohort, a language and a way to meet (see :mod:`.blocks`), so a
group is valid when its size is within bounds, its members share a weekly hour and nobody who
asked is the only holder of their attribute.

Construction seeds groups with the scarcest availability first (the people hardest to place)
and grows each one with the candidate sharing an hour with everyone so far that adds most to
the score. Leftovers are then inserted into groups with room, or placed by ejecting a member
who fits elsewhere, or grouped among themselves. The local search then tries, for every
member, all swaps with members of other groups and all moves to groups with room at once
(NumPy over the chunk), and applies the one that most improves the lexicographic objective —
worst group's score first, then the sum of scores — until a pass finds none.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from .model import Config, Participant
from .rules import common_languages, meeting, pair_scores

EPS = 1e-9
WORDS = 3  # 168 availability bits in three 64-bit words
MASK64 = (1 << 64) - 1


def words(availability: int) -> list[int]:
    return [(availability >> (64 * k)) & MASK64 for k in range(WORDS)]


def pairs(size):
    return size * (size - 1) / 2


class ChunkSearch:
    """Mutable working state of one chunk; :func:`solve_chunk` is the entry point."""

    def __init__(
        self, people: Sequence[Participant], config: Config, seed: int, mixed: bool = False
    ):
        # ``mixed``: people may come from different blocks, so validity also checks the
        # language and the way to meet (slower; only for the small second-chance passes).
        self.mixed = mixed
        self.jitter = 0.0  # restarts perturb the scarcest-first order by up to this share
        self.people = list(people)
        self.config = config
        n = len(self.people)
        self.n = n
        self.rng = np.random.default_rng(seed)
        self.P = pair_scores(self.people, config.weights) if n else np.zeros((0, 0))
        if n:
            np.fill_diagonal(self.P, 0.0)
        self.avail = [p.availability for p in self.people]
        self.W = np.array([words(a) for a in self.avail], dtype=np.uint64).reshape(n, WORDS)
        self.attribute = [p.attribute for p in self.people]
        self.avoid = [p.avoid_isolation for p in self.people]
        self.groups: list[list[int]] = []
        self.group_of = np.full(n, -1, dtype=np.int64)

    # -- validity --------------------------------------------------------------------------

    def common(self, members: Sequence[int]) -> int:
        common = -1
        for i in members:
            common &= self.avail[i]
        return common

    def no_isolation(self, members: Sequence[int]) -> bool:
        holders = Counter(self.attribute[i] for i in members if self.attribute[i])
        return all(holders[self.attribute[i]] >= 2 for i in members if self.avoid[i])

    def valid(self, members: Sequence[int]) -> bool:
        if not (
            self.config.min_size <= len(members) <= self.config.max_size
            and self.common(members) != 0
            and self.no_isolation(members)
        ):
            return False
        if self.mixed:
            group = [self.people[i] for i in members]
            return (
                len({p.cohort for p in group}) == 1
                and bool(common_languages(group))
                and meeting(group) is not None
            )
        return True

    def score_of(self, members: Sequence[int]) -> float:
        index = np.array(members)
        return float(self.P[np.ix_(index, index)].sum() / 2 / pairs(len(members)))

    def overlap(self, common: int, among: np.ndarray) -> np.ndarray:
        mask = np.array(words(common), dtype=np.uint64)
        return (self.W[among] & mask).any(axis=1)

    def unassigned(self) -> np.ndarray:
        return np.flatnonzero(self.group_of < 0)

    def add_group(self, members: list[int]) -> None:
        self.group_of[members] = len(self.groups)
        self.groups.append(sorted(members))

    # -- construction ----------------------------------------------------------------------

    def construct(self, among: np.ndarray, seeds: set[int] | None = None) -> None:
        """Greedy groups over the unassigned people ``among`` (seeded only by ``seeds`` when
        given)."""
        cfg = self.config
        n = len(among) if seeds is None else len(seeds)
        if n < cfg.min_size:
            return
        count = min(max(int(n / cfg.target_size + 0.5), -(-n // cfg.max_size)), n // cfg.min_size)
        sizes = [n // count + (1 if k < n % count else 0) for k in range(count)]
        tiebreak = self.rng.permutation(self.n)
        jitter = self.rng.uniform(1 - self.jitter, 1 + self.jitter, self.n)
        order = sorted(
            among.tolist(), key=lambda i: (self.avail[i].bit_count() * jitter[i], tiebreak[i])
        )
        free = np.zeros(self.n, dtype=bool)
        free[among] = True
        for seed in order:
            if not sizes:
                break
            if not free[seed] or (seeds is not None and seed not in seeds):
                continue
            free[seed] = False
            members = self.grow([seed], free, sizes[0])
            if len(members) >= cfg.min_size and self.valid(members):
                sizes.pop(0)
                self.add_group(members)
            else:
                free[members[1:]] = True

    def grow(self, members: list[int], free: np.ndarray, goal: int) -> list[int]:
        cfg = self.config
        while len(members) < cfg.max_size:
            holders = Counter(self.attribute[i] for i in members)
            lonely = {
                self.attribute[i]
                for i in members
                if self.avoid[i] and holders[self.attribute[i]] < 2
            }
            if len(members) >= goal and not lonely:
                break
            candidates = np.flatnonzero(free)
            if len(candidates) == 0:
                break
            common = self.common(members)
            candidates = candidates[self.overlap(common, candidates)]
            if len(candidates) == 0:
                break
            if self.mixed:
                group = [self.people[i] for i in members]
                candidates = np.array(
                    [
                        c
                        for c in candidates.tolist()
                        if self.people[c].cohort == group[0].cohort
                        and common_languages([*group, self.people[c]])
                        and meeting([*group, self.people[c]]) is not None
                    ],
                    dtype=np.int64,
                )
                if len(candidates) == 0:
                    break
            if len(members) >= goal:  # only a holder of a lonely attribute may still join
                candidates = np.array(
                    [c for c in candidates.tolist() if self.attribute[c] in lonely], dtype=np.int64
                )
                if len(candidates) == 0:
                    break
            gain = self.P[np.ix_(candidates, np.array(members))].mean(axis=1)
            kept = np.bitwise_count(self.W[candidates] & np.array(words(common), np.uint64)).sum(1)
            key = gain + 0.05 * kept / max(common.bit_count(), 1)
            key += np.array([self.attribute[c] in lonely for c in candidates.tolist()]) * 1.0
            if self.jitter:
                key += self.rng.uniform(0, 0.3 * self.jitter, len(candidates))
            pick = int(candidates[int(np.argmax(key))])
            members.append(pick)
            free[pick] = False
        return members

    # -- leftovers -------------------------------------------------------------------------

    def place_leftovers(self) -> None:
        """Insert, then eject-and-insert, then group the leftovers, while anything changes."""
        changed = True
        while changed and len(self.unassigned()):
            changed = False
            for u in sorted(self.unassigned().tolist(), key=lambda i: self.avail[i].bit_count()):
                if self.insert(u) or self.eject_for(u):
                    changed = True
            before = len(self.groups)
            self.construct(self.unassigned())
            changed |= len(self.groups) > before
            if not changed and len(self.unassigned()) and self.regroup_with_spares():
                changed = True

    def regroup_with_spares(self) -> bool:
        """New groups, each seeded by a leftover, of leftovers and spare members (one per
        group above the minimum size that stays valid without them); ``True`` if any."""
        left = self.unassigned().tolist()
        if not left:
            return False
        reach = 0
        for u in left:
            reach |= self.avail[u]
        spare_of: dict[int, int] = {}
        for g, members in enumerate(self.groups):
            if len(members) > self.config.min_size:
                for b in members:
                    rest = [m for m in members if m != b]
                    if self.avail[b] & reach and self.valid(rest):
                        spare_of[b] = g
                        break
        free = np.zeros(self.n, dtype=bool)
        free[left] = True
        free[list(spare_of)] = True
        formed = False
        for u in sorted(left, key=lambda i: self.avail[i].bit_count()):
            if not free[u]:
                continue
            free[u] = False
            members = self.grow([u], free, self.config.target_size)
            if len(members) >= self.config.min_size and self.valid(members):
                for b in members:
                    if b in spare_of:
                        g = spare_of.pop(b)
                        self.groups[g] = [m for m in self.groups[g] if m != b]
                self.add_group(members)
                formed = True
            else:
                free[members[1:]] = True
        return formed

    def insert(self, u: int) -> bool:
        best, best_score = None, -1.0
        for g, members in enumerate(self.groups):
            if len(members) < self.config.max_size and self.valid([*members, u]):
                score = self.score_of([*members, u])
                if score > best_score + EPS:
                    best, best_score = g, score
        if best is None:
            return False
        self.groups[best] = sorted([*self.groups[best], u])
        self.group_of[u] = best
        return True

    def eject_for(self, u: int) -> bool:
        """Place ``u`` in a group by moving one of its members to another group with room."""
        for g, members in enumerate(self.groups):
            for b in members:
                rest = [m for m in members if m != b]
                if not self.valid([*rest, u]):
                    continue
                for h, others in enumerate(self.groups):
                    if h != g and len(others) < self.config.max_size and self.valid([*others, b]):
                        self.groups[g] = sorted([*rest, u])
                        self.groups[h] = sorted([*others, b])
                        self.group_of[u], self.group_of[b] = g, h
                        return True
        return False

    # -- local search ----------------------------------------------------------------------

    def local_search(self) -> int:
        """Apply improving swaps and moves until none is left or the passes run out; returns
        the number applied."""
        G = len(self.groups)
        if G < 2:
            return 0
        cfg = self.config
        n = self.n
        member_matrix = np.zeros((n, G))
        for g, members in enumerate(self.groups):
            member_matrix[members, g] = 1.0
        self.GS = self.P @ member_matrix
        self.gsize = np.array([len(m) for m in self.groups], dtype=np.float64)
        self.gsum = np.array([self.GS[m, g].sum() / 2 for g, m in enumerate(self.groups)])
        self.C = np.array([words(self.common(m)) for m in self.groups], dtype=np.uint64)
        self.CW = np.zeros((n, WORDS), dtype=np.uint64)
        for g in range(G):
            self.refresh(g)
        applied = 0
        for _ in range(cfg.search_passes):
            improved = False
            scores = self.gsum / pairs(self.gsize)
            placed = np.flatnonzero(self.group_of >= 0).tolist()
            for a in sorted(placed, key=lambda i: scores[self.group_of[i]]):
                if self.improve(a):
                    improved = True
                    applied += 1
            if not improved:
                break
        return applied

    def refresh(self, g: int) -> None:
        members = self.groups[g]
        self.GS[:, g] = self.P[:, members].sum(axis=1)
        self.gsize[g] = len(members)
        self.gsum[g] = self.GS[members, g].sum() / 2
        self.C[g] = words(self.common(members))
        for i in members:
            self.CW[i] = words(self.common([j for j in members if j != i]))

    def improve(self, a: int) -> bool:
        cfg = self.config
        A = int(self.group_of[a])
        scores = self.gsum / pairs(self.gsize)
        total = scores.sum()
        order = np.argsort(scores, kind="stable")
        low = np.full(3, np.inf)
        low_index = np.full(3, -1)
        low[: min(3, len(order))] = scores[order[:3]]
        low_index[: min(3, len(order))] = order[:3]
        current_min = low[0]
        sa = self.gsize[A]

        def others_min(B):
            return np.where(
                (low_index[0] != A) & (low_index[0] != B),
                low[0],
                np.where((low_index[1] != A) & (low_index[1] != B), low[1], low[2]),
            )

        # swaps a <-> b for every b in another group
        b = np.flatnonzero((self.group_of >= 0) & (self.group_of != A))
        B = self.group_of[b]
        new_a = (self.gsum[A] - self.GS[a, A] + self.GS[b, A] - self.P[b, a]) / pairs(sa)
        new_b = (self.gsum[B] - self.GS[b, B] + self.GS[a, B] - self.P[a, b]) / pairs(self.gsize[B])
        feasible = (self.CW[a] & self.W[b]).any(axis=1) & (self.CW[b] & self.W[a]).any(axis=1)
        swap_min = np.minimum(others_min(B), np.minimum(new_a, new_b))
        swap_total = total - scores[A] - scores[B] + new_a + new_b
        candidates = [
            (float(swap_min[k]), float(swap_total[k]), int(b[k]), int(B[k]))
            for k in np.flatnonzero(
                feasible & self._better(swap_min, swap_total, current_min, total)
            )
        ]
        # moves a -> H for every other group H with room
        if sa > cfg.min_size:
            H = np.flatnonzero((self.gsize < cfg.max_size) & (np.arange(len(self.groups)) != A))
            H = H[(self.C[H] & self.W[a]).any(axis=1)]
            moved_a = (self.gsum[A] - self.GS[a, A]) / pairs(sa - 1)
            new_h = (self.gsum[H] + self.GS[a, H]) / pairs(self.gsize[H] + 1)
            move_min = np.minimum(others_min(H), np.minimum(moved_a, new_h))
            move_total = total - scores[A] - scores[H] + moved_a + new_h
            better = self._better(move_min, move_total, current_min, total)
            candidates += [
                (float(move_min[k]), float(move_total[k]), -1, int(H[k]))
                for k in np.flatnonzero(better)
            ]
        candidates.sort(key=lambda c: (-c[0], -c[1], c[2], c[3]))
        for _, _, other, target in candidates[: 60 if self.mixed else 20]:
            new_A = [m for m in self.groups[A] if m != a] + ([other] if other >= 0 else [])
            new_T = [m for m in self.groups[target] if m != other] + [a]
            if self.valid(new_A) and self.valid(new_T):
                self.groups[A], self.groups[target] = sorted(new_A), sorted(new_T)
                self.group_of[a] = target
                if other >= 0:
                    self.group_of[other] = A
                self.refresh(A)
                self.refresh(target)
                return True
        return False

    @staticmethod
    def _better(new_min, new_total, current_min, total):
        return (new_min > current_min + EPS) | (
            (new_min >= current_min - EPS) & (new_total > total + EPS)
        )


# Small chunks are cheap: several constructions (the first in plain scarcest-first order,
# the others perturbed) are searched and the best kept, which places more people.
RESTART_BUDGET = 800


def solve_chunk(
    people: Sequence[Participant], config: Config, seed: int, mixed: bool = False
) -> tuple[list[list[int]], list[int]]:
    """Groups (lists of participant ids) and leftover ids of one chunk (``mixed`` when its
    people may differ in language or mode)."""
    restarts = 1 if len(people) > 40 else max(1, min(40, RESTART_BUDGET // max(len(people), 1)))
    best = None
    for attempt in range(restarts):
        search = ChunkSearch(people, config, seed + attempt, mixed)
        search.jitter = 0.0 if attempt == 0 else 1.0
        search.construct(np.arange(search.n))
        search.place_leftovers()
        search.local_search()
        search.place_leftovers()
        scores = [search.score_of(members) for members in search.groups]
        key = (
            sum(map(len, search.groups)),
            min(scores, default=0.0),
            float(np.mean(scores)) if scores else 0.0,
        )
        if best is None or key > best[0]:
            best = (key, search)
    assert best is not None  # at least one seed was searched
    search = best[1]
    ids = [p.id for p in search.people]
    groups = [sorted(ids[i] for i in members) for members in search.groups]
    return groups, sorted(ids[i] for i in search.unassigned().tolist())
