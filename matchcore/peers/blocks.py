"""Partition a population into compatible blocks, then blocks into chunks a search can handle.

Everyone in a block shares a cohort, a language and a way to meet (video, or in person in one
département), so inside a block only the sizes, the common slot and the attribute rule remain
to be checked. Each person goes to the language of their cohort with the most speakers and to
video when they accept it (in person otherwise); a block too small to make a group then borrows
people who could also belong to it from large blocks. Blocks larger than ``block_size`` are cut
into chunks of people with similar weekly rhythms, stages and directions, so that the local
search stays fast (10,000 people in seconds) and sees the people most likely to fit together.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from .model import Config, Mode, Participant, hours

# Weekday mornings, lunch breaks, afternoons, evenings, and weekends.
BANDS = (
    sum(hours(day, 8, 12) for day in range(5)),
    sum(hours(day, 12, 14) for day in range(5)),
    sum(hours(day, 14, 18) for day in range(5)),
    sum(hours(day, 18, 23) for day in range(5)),
    hours(5, 0, 24) | hours(6, 0, 24),
)


MIXED = "*"


def _id(person: Participant) -> int:
    return person.id


@dataclass(frozen=True)
class BlockKey:
    cohort: str | None
    language: str
    mode: Mode
    place: str

    @property
    def mixed(self) -> bool:
        """Members may differ in language and mode: the search checks them itself."""
        return self.language == MIXED

    def admits(self, person: Participant) -> bool:
        if person.cohort != self.cohort or self.language not in person.languages:
            return False
        if self.mode is Mode.VIDEO:
            return Mode.VIDEO in person.mode
        return Mode.IN_PERSON in person.mode and person.place == self.place


def band(person: Participant) -> int:
    counts = [(person.availability & mask).bit_count() for mask in BANDS]
    return max(range(len(BANDS)), key=lambda i: (counts[i], -i))


def partition(
    people: Sequence[Participant], config: Config
) -> list[tuple[BlockKey, list[Participant]]]:
    """Compatible blocks, in a deterministic order; members sorted by id."""
    by_cohort: dict[str | None, list[Participant]] = defaultdict(list)
    for person in people:
        by_cohort[person.cohort].append(person)
    blocks: list[tuple[BlockKey, list[Participant]]] = []
    for cohort in sorted(by_cohort, key=lambda value: (value is not None, value or "")):
        members = by_cohort[cohort]
        if len(members) <= config.block_size:
            # Small enough for one search that checks languages and modes itself: splitting
            # by mode would separate in-person-only people from those who accept both.
            blocks.append((BlockKey(cohort, MIXED, Mode.EITHER, MIXED), sorted(members, key=_id)))
            continue
        speakers = Counter(code for person in members for code in set(person.languages))
        grouped: dict[BlockKey, list[Participant]] = defaultdict(list)
        for person in sorted(members, key=lambda p: p.id):
            language = min(person.languages, key=lambda code: (-speakers[code], code))
            if Mode.VIDEO in person.mode:
                key = BlockKey(cohort, language, Mode.VIDEO, "")
            else:
                key = BlockKey(cohort, language, Mode.IN_PERSON, person.place)
            grouped[key].append(person)
        _top_up_small_blocks(grouped, config)
        keys = sorted(grouped, key=lambda k: (k.language, int(k.mode), k.place))
        blocks.extend((key, grouped[key]) for key in keys if grouped[key])
    return blocks


def _top_up_small_blocks(grouped: dict[BlockKey, list[Participant]], config: Config) -> None:
    """A block too small for one group takes people who also fit it from blocks large enough
    to spare them (more than two full groups), up to the target size."""
    for key in sorted(grouped, key=lambda k: (k.language, int(k.mode), k.place)):
        block = grouped[key]
        if not 0 < len(block) < config.min_size:
            continue
        wanted = config.target_size - len(block)
        union_slots = 0
        for person in block:
            union_slots |= person.availability
        donors = [
            (other_key, person)
            for other_key, other in grouped.items()
            if other_key != key and len(other) > 2 * config.max_size
            for person in other
            if key.admits(person)
        ]
        donors.sort(
            key=lambda item: (-(item[1].availability & union_slots).bit_count(), item[1].id)
        )
        for other_key, person in donors[:wanted]:
            if len(grouped[other_key]) > 2 * config.max_size:
                grouped[other_key].remove(person)
                block.append(person)
        block.sort(key=lambda p: p.id)


def chunks(block: list[Participant], config: Config) -> list[list[Participant]]:
    """``block`` cut into near-equal chunks of at most ``config.block_size`` people, similar
    people (weekly band, stage, direction, rhythm) together."""
    if len(block) <= config.block_size:
        return [block]
    ordered = sorted(
        block,
        key=lambda p: (band(p), int(p.stage), p.project_type.value, p.rhythm.value, p.id),
    )
    count = -(-len(ordered) // config.block_size)
    bounds = [round(i * len(ordered) / count) for i in range(count + 1)]
    return [ordered[bounds[i] : bounds[i + 1]] for i in range(count)]
