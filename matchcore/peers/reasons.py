"""Why a participant could not be placed: the first hard constraint that leaves them without
enough compatible others (``min_size - 1``), checked in order cohort → language → mode and
place → a common hour → the attribute rule; NO_ROOM when compatible people exist but every
arrangement the engine found left this person out."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .model import AVAILABILITY_SLOTS, Config, Mode, Participant, UnplacedReason


class ReasonIndex:
    """The population as arrays, built once, to explain many unplaced people quickly."""

    def __init__(self, people: Sequence[Participant]):
        self.people = list(people)
        self.position = {p.id: i for i, p in enumerate(self.people)}
        cohorts = {c: k for k, c in enumerate(sorted({p.cohort or "" for p in people}))}
        codes = sorted({code for p in people for code in p.languages})
        languages = {code: k for k, code in enumerate(codes)}
        places = {code: k for k, code in enumerate(sorted({p.place for p in people}))}
        self.cohort = np.array([cohorts[p.cohort or ""] for p in people], dtype=np.int64)
        self.has_cohort = np.array([p.cohort is not None for p in people])
        # Python ints: an organisation may list more than 64 languages.
        self.languages = [sum(1 << languages[c] for c in p.languages) for p in people]
        self.video = np.array([Mode.VIDEO in p.mode for p in people])
        self.in_person = np.array([Mode.IN_PERSON in p.mode for p in people])
        self.place = np.array([places[p.place] for p in people], dtype=np.int64)
        raw = b"".join(p.availability.to_bytes(AVAILABILITY_SLOTS // 8, "little") for p in people)
        self.slots = np.unpackbits(
            np.frombuffer(raw, dtype=np.uint8).reshape(len(people), -1), axis=1, bitorder="little"
        ).astype(bool)
        self.attribute = [p.attribute for p in people]

    def reason(self, person_id: int, config: Config) -> UnplacedReason:
        i = self.position[person_id]
        person = self.people[i]
        needed = config.min_size - 1
        others = (self.cohort == self.cohort[i]) & (self.has_cohort == self.has_cohort[i])
        others[i] = False
        if others.sum() < needed:
            return UnplacedReason.COHORT_TOO_SMALL
        candidates = np.flatnonzero(others)
        speaks = np.array([self.languages[j] & self.languages[i] != 0 for j in candidates.tolist()])
        candidates = candidates[speaks] if len(candidates) else candidates
        if len(candidates) < needed:
            return UnplacedReason.NO_COMMON_LANGUAGE
        meets = np.zeros(len(candidates), dtype=bool)
        if self.video[i]:
            meets |= self.video[candidates]
        if self.in_person[i] and person.place:
            meets |= self.in_person[candidates] & (self.place[candidates] == self.place[i])
        candidates = candidates[meets]
        if len(candidates) < needed:
            return UnplacedReason.NO_COMPATIBLE_MODE
        counts = self.slots[candidates][:, self.slots[i]].sum(axis=0)
        good_slots = np.flatnonzero(self.slots[i])[counts >= needed]
        if len(good_slots) == 0:
            return UnplacedReason.NO_COMMON_SLOT
        if person.avoid_isolation:
            reachable = candidates[self.slots[candidates][:, good_slots].any(axis=1)]
            if not any(self.attribute[j] == person.attribute for j in reachable.tolist()):
                return UnplacedReason.ATTRIBUTE_ISOLATED
        return UnplacedReason.NO_ROOM
