"""Demo data for peer groups (`seed_demo`): ten beneficiaries of the "Promotion automne
2026" give their preferences — varied stage, project and sectors, mostly by video, sharing a
few weekly slots — so that a formation gives two or three groups and leaves one person out
with a reason (Yanis is free on Saturday mornings only, in person). One person declared a
private attribute and asked not to be its only holder; another shares it. Camille Roussel is
among them. Registered in `tisser.core.demo`. Safe to run twice: nothing is added when
Camille already has preferences. Goes through the services, as the pages do."""

from tisser.accounts.models import User
from tisser.core.demo import Demo, register
from tisser.core.enums import Role
from tisser.mentoring.models import DaySlot, availability_bit
from tisser.peers import services
from tisser.peers.models import PeerMode, PeerProfile, ProjectType, Rhythm, Stage
from tisser.peers.services.formation import peer_cohort_set
from tisser.referentiel.models import RomeVersion, SecteurActivite

COHORT = "Promotion automne 2026"

TUESDAY_EVENING = (1, DaySlot.EVENING)
WEDNESDAY_AFTERNOON = (2, DaySlot.AFTERNOON)
THURSDAY_EVENING = (3, DaySlot.EVENING)
THURSDAY_MORNING = (3, DaySlot.MORNING)
SATURDAY_MORNING = (5, DaySlot.MORNING)
PARENT = "Parent solo"

# (index in BENEFICIARIES, slots, stage, project, rhythm, mode, département, sector indexes,
#  attribute, avoid isolation, introduction)
PREFERENCES = (
    (
        0,
        (TUESDAY_EVENING, THURSDAY_EVENING),
        Stage.PROJECT_DEFINED,
        ProjectType.RECONVERSION,
        Rhythm.WEEKLY,
        PeerMode.VIDEO,
        "",
        (0,),
        "",
        False,
        "Après trois ans de télétravail seule aux RH, je deviens formatrice pour adultes.",
    ),
    (
        1,
        (TUESDAY_EVENING,),
        Stage.PROJECT_DEFINED,
        ProjectType.CREATION,
        Rhythm.WEEKLY,
        PeerMode.VIDEO,
        "",
        (1,),
        "",
        False,
        "Ancien commercial, je monte un atelier de réparation de vélos.",
    ),
    (
        2,
        (TUESDAY_EVENING, THURSDAY_EVENING),
        Stage.EXPLORING,
        ProjectType.RECONVERSION,
        Rhythm.WEEKLY,
        PeerMode.EITHER,
        "31",
        (1,),
        "",
        False,
        "Infirmière depuis douze ans, j'explore les métiers de la formation.",
    ),
    (
        3,
        (TUESDAY_EVENING,),
        Stage.IN_TRAINING,
        ProjectType.RECONVERSION,
        Rhythm.WEEKLY,
        PeerMode.VIDEO,
        "",
        (0, 1),
        "",
        False,
        "En formation de développeur web après dix ans dans la logistique.",
    ),
    (
        4,
        (WEDNESDAY_AFTERNOON,),
        Stage.EXPLORING,
        ProjectType.RECONVERSION,
        Rhythm.MONTHLY,
        PeerMode.VIDEO,
        "",
        (0,),
        PARENT,
        True,
        "Assistante de direction, je cherche un métier qui a plus de sens pour moi.",
    ),
    (
        5,
        (WEDNESDAY_AFTERNOON, TUESDAY_EVENING),
        Stage.IN_TRAINING,
        ProjectType.TRAINING,
        Rhythm.MONTHLY,
        PeerMode.VIDEO,
        "",
        (1,),
        "",
        False,
        "Je prépare un diplôme d'éducateur spécialisé en alternance.",
    ),
    (
        6,
        (WEDNESDAY_AFTERNOON,),
        Stage.LAUNCHING,
        ProjectType.CREATION,
        Rhythm.MONTHLY,
        PeerMode.VIDEO,
        "",
        (0,),
        PARENT,
        False,
        "Je lance mon activité de traiteur végétarien à Toulouse.",
    ),
    (
        7,
        (WEDNESDAY_AFTERNOON, THURSDAY_MORNING),
        Stage.PROJECT_DEFINED,
        ProjectType.INTERNAL,
        Rhythm.MONTHLY,
        PeerMode.VIDEO,
        "",
        (1,),
        "",
        False,
        "Technicien, je vise un poste de responsable d'équipe dans mon entreprise.",
    ),
    (
        8,
        (THURSDAY_MORNING, WEDNESDAY_AFTERNOON),
        Stage.EXPLORING,
        ProjectType.TRAINING,
        Rhythm.WEEKLY,
        PeerMode.VIDEO,
        "",
        (0,),
        "",
        False,
        "Vendeuse, je me renseigne sur les formations aux métiers du paysage.",
    ),
    (
        9,
        (SATURDAY_MORNING,),
        Stage.PROJECT_DEFINED,
        ProjectType.RECONVERSION,
        Rhythm.WEEKLY,
        PeerMode.IN_PERSON,
        "31",
        (0,),
        "",
        False,
        "Je deviens ébéniste ; disponible le samedi matin seulement.",
    ),
)


def _slots(pairs) -> int:
    bits = 0
    for weekday, slot in pairs:
        bits |= availability_bit(weekday, slot)
    return bits


def peers_demo(organisation, people: dict[Role, list[User]]) -> str:
    if RomeVersion.objects.current() is None:
        return (
            "Groupes de pairs : référentiel ROME non importé, préférences de démonstration "
            "ignorées."
        )
    beneficiaries = people[Role.BENEFICIARY]
    coordinator = people[Role.COORDINATOR][0]
    if PeerProfile.objects.filter(user=beneficiaries[0], organisation=organisation).exists():
        return "Groupes de pairs : préférences de démonstration déjà présentes."
    sectors = list(SecteurActivite.objects.filter(parent__isnull=True).order_by("code"))
    for row in PREFERENCES:
        (index, slots, stage, project, rhythm, mode, departement, sector_indexes) = row[:8]
        attribute, avoid, introduction = row[8:]
        user = beneficiaries[index]
        profile = services.peer_preferences_save(
            user=user,
            organisation=organisation,
            data=services.PeerPreferencesData(
                seeking=True,
                availability=_slots(slots),
                stage=stage,
                project_type=project,
                rhythm=rhythm,
                mode=mode,
                departement=departement,
                languages=["fr"],
                sectors=[sectors[i % len(sectors)] for i in sector_indexes] if sectors else [],
                attribute=attribute,
                avoid_isolation=avoid,
                introduction=introduction,
            ),
            expected_version=0,
        )
        peer_cohort_set(coordinator=coordinator, profile=profile, cohort=COHORT)
    return (
        f"Groupes de pairs : {len(PREFERENCES)} personnes de la « {COHORT} » ont donné leurs "
        "préférences, prêtes pour une formation de groupes."
    )


@register("peers", order=110, after=("people",))
def peers_seed(demo: Demo) -> None:
    demo.notes.append(peers_demo(demo.organisation, demo.people))
