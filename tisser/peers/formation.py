"""Adapter between peer-group models and the engine (`matchcore.peers`): preferences in,
frozen engine participants out; engine groups back as rows the pages can show.

Reads only. The engine gets user ids and never a name. The availability grid of the pages
(7 days × morning / afternoon / evening) becomes the engine's weekly hours: a slot stands for
its three hours (9–12 h, 14–17 h, 18–21 h), so "a common hour" is a common slot."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from matchcore.peers.formation import form_groups
from matchcore.peers.model import (
    Config,
    Factor,
    Formation,
    Group,
    Mode,
    Participant,
    ProjectType,
    Repair,
    Rhythm,
    Stage,
    UnplacedReason,
    hours,
    slot_label,
)
from matchcore.peers.repair import repair
from matchcore.peers.rules import describe, violations
from tisser.mentoring.models import DaySlot, availability_bit
from tisser.peers.models import PeerGroup, PeerGroupMember, PeerMode, PeerProfile
from tisser.peers.models import ProjectType as ProjectChoice
from tisser.peers.models import Rhythm as RhythmChoice
from tisser.peers.models import Stage as StageChoice
from tisser.referentiel.models import SecteurActivite

SLOT_HOURS = {DaySlot.MORNING: (9, 12), DaySlot.AFTERNOON: (14, 17), DaySlot.EVENING: (18, 21)}
STAGE = {
    StageChoice.EXPLORING: Stage.EXPLORING,
    StageChoice.PROJECT_DEFINED: Stage.PROJECT_DEFINED,
    StageChoice.IN_TRAINING: Stage.IN_TRAINING,
    StageChoice.LAUNCHING: Stage.LAUNCHING,
}
PROJECT = {choice: ProjectType(choice.value) for choice in ProjectChoice}
RHYTHM = {choice: Rhythm(choice.value) for choice in RhythmChoice}
MODE = {
    PeerMode.VIDEO: Mode.VIDEO,
    PeerMode.IN_PERSON: Mode.IN_PERSON,
    PeerMode.EITHER: Mode.EITHER,
}
DEFAULT_LANGUAGES = ("fr",)

FACTOR_LABELS = {
    Factor.STAGE: _("Une étape du projet proche"),
    Factor.RHYTHM: _("Le même rythme d'engagements"),
    Factor.DIRECTION: _("Une même direction (type de projet)"),
    Factor.SECTORS: _("Des secteurs variés, des regards différents"),
}
UNPLACED_LABELS = {
    UnplacedReason.COHORT_TOO_SMALL: _("Trop peu de personnes dans sa promotion pour un groupe"),
    UnplacedReason.NO_COMMON_LANGUAGE: _("Pas assez de personnes parlant une langue commune"),
    UnplacedReason.NO_COMPATIBLE_MODE: _(
        "Pas assez de personnes pouvant se réunir de la même façon (visio, ou sur place dans "
        "son département)"
    ),
    UnplacedReason.NO_COMMON_SLOT: _("Aucun créneau hebdomadaire commun avec assez de personnes"),
    # Naming the reason would tell the coordination that this person declared a private
    # situation: the label says only what she can act on.
    UnplacedReason.ATTRIBUTE_ISOLATED: _("Pas de groupe compatible"),
    UnplacedReason.NO_ROOM: _("Plus de place dans les groupes compatibles"),
}
DAY_NAMES = {
    "mon": _("lundi"),
    "tue": _("mardi"),
    "wed": _("mercredi"),
    "thu": _("jeudi"),
    "fri": _("vendredi"),
    "sat": _("samedi"),
    "sun": _("dimanche"),
}


@functools.cache
def weekly_hours(grid: int) -> int:
    """The engine's hour bitset of a 7 × 3 availability grid."""
    bits = 0
    for day in range(7):
        for slot in DaySlot:
            if grid & availability_bit(day, slot.value):
                start, end = SLOT_HOURS[slot]
                bits |= hours(day, start, end)
    return bits


RULE_FIELDS = (
    "user_id",
    "availability",
    "languages",
    "stage",
    "project_type",
    "rhythm",
    "mode",
    "departement",
    "attribute",
    "avoid_isolation",
    "cohort",
)


def participant(profile: PeerProfile) -> Participant:
    """The engine's view of a person's preferences (sectors as codes; the private attribute
    is passed on, never shown)."""
    return participant_of(
        **{name: getattr(profile, name) for name in RULE_FIELDS},
        sectors=[sector.code for sector in sectors_of(profile)],
    )


def participant_of(
    *,
    user_id: int,
    availability: int,
    languages,
    stage: str,
    project_type: str,
    rhythm: str,
    mode: str,
    departement: str,
    attribute: str,
    avoid_isolation: bool,
    cohort: str,
    sectors: Iterable = (),
) -> Participant:
    """`participant` from a profile's values (`RULE_FIELDS`) and its sector codes."""
    engine_mode = MODE[PeerMode(mode)]
    if engine_mode is Mode.IN_PERSON and not departement:
        engine_mode = Mode.VIDEO  # the preferences page refuses it; an old row must not crash
    return Participant(
        id=user_id,
        availability=weekly_hours(availability),
        languages=tuple(languages) or DEFAULT_LANGUAGES,
        stage=STAGE[StageChoice(stage)],
        project_type=PROJECT[ProjectChoice(project_type)],
        sectors=frozenset(str(code) for code in sectors),
        rhythm=RHYTHM[RhythmChoice(rhythm)],
        mode=engine_mode,
        place=departement,
        attribute=" ".join(attribute.split()).casefold() or None,
        avoid_isolation=avoid_isolation and bool(attribute.strip()),
        cohort=cohort or None,
    )


# The sectors of many profiles at once: as a list on each (`sector_list`), because Django
# filters a copy of the prefetch query (its IN over every profile) for each profile read
# through the manager, quadratic over a few hundred profiles (issue #16).
SECTORS = Prefetch("sectors", queryset=SecteurActivite.objects.all(), to_attr="sector_list")


def sectors_of(profile: PeerProfile):
    """A profile's sectors, from `SECTORS` when it was prefetched so."""
    listed = getattr(profile, "sector_list", None)
    return listed if listed is not None else profile.sectors.all()


def rule_participants(organisation, user_ids) -> dict[int, Participant]:
    """The engine's view of these people for checking the hard constraints only (sizes,
    cohort, hour, language, way to meet, attribute), by user id: one query of plain values,
    without their sectors, which only the score needs (a formation's review checks every
    group and every move; issue #16)."""
    rows = PeerProfile.objects.filter(organisation=organisation, user_id__in=list(user_ids)).values(
        *RULE_FIELDS
    )
    return {row["user_id"]: participant_of(**row) for row in rows}


def participants(profiles: Iterable[PeerProfile]) -> list[Participant]:
    return [participant(profile) for profile in profiles]


def profiles_of(organisation, user_ids) -> list[PeerProfile]:
    return list(
        PeerProfile.objects.filter(organisation=organisation, user_id__in=list(user_ids))
        .prefetch_related(SECTORS)
        .order_by("user_id")
    )


def formation_compute(
    profiles: list[PeerProfile],
    config: Config | None = None,
    progress: Callable[[float], None] | None = None,
) -> Formation:
    """The engine's groups for `profiles`; `progress` hears the share solved (0 to 1)."""
    return form_groups(participants(profiles), config or Config(), progress=progress)


def group_participants(group: PeerGroup) -> list[Participant]:
    users = group.members.exclude(status=PeerGroupMember.Status.LEFT).values_list(
        "user_id", flat=True
    )
    return participants(profiles_of(group.organisation, users))


def group_check(group: PeerGroup, config: Config | None = None) -> list[str]:
    """The hard constraints the group breaks now (after a move, a leaver), as codes."""
    return [
        violation.value for violation in violations(group_participants(group), config or Config())
    ]


def engine_group(group: PeerGroup, config: Config | None = None) -> Group:
    """A stored group as the engine describes it (key = the group's id)."""
    config = config or Config()
    return describe(group.pk, group_participants(group), config.weights)


def repair_compute(
    groups: list[PeerGroup],
    *,
    leaving: Iterable[int] = (),
    arriving: list[PeerProfile] = (),
    config: Config | None = None,
) -> Repair:
    """Fix `groups` (stored, active) after `leaving` user ids left and `arriving` profiles
    came, with the fewest moves (see `matchcore.peers.repair`)."""
    config = config or Config()
    current = [engine_group(group, config) for group in groups]
    members = {user_id for group in current for user_id in group.members}
    people = participants(profiles_of(groups[0].organisation, members)) if groups else []
    return repair(
        current,
        people,
        leaving=tuple(leaving),
        arriving=participants(arriving),
        config=config,
    )


def explanation_rows(group: Group) -> list[dict]:
    """A group's reasons as JSON-ready rows: shared weekly hours (as "mardi 18 h"), meeting
    mode, language and its soft criteria with their value."""
    slots = []
    bits, position = group.common_slots, 0
    while bits and len(slots) < 6:
        if bits & 1:
            day, hour = slot_label(position)
            slots.append({"day": day, "hour": hour})
        bits >>= 1
        position += 1
    return [
        {"kind": "slots", "slots": slots},
        {
            "kind": "meeting",
            "mode": int(group.mode),
            "place": group.place,
            "language": group.language,
        },
        *(
            {"kind": "factor", "factor": item.factor.value, "value": round(item.value, 4)}
            for item in group.factors
        ),
    ]


def explanation_labels(rows: list[dict]) -> list[str]:
    """Stored explanation rows as French sentences for the review page."""
    sentences = []
    for row in rows:
        if row.get("kind") == "slots" and row["slots"]:
            first = row["slots"][0]
            sentences.append(
                str(_("Un créneau commun : %(day)s %(hour)s h"))
                % {"day": DAY_NAMES[first["day"]], "hour": first["hour"]}
            )
        elif row.get("kind") == "factor" and row["value"] > 0:
            sentences.append(
                f"{FACTOR_LABELS.get(row['factor'], row['factor'])} ({round(100 * row['value'])} %)"
            )
    return sentences
