"""Incremental repair: fix only the groups a leaver or an arrival touches, with few moves.

A leaver is taken out of their group. If the group is still valid, nothing else moves. If it
became too small or left someone isolated with their attribute, the cheapest fix wins: one
member taken from a group that can spare them (above the minimum, still valid without them)
— one move — else the group is dissolved and each remaining member joins the best valid group
with room (one move each; those no group can take wait). Arrivals join the best valid group
with room (one move each); arrivals left waiting form new groups among themselves when enough
of them fit together.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .model import Config, Group, Move, Participant, Repair, Unplaced
from .reasons import ReasonIndex
from .rules import describe, group_score, violations
from .search import ChunkSearch

DEFAULT_CONFIG = Config()


def repair(
    groups: Sequence[Group],
    participants: Sequence[Participant],
    *,
    leaving: Iterable[int] = (),
    arriving: Sequence[Participant] = (),
    config: Config = DEFAULT_CONFIG,
) -> Repair:
    """Repair ``groups`` after ``leaving`` (ids) left and ``arriving`` people came.

    ``participants`` describes every current member (and may include the arrivals). Groups
    not touched come back unchanged (same key, same members); the moves list every person
    whose group changed; arrivals and orphaned members without a place come back waiting,
    with a reason, to be passed again as arrivals next time.
    """
    by_id = {p.id: p for p in participants}
    by_id.update({p.id: p for p in arriving})
    leaving = set(leaving)
    members = {g.key: [i for i in g.members if i not in leaving] for g in groups}
    moves: list[Move] = [Move(i, g.key, None) for g in groups for i in g.members if i in leaving]
    touched = {g.key for g in groups if len(members[g.key]) != len(g.members)}
    waiting: list[int] = []

    def people(ids):
        return [by_id[i] for i in ids]

    def valid(ids):
        return not violations(people(ids), config)

    def best_home(person_id, exclude=()):
        options = [
            (group_score(people([*ids, person_id]), config.weights), -key, key)
            for key, ids in members.items()
            if key not in exclude and len(ids) < config.max_size and valid([*ids, person_id])
        ]
        return max(options)[2] if options else None

    for key in sorted(touched):
        ids = members[key]
        if not ids or valid(ids):
            continue
        donor = _steal(key, members, people, valid, config)
        if donor is not None:
            giver, person = donor
            members[giver].remove(person)
            ids.append(person)
            moves.append(Move(person, giver, key))
            touched.add(giver)
            continue
        for person in list(ids):
            ids.remove(person)
            home = best_home(person, exclude={key})
            if home is None:
                waiting.append(person)
                moves.append(Move(person, key, None))
            else:
                members[home].append(person)
                moves.append(Move(person, key, home))
                touched.add(home)
    for person in sorted(p.id for p in arriving):
        home = best_home(person)
        if home is None:
            waiting.append(person)
        else:
            members[home].append(person)
            moves.append(Move(person, None, home))
            touched.add(home)
    next_key = max((g.key for g in groups), default=-1) + 1
    if len(waiting) >= config.min_size:
        search = ChunkSearch(people(waiting), config, config.seed, mixed=True)
        search.construct(search.unassigned())
        search.place_leftovers()
        for found in search.groups:
            ids = [waiting[k] for k in found]
            members[next_key] = ids
            touched.add(next_key)
            arrived = {p.id for p in arriving}
            moves.extend(Move(i, None, next_key) for i in ids if i in arrived)
            # Orphans from a dissolved group already have a move to None: redirect it.
            moves = [
                Move(m.participant_id, m.from_group, next_key)
                if m.participant_id in ids and m.to_group is None and m.from_group is not None
                else m
                for m in moves
            ]
            next_key += 1
        placed = {i for key in members for i in members[key]}
        waiting = [i for i in waiting if i not in placed]
    previous = {g.key: g for g in groups}
    result = tuple(
        previous[key] if key not in touched else describe(key, people(ids), config.weights)
        for key, ids in sorted(members.items())
        if ids
    )
    index = ReasonIndex(list(by_id.values())) if waiting else None
    return Repair(
        groups=result,
        moves=tuple(moves),
        waiting=tuple(Unplaced(i, index.reason(i, config)) for i in sorted(waiting))
        if index
        else (),
    )


def _steal(key, members, people, valid, config):
    """The best (giver group, member) that completes group ``key`` in one move, or ``None``."""
    ids = members[key]
    options = []
    for giver, giver_ids in members.items():
        if giver == key or len(giver_ids) <= config.min_size:
            continue
        for person in giver_ids:
            rest = [i for i in giver_ids if i != person]
            if valid([*ids, person]) and valid(rest):
                options.append(
                    (group_score(people([*ids, person]), config.weights), -giver, -person)
                )
    if not options:
        return None
    _, giver, person = max(options)
    return -giver, -person
