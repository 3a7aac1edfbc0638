"""Demo data for mentoring (`seed_demo`): a pool of mentors in every state the coordination
meets (validated, awaiting validation, paused, none yet), a cohort of beneficiaries looking
for a mentor — ready for a matching round —, and one mentorship under way (Hugo Lambert and
Nathalie Chevalier) with its signed agreement, monthly meetings, goals and news. Camille
Roussel is left to describe her needs herself. Registered in `tisser.core.demo`, after the
bilans (Hugo's bilan is over). Safe to run twice: nothing is added when the
first mentor already has a profile. Goes through the services, as the pages do."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from tisser.accounts.models import User
from tisser.core.demo import Demo, register
from tisser.core.enums import Role
from tisser.meetings.models import MeetingMode
from tisser.mentoring import services
from tisser.mentoring.models import (
    DaySlot,
    HelpKind,
    MeetingPreference,
    MentorProfile,
    Mentorship,
    ProgressUpdate,
    availability_bit,
)
from tisser.referentiel.models import Metier, RomeVersion

COHORT = "Promotion automne 2026"
# Hugo and Nathalie's mentorship started this many days ago (its 30-day views are due).
STARTED_DAYS_AGO = 33


def _slots(*pairs: tuple[int, DaySlot]) -> int:
    bits = 0
    for weekday, slot in pairs:
        bits |= availability_bit(weekday, slot)
    return bits


TUESDAY_EVENING = (1, DaySlot.EVENING)
WEDNESDAY_AFTERNOON = (2, DaySlot.AFTERNOON)
THURSDAY_MORNING = (3, DaySlot.MORNING)
FRIDAY_AFTERNOON = (4, DaySlot.AFTERNOON)
MONDAY_EVENING = (0, DaySlot.EVENING)

# (index in MENTORS, fiche wanted in ROME 4.0, headline, path, reconversion, help, capacity,
#  slots, mode, département, languages, employer, state). Mentors 1, 2 and 6 each have one
#  place taken by a mentorship of the programme cohort still under way (`tisser.outcomes.demo`),
#  two left for a round.
MENTOR_PROFILES = (
    (
        0,
        ("K2111", "M1503"),
        "Formateur pour adultes indépendant, ancien responsable RH",
        "Quinze ans dans les ressources humaines d'un groupe industriel, puis formateur "
        "indépendant depuis 2018 : management, recrutement, prise de parole.",
        "Je suis passé des RH à la formation à 45 ans, après un bilan de compétences. Ce qui "
        "m'a aidé : rencontrer des formateurs et tester une première session en bénévole.",
        (HelpKind.JOB_DISCOVERY, HelpKind.CAREER_CHANGE, HelpKind.NETWORK, HelpKind.TRAINING),
        3,
        (TUESDAY_EVENING, WEDNESDAY_AFTERNOON, THURSDAY_MORNING),
        MeetingPreference.EITHER,
        "31",
        ["fr", "en"],
        "Aubry Formation",
        "validated",
    ),
    (
        1,
        ("K1801",),
        "Conseillère en insertion professionnelle à la Mission locale",
        "Dix ans d'accompagnement de jeunes et d'adultes vers l'emploi, après un début de "
        "carrière dans la vente.",
        "",
        (HelpKind.NETWORK, HelpKind.CONFIDENCE, HelpKind.CV),
        3,
        (MONDAY_EVENING, TUESDAY_EVENING),
        MeetingPreference.EITHER,
        "34",
        ["fr", "es"],
        "Mission locale de Montpellier",
        "validated",
    ),
    (
        2,
        ("M1805",),
        "Développeur, cofondateur d'une petite entreprise du numérique",
        "Développeur web depuis 2012, j'ai cofondé une agence de six personnes à Toulouse.",
        "Ancien professeur de physique, j'ai appris à coder le soir pendant deux ans.",
        (HelpKind.ENTREPRENEURSHIP, HelpKind.JOB_DISCOVERY, HelpKind.CAREER_CHANGE),
        3,
        (TUESDAY_EVENING, FRIDAY_AFTERNOON),
        MeetingPreference.REMOTE,
        "",
        ["fr", "en"],
        "Atelier Pixel Garonne",
        "validated",
    ),
    (
        3,
        ("K2101",),
        "Consultante en ingénierie de formation",
        "Responsable formation dans l'hôtellerie pendant douze ans, consultante depuis six ans "
        "auprès d'organismes de formation.",
        "",
        (HelpKind.TRAINING, HelpKind.CAREER_CHANGE, HelpKind.CONFIDENCE),
        1,
        (WEDNESDAY_AFTERNOON, THURSDAY_MORNING),
        MeetingPreference.REMOTE,
        "",
        ["fr"],
        "Chevalier Conseil",
        "validated",
    ),
    (
        4,
        ("D1402",),
        "Responsable grands comptes dans l'agroalimentaire",
        "Vingt ans de vente aux grandes et moyennes surfaces.",
        "",
        (HelpKind.NETWORK, HelpKind.INTERVIEWS),
        2,
        (MONDAY_EVENING,),
        MeetingPreference.EITHER,
        "31",
        ["fr"],
        "Coopérative du Lauragais",
        "submitted",
    ),
    (
        5,
        ("J1506",),
        "Infirmière coordinatrice en hospitalisation à domicile",
        "Infirmière depuis 1998, coordinatrice depuis 2015.",
        "",
        (HelpKind.JOB_DISCOVERY, HelpKind.CONFIDENCE),
        2,
        (THURSDAY_MORNING,),
        MeetingPreference.IN_PERSON,
        "31",
        ["fr"],
        "HAD Toulouse Sud",
        "paused",
    ),
    (
        6,
        ("H2502",),
        "Responsable de production dans l'aéronautique",
        "Technicien puis chef d'atelier, responsable d'une unité de 80 personnes.",
        "",
        (HelpKind.NETWORK, HelpKind.INTERVIEWS, HelpKind.JOB_DISCOVERY),
        3,
        (TUESDAY_EVENING, FRIDAY_AFTERNOON),
        MeetingPreference.EITHER,
        "31",
        ["fr", "en"],
        "Airparts Occitanie",
        "validated",
    ),
)

# Beneficiaries (index in BENEFICIARIES) looking for a mentor in the cohort, with the fiche
# they aim at and the help they want.
COHORT_NEEDS = (
    (1, ("M1805",), (HelpKind.CAREER_CHANGE, HelpKind.JOB_DISCOVERY), (TUESDAY_EVENING,)),
    (2, ("K1801",), (HelpKind.NETWORK, HelpKind.CONFIDENCE), (MONDAY_EVENING,)),
    (3, ("K2111",), (HelpKind.JOB_DISCOVERY, HelpKind.TRAINING), (WEDNESDAY_AFTERNOON,)),
    (4, ("H2502",), (HelpKind.NETWORK, HelpKind.INTERVIEWS), (FRIDAY_AFTERNOON,)),
    (5, ("K2101",), (HelpKind.TRAINING,), (THURSDAY_MORNING,)),
    (6, ("D1402",), (HelpKind.ENTREPRENEURSHIP,), (TUESDAY_EVENING,)),
)


def _fiches(codes, fallback_index: int) -> list:
    """The fiches of `codes`, or — on another référentiel, such as the tests' small one — one
    fiche picked by position so that the demo still has métiers to show."""
    found = list(Metier.objects.filter(code_rome__in=codes).order_by("code_rome"))
    if found:
        return sorted(found, key=lambda metier: list(codes).index(metier.code_rome))
    every = list(Metier.objects.order_by("code_rome")[:20])
    return [every[fallback_index % len(every)]] if every else []


def _mentor(user: User, organisation, coordinator: User, row) -> MentorProfile:
    (index, codes, headline, path, reconversion, helps, capacity, slots, mode, dep, langs) = row[
        :11
    ]
    employer, state = row[11], row[12]
    fiches = _fiches(codes, index)
    skills = [
        competence
        for _metier, competences in services.mentor_skill_choices(fiches[:1])
        for competence in competences[:8]
    ]
    profile = services.mentor_profile_save(
        user=user,
        organisation=organisation,
        data=services.MentorProfileData(
            headline=headline,
            career_path=path,
            reconversion=reconversion,
            motivation="Rendre ce qu'on m'a donné quand j'ai moi-même changé de cap.",
            current_fiches=fiches[:1],
            past_fiches=fiches[1:],
            skills=skills,
            help_offered=[kind.value for kind in helps],
            capacity=capacity,
            availability=_slots(*slots),
            languages=langs,
            mode=mode,
            departement=dep,
            employer=employer,
        ),
    )
    profile = services.mentor_profile_submit(user=user, profile=profile)
    if state in ("validated", "paused"):
        profile = services.mentor_profile_review(
            coordinator=coordinator, profile=profile, approve=True
        )
    if state == "paused":
        profile = services.mentor_profile_pause(user=user, profile=profile, paused=True)
    return profile


def _needs(user: User, organisation, coordinator: User, row) -> None:
    index, codes, helps, slots = row
    profile = services.mentee_profile_save(
        user=user,
        organisation=organisation,
        data=services.MenteeNeedsData(
            target_fiches=_fiches(codes, index),
            help_wanted=[kind.value for kind in helps],
            wishes="Échanger avec quelqu'un du métier pour vérifier que mon projet tient la route.",
            availability=_slots(*slots),
            languages=["fr"],
            mode=MeetingPreference.REMOTE,
            share_targets=True,
        ),
    )
    services.mentee_cohort_set(coordinator=coordinator, profile=profile, cohort=COHORT)


def _mentorship_under_way(hugo: User, nathalie: MentorProfile, organisation) -> None:
    """Hugo Lambert, whose bilan is over, and Nathalie Chevalier, paired five weeks ago:
    agreement signed, monthly meetings planned from next week, two goals and a first piece of
    news; their 30-day views are due."""
    services.mentee_profile_save(
        user=hugo,
        organisation=organisation,
        data=services.MenteeNeedsData(
            target_fiches=_fiches(("K2101",), 4),
            help_wanted=[HelpKind.TRAINING.value, HelpKind.CAREER_CHANGE.value],
            wishes="Choisir la bonne formation et comprendre le métier de l'intérieur.",
            availability=_slots(WEDNESDAY_AFTERNOON),
            languages=["fr"],
            mode=MeetingPreference.REMOTE,
            seeking=False,
            share_project=True,
            share_targets=True,
        ),
    )
    mentorship = services.mentorship_start(
        mentee=hugo, mentor=nathalie, origin=Mentorship.Origin.ROUND, by=nathalie.user
    )
    # Paired by the round five weeks ago: their 30-day views are due (the daily planner
    # invites both, as it would in a real organisme).
    Mentorship.objects.filter(pk=mentorship.pk).update(
        started_at=timezone.now() - timedelta(days=STARTED_DAYS_AGO)
    )
    mentorship.refresh_from_db()
    day = timezone.localdate() + timedelta(days=7)
    while day.weekday() != 2:  # a Wednesday afternoon, a slot they share
        day += timedelta(days=1)
    first = datetime.combine(day, time(14, 0), tzinfo=timezone.get_current_timezone())
    agreement, _changed = services.agreement_save(
        actor=nathalie.user,
        mentorship=mentorship,
        data=services.AgreementData(
            goals_summary="Choisir une formation de conseiller en formation et préparer "
            "l'entrée en formation.",
            mentee_expectations="Un regard de l'intérieur sur le métier, et de l'aide pour "
            "comparer deux formations.",
            mentor_commitment="Une heure par mois, des retours francs, deux mises en relation.",
            meeting_minutes=60,
            meetings_per_month=1,
            confidentiality="Ce qui se dit entre nous reste entre nous.",
            duration_months=6,
            first_meeting_at=first,
            first_meeting_mode=MeetingMode.VIDEO,
            first_meeting_place="https://visio.demo.tisser.fr/hugo-nathalie",
        ),
        expected_version=None,
    )
    agreement = services.agreement_sign(
        actor=nathalie.user, mentorship=mentorship, expected_version=agreement.version
    )
    services.agreement_sign(actor=hugo, mentorship=mentorship, expected_version=agreement.version)
    goal = services.goal_add(
        actor=hugo,
        mentorship=mentorship,
        title="Choisir ma formation",
        success_criteria="Une formation retenue, financement compris, avant fin janvier.",
    )
    services.goal_add(
        actor=nathalie.user,
        mentorship=mentorship,
        title="Rencontrer deux responsables formation",
        success_criteria="Deux enquêtes-métiers faites grâce aux mises en relation.",
    )
    services.progress_update_post(
        actor=hugo,
        mentorship=mentorship,
        kind=ProgressUpdate.Kind.UPDATE,
        text="J'ai reçu les programmes des deux formations, je les compare cette semaine.",
        goal=goal,
    )


def mentoring_demo(organisation, people: dict[Role, list[User]]) -> str:
    if RomeVersion.objects.current() is None:
        return "Mentorat : référentiel ROME non importé, profils de démonstration ignorés."
    mentors = people[Role.MENTOR]
    coordinator = people[Role.COORDINATOR][0]
    if MentorProfile.objects.filter(user=mentors[0], organisation=organisation).exists():
        return "Mentorat : profils de démonstration déjà présents."
    profiles = {
        row[0]: _mentor(mentors[row[0]], organisation, coordinator, row) for row in MENTOR_PROFILES
    }
    beneficiaries = people[Role.BENEFICIARY]
    for row in COHORT_NEEDS:
        _needs(beneficiaries[row[0]], organisation, coordinator, row)
    _mentorship_under_way(beneficiaries[-1], profiles[3], organisation)
    return (
        f"Mentorat : {len(profiles)} profils de mentors (dont un à valider et un en pause), "
        f"{len(COHORT_NEEDS)} personnes de la « {COHORT} » prêtes pour un tour d'appariement, "
        "un mentorat en cours (Hugo Lambert et Nathalie Chevalier)."
    )


@register("mentoring", order=100, after=("people", "bilan_followup"))
def mentoring_seed(demo: Demo) -> None:
    demo.notes.append(mentoring_demo(demo.organisation, demo.people))
