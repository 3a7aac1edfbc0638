"""Exact peer groups for small instances (≤ 30 participants) with CP-SAT.

Same hard constraints as :func:`~.formation.form_groups`, same lexicographic objective, in
phases: (0) the most people placed; then, for every possible number of groups ``k`` — the
mean is over groups, so it is only linear once ``k`` is fixed — (1) the best worst-group
score ``t``, (2) with ``t`` fixed, the best sum of scores; the best ``(t, sum / k)`` wins.
Scores are integers: pair scores × 1,000, a group's score ``sc`` bounded by its pair sum
divided by its number of pairs (``C_m × sc ≤ S`` for the size ``m`` it has), so the optimum
is exact to 1e-3 against the real-valued scores.
Used by :func:`~.formation.form_groups` on chunks of at most ``Config.exact_up_to`` people
(:func:`exact_groups`: a short deterministic budget, the heuristic's groups as a hint), and,
with a longer limit, by the bench for the gap study and by tests as an oracle.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import ModuleType
from typing import TYPE_CHECKING

import numpy as np

from .model import AVAILABILITY_SLOTS, Config, Formation, Mode, Participant, Unplaced
from .reasons import ReasonIndex
from .rules import describe, pair_scores

SCALE = 1000
EXACT_LIMIT = 30
# Production: the share of the budget left after the placement phase spent on the worst score.
WORST_SHARE = 0.8
DEFAULT_CONFIG = Config()

if TYPE_CHECKING:
    from ortools.sat.python import cp_model


def _cp_model() -> ModuleType:
    """CP-SAT, imported when a model is first solved rather than with this module: it pulls
    in pandas (half a second and tens of megabytes), which the web pages that only import the
    engines' data types never need."""
    from ortools.sat.python import cp_model

    return cp_model


def preload() -> None:
    """Import CP-SAT now, in a process about to fork workers: they inherit it instead of
    importing it each (about a second of CPU per worker and formation, issue #16)."""
    _cp_model()


def solve_exact(
    participants: Sequence[Participant], config: Config = DEFAULT_CONFIG, time_limit: float = 30.0
) -> Formation:
    """The optimal formation of ``participants`` (at most :data:`EXACT_LIMIT`); ``stats``
    says whether every phase was proven optimal within ``time_limit`` seconds each."""
    people = list(participants)
    if len(people) > EXACT_LIMIT:
        raise ValueError(f"the exact solver takes at most {EXACT_LIMIT} participants")
    groups, proven = _optimise(people, config, _Limits(time_limit))
    groups = groups or []
    described = tuple(
        describe(g, [people[i] for i in members], config.weights)
        for g, members in enumerate(groups)
    )
    placed = {people[i].id for members in groups for i in members}
    left = sorted(p.id for p in people if p.id not in placed)
    index = ReasonIndex(people) if left else None
    scores = [g.score for g in described]
    return Formation(
        groups=described,
        unplaced=tuple(Unplaced(i, index.reason(i, config)) for i in left) if index else (),
        worst_score=min(scores) if scores else 0.0,
        mean_score=float(np.mean(scores)) if scores else 0.0,
        stats={"optimal": int(proven)},
    )


def exact_groups(
    people: Sequence[Participant], config: Config, hint: Sequence[Sequence[int]] = ()
) -> list[list[int]] | None:
    """Groups (indices into ``people``) found by CP-SAT within ``config.exact_time_limit``
    units of deterministic time in all, starting from ``hint`` (valid groups, e.g. the
    heuristic's); ``None`` when it found nothing. One worker, a fixed seed and no wall-clock
    limit: the same input gives the same groups on any machine, however loaded."""
    people = list(people)
    if len(people) > EXACT_LIMIT or config.exact_time_limit <= 0:
        return None
    limits = _Limits(config.exact_time_limit, total=config.exact_time_limit, seed=config.seed)
    groups, _ = _optimise(people, config, limits, [sorted(g) for g in hint])
    return groups


class _Limits:
    """Time limits: ``seconds`` of wall clock per solve (the oracle, 2 workers), or, with
    ``total``, a deterministic budget shared by all the solves (production, 1 worker)."""

    def __init__(self, seconds: float, total: float | None = None, seed: int = 0):
        self.seconds = seconds
        self.left = total
        self.seed = seed

    def solver(self, share: float = 1.0) -> cp_model.CpSolver:
        solver = _cp_model().CpSolver()
        solver.parameters.random_seed = self.seed % (2**31)
        if self.left is None:
            solver.parameters.max_time_in_seconds = self.seconds
            solver.parameters.num_workers = 2
        else:
            budget = max(self.left * share, 1e-3)
            solver.parameters.num_workers = 1
            solver.parameters.max_deterministic_time = budget
        return solver

    def spent(self, solver: cp_model.CpSolver) -> None:
        if self.left is not None:
            self.left = max(0.0, self.left - solver.deterministic_time)

    @property
    def exhausted(self) -> bool:
        return self.left is not None and self.left <= 1e-3


def _optimise(people, config, limits, hint=()):
    """``(groups, proven)``: the best groups found (``None`` when none) and whether every
    phase was proven optimal."""
    n = len(people)
    if not n:
        return [], True
    hint = sorted((sorted(g) for g in hint), key=lambda g: g[0])
    placed_target, proven = _max_placed(people, config, limits, hint)
    if placed_target is None:
        return None, False
    if not placed_target:
        return [], proven
    hinted = sum(map(len, hint)) == placed_target
    if limits.left is not None:
        # Production: the best worst score over any number of groups in one model, then the
        # best sum with that many groups and that worst score.
        # Only groups at least as good as the hint's are worth finding: its worst score is
        # the floor, so the search spends its budget above it.
        found = _solve_k(
            people,
            config,
            None,
            placed_target,
            limits,
            WORST_SHARE,
            hint if hinted else (),
            _hint_worst(people, config, hint) if hinted else 0,
        )
        if not found:
            return (hint if hinted else None), False
        groups, worst, _, proven = found
        if not (hinted and _hint_worst(people, config, hint) >= round(worst * SCALE)):
            # The worst score rose above the hint's: the sum is sought from the new groups.
            # Otherwise the hint stays, and the best sum with as many groups as it has can
            # only improve on its mean.
            hint = sorted(groups, key=lambda g: g[0])
        better = _solve_k(
            people, config, len(hint), placed_target, limits, 1.0, hint, round(worst * SCALE)
        )
        return (better[0] if better else hint), proven and bool(better) and better[3]
    low = -(-placed_target // config.max_size)
    high = placed_target // config.min_size
    ks = sorted(range(low, high + 1), key=lambda k: (not (hinted and k == len(hint)), k))
    best = None
    for done, k in enumerate(ks):
        if limits.exhausted:
            proven = False
            break
        share = 1.0 / (len(ks) - done)
        start = hint if hinted and k == len(hint) else ()
        found = _solve_k(people, config, k, placed_target, limits, share, start)
        if found is None:  # no partition into k groups: proven
            continue
        if found is False:
            proven = False
            continue
        groups, worst, total, ok = found
        proven &= ok
        key = (worst, total / k)
        if best is None or key > best[0]:
            best = (key, groups)
    return (best[1] if best else None), proven


def _add_hint(model, x, used, chosen_of, hint):
    """Hint every variable of :func:`_base` from ``hint`` (valid groups, sorted by their first
    member): a complete hint is a first solution CP-SAT checks at once, so the search starts
    from the heuristic's groups instead of rediscovering them (a hint on the memberships
    alone was often lost, leaving CP-SAT below the heuristic when its budget ran out)."""
    member = {(p, g) for g, members in enumerate(hint) for p in members}
    for key, var in x.items():
        model.add_hint(var, key in member)
    for g, var in enumerate(used):
        model.add_hint(var, g < len(hint))
    for (_kind, g), chosen in chosen_of.items():
        members = hint[g] if g < len(hint) else ()
        taken = False
        for var, accepts in chosen:
            take = bool(members) and not taken and all(accepts[p] for p in members)
            taken |= take
            model.add_hint(var, take)


def _slots(people, config) -> list[int]:
    """The weekly hours a group may choose: one per distinct set of people free then, and
    none whose people are all free at another such hour too (it allows no group that the
    other does not). The pages' grid gives three identical hours per slot: this keeps the
    model a few times smaller without changing what it allows."""
    first_of: dict[int, int] = {}
    for h in range(AVAILABILITY_SLOTS):
        free = sum(1 << p for p, person in enumerate(people) if person.availability >> h & 1)
        if free.bit_count() >= config.min_size:
            first_of.setdefault(free, h)
    return sorted(
        h
        for free, h in first_of.items()
        if not any(other != free and other & free == free for other in first_of)
    )


def _hint_worst(people, config, hint) -> int:
    """The worst group's score of ``hint`` as the model counts it (integer pair scores)."""
    value = np.rint(pair_scores(people, config.weights) * SCALE).astype(int)
    worst = SCALE
    for members in hint:
        total = sum(int(value[p, q]) for a, p in enumerate(members) for q in members[a + 1 :])
        worst = min(worst, total // (len(members) * (len(members) - 1) // 2))
    return worst


def _base(people, config, k, exact_size: bool):
    model = _cp_model().CpModel()
    n = len(people)
    x = {(p, g): model.new_bool_var(f"x{p}_{g}") for p in range(n) for g in range(k) if g <= p}
    for p in range(n):
        model.add(sum(x[p, g] for g in range(k) if (p, g) in x) <= 1)
    used = [model.new_bool_var(f"used{g}") for g in range(k)]
    for g in range(k):
        size = sum(x[p, g] for p in range(n) if (p, g) in x)
        model.add(size >= config.min_size * used[g])
        model.add(size <= config.max_size * used[g])
        if exact_size:
            model.add(used[g] == 1)
        if g:
            model.add(used[g] <= used[g - 1])
    options: dict[str, Sequence[tuple[object, Callable[..., object]]]] = {
        "slot": [(h, lambda p, h=h: p.availability >> h & 1) for h in _slots(people, config)],
        "language": [
            (code, lambda p, code=code: code in p.languages)
            for code in sorted({c for p in people for c in p.languages})
        ],
        "meeting": [("video", lambda p: Mode.VIDEO in p.mode)]
        + [
            (place, lambda p, place=place: Mode.IN_PERSON in p.mode and p.place == place)
            for place in sorted({p.place for p in people if Mode.IN_PERSON in p.mode and p.place})
        ],
        "cohort": [
            (cohort, lambda p, cohort=cohort: p.cohort == cohort)
            for cohort in sorted({p.cohort for p in people}, key=lambda c: (c is None, c or ""))
        ],
    }
    chosen_of: dict[tuple[str, int], list[tuple[object, list[bool]]]] = {}
    for kind, choices in options.items():
        accepted = [[bool(accepts(person)) for person in people] for _, accepts in choices]
        for g in range(k):
            chosen = [model.new_bool_var(f"{kind}{g}_{j}") for j in range(len(choices))]
            model.add(sum(chosen) >= used[g])
            chosen_of[kind, g] = list(zip(chosen, accepted, strict=True))
            for var, accepts in chosen_of[kind, g]:
                for p in range(n):
                    if (p, g) in x and not accepts[p]:
                        model.add(x[p, g] + var <= 1)
    for p, person in enumerate(people):
        if person.avoid_isolation:
            peers = [
                q
                for q, other in enumerate(people)
                if q != p and other.attribute == person.attribute
            ]
            for g in range(k):
                if (p, g) in x:
                    model.add(x[p, g] <= sum(x[q, g] for q in peers if (q, g) in x))
    return model, x, used, chosen_of


def _max_placed(people, config, limits, hint):
    """The most people placed, and whether it is proven; ``(None, False)`` when the time ran
    out before any solution (``(0, True)`` when no group is possible)."""
    sat = _cp_model()
    k = len(people) // config.min_size
    if k == 0:
        return 0, True
    model, x, used, chosen_of = _base(people, config, k, exact_size=False)
    model.maximize(sum(x.values()))
    if hint:
        _add_hint(model, x, used, chosen_of, hint)
    solver = limits.solver(share=1 / 3)
    status = solver.solve(model)
    limits.spent(solver)
    if status == sat.INFEASIBLE:
        return 0, True
    if status not in (sat.OPTIMAL, sat.FEASIBLE):
        return None, False
    return round(solver.objective_value), status == sat.OPTIMAL


def _solve_k(people, config, k, placed, limits, share=1.0, hint=(), floor=0):
    """Best worst score, then best sum, with ``k`` groups (``None``: any number, the worst
    only); ``None`` when infeasible, ``False`` when the time ran out before any solution,
    else ``(groups, worst, sum, proven)``."""
    sat = _cp_model()
    n = len(people)
    free = k is None
    if free:
        k = placed // config.min_size
    model, x, used, chosen_of = _base(people, config, k, exact_size=not free)
    model.add(sum(x.values()) == placed)
    value = np.rint(pair_scores(people, config.weights) * SCALE).astype(int)
    sizes = range(config.min_size, config.max_size + 1)
    scores = []
    group_of = {p: g for g, members in enumerate(hint) for p in members}
    for g in range(k):
        members = [p for p in range(n) if (p, g) in x]
        pair_terms = []
        for a_i, p in enumerate(members):
            for q in members[a_i + 1 :]:
                z = model.new_bool_var(f"z{p}_{q}_{g}")
                model.add(z <= x[p, g])
                model.add(z <= x[q, g])
                pair_terms.append(int(value[p, q]) * z)
                if hint:
                    model.add_hint(z, group_of.get(p) == g == group_of.get(q))
        size_is = {m: model.new_bool_var(f"s{g}_{m}") for m in sizes}
        model.add(sum(size_is.values()) == used[g])
        model.add(sum(x[p, g] for p in members) == sum(m * v for m, v in size_is.items()))
        score = model.new_int_var(0, SCALE, f"sc{g}")
        for m, flag in size_is.items():
            model.add(m * (m - 1) // 2 * score <= sum(pair_terms)).only_enforce_if(flag)
        scores.append(score)
        if hint:
            size = len(hint[g]) if g < len(hint) else 0
            for m, flag in size_is.items():
                model.add_hint(flag, m == size)
            model.add_hint(score, _hint_worst(people, config, [hint[g]]) if size else 0)
    worst = model.new_int_var(floor, SCALE, "worst")
    for g, score in enumerate(scores):
        model.add(worst <= score).only_enforce_if(used[g])
    model.maximize(worst)
    if hint:
        _add_hint(model, x, used, chosen_of, hint)
        model.add_hint(worst, _hint_worst(people, config, hint))
    solver = limits.solver(share=share if free else share * 2 / 3)
    status = solver.solve(model)
    limits.spent(solver)
    if status == sat.INFEASIBLE:
        return None
    if status not in (sat.OPTIMAL, sat.FEASIBLE):
        return False
    proven = status == sat.OPTIMAL
    best_worst = round(solver.value(worst))
    if free:
        groups = [[p for p in range(n) if (p, g) in x and solver.value(x[p, g])] for g in range(k)]
        groups = [g for g in groups if g]
        return groups, best_worst / SCALE, None, proven
    model.add(worst >= best_worst)
    model.maximize(sum(scores))
    model.clear_hints()
    for index in range(len(model.proto.variables)):
        var = model.get_int_var_from_proto_index(index)
        model.add_hint(var, solver.value(var))
    first = solver
    solver = limits.solver(share=share)
    status = solver.solve(model)
    limits.spent(solver)
    if status not in (sat.OPTIMAL, sat.FEASIBLE):  # pragma: no cover - timing
        # Out of time before improving the sum: the first phase's groups stand.
        groups = [[p for p in range(n) if (p, g) in x and first.value(x[p, g])] for g in range(k)]
        return groups, best_worst / SCALE, sum(first.value(s) for s in scores) / SCALE, False
    proven &= status == sat.OPTIMAL
    groups = [[p for p in range(n) if (p, g) in x and solver.value(x[p, g])] for g in range(k)]
    return groups, best_worst / SCALE, sum(solver.value(s) for s in scores) / SCALE, proven
