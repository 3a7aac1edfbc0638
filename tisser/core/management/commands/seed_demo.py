"""Fictional demo data: one organisme, its team and its beneficiaries. Safe to run twice."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from tisser.accounts.models import Membership, Organisation, User
from tisser.accounts.services import membership_create, organisation_create, user_create
from tisser.core.enums import Role
from tisser.meetings.models import MeetingKind, MeetingMode, MeetingSeries
from tisser.meetings.services import series_create
from tisser.mentoring.demo import mentoring_demo
from tisser.peers.demo import peers_demo

DEMO_PASSWORD = "tisser-demo-2026"
DEMO_DOMAIN = "demo.tisser.fr"
ORGANISATION = ("Horizons Bilans Occitanie", "horizons-bilans")

COORDINATORS = [("Nadia", "Benali")]
CONSULTANTS = [("Claire", "Morel"), ("Julien", "Fabre")]
BENEFICIARIES = [
    ("Camille", "Roussel"),
    ("Thomas", "Garnier"),
    ("Inès", "Lefebvre"),
    ("Karim", "Haddad"),
    ("Sophie", "Marchand"),
    ("Lucas", "Perrin"),
    ("Amandine", "Colin"),
    ("Mathieu", "Vidal"),
    ("Léa", "Fournier"),
    ("Yanis", "Brunet"),
    ("Élodie", "Gauthier"),
    ("Hugo", "Lambert"),
]
MENTORS = [
    ("Bernard", "Aubry"),
    ("Françoise", "Leclerc"),
    ("Olivier", "Masson"),
    ("Nathalie", "Chevalier"),
    ("Stéphane", "Robin"),
    ("Valérie", "Noël"),
    ("Pascal", "Girard"),
    ("Martine", "Dumont"),
]


def demo_email(first_name: str, last_name: str) -> str:
    from unicodedata import normalize

    ascii_name = normalize("NFKD", f"{first_name}.{last_name}").encode("ascii", "ignore").decode()
    return f"{ascii_name.lower()}@{DEMO_DOMAIN}"


class Command(BaseCommand):
    help = "Crée les données de démonstration (fictives) et affiche les identifiants."

    @transaction.atomic
    def handle(self, *args, **options):
        organisation = Organisation.objects.filter(slug=ORGANISATION[1]).first()
        if organisation is None:
            organisation = organisation_create(name=ORGANISATION[0], slug=ORGANISATION[1])
        created = 0
        people: dict[Role, list[User]] = {}
        for role, names in (
            (Role.COORDINATOR, COORDINATORS),
            (Role.CONSULTANT, CONSULTANTS),
            (Role.MENTOR, MENTORS),
            (Role.BENEFICIARY, BENEFICIARIES),
        ):
            for index, (first_name, last_name) in enumerate(names):
                inviter = self._inviter(role, index, people)
                user, was_created = self._person(organisation, role, first_name, last_name, inviter)
                created += was_created
                people.setdefault(role, []).append(user)
        meetings_created = self._meetings(organisation, people)
        inventories_created = _inventories(people[Role.BENEFICIARY])
        seed_bilan_followup(people)
        investigation_demo(people[Role.BENEFICIARY][0], people[Role.CONSULTANT][0])
        sessions_demo(demo_bilan(people[Role.BENEFICIARY][0], people[Role.CONSULTANT][0]))
        exploration_note = exploration_demo(people)
        network_guides_demo(organisation)
        network_note = network_demo(people[Role.BENEFICIARY][0])
        mentoring_note = mentoring_demo(organisation, people)
        peers_note = peers_demo(organisation, people)

        self.stdout.write(
            f"Démo : {organisation.name} — {created} compte(s) créé(s), "
            f"{sum(len(v) for v in people.values()) - created} déjà présent(s), "
            f"{meetings_created} série(s) de rencontres créée(s), "
            f"{inventories_created} inventaire(s) rempli(s)."
        )
        self.stdout.write(exploration_note)
        self.stdout.write(network_note)
        self.stdout.write(mentoring_note)
        self.stdout.write(peers_note)
        self.stdout.write(f"Mot de passe de tous les comptes de démonstration : {DEMO_PASSWORD}")
        for role in (Role.BENEFICIARY, Role.CONSULTANT, Role.MENTOR, Role.COORDINATOR):
            sample = people[role][0]
            self.stdout.write(f"  {role.label:<22} {sample.email}")
        self.stdout.write(
            "Conseillers et coordinateurs activent la double authentification (TOTP) "
            "à leur première connexion."
        )

    @staticmethod
    def _meetings(organisation, people: dict[Role, list[User]]) -> int:
        """Two series so that "Rencontres" is not empty: fortnightly bilan sessions between
        the first consultant and the first beneficiary, a monthly peer-group meeting."""
        paris = ZoneInfo("Europe/Paris")
        soon = timezone.localdate() + timedelta(days=2)
        consultant, coordinator = people[Role.CONSULTANT][0], people[Role.COORDINATOR][0]
        plans = [
            (
                consultant,
                MeetingKind.BILAN_SESSION,
                f"Entretiens de bilan — {people[Role.BENEFICIARY][0].first_name}",
                people[Role.BENEFICIARY][:1],
                datetime.combine(soon, time(10, 0), tzinfo=paris),
                90,
                "FREQ=WEEKLY;INTERVAL=2;COUNT=6",
                MeetingMode.ON_SITE,
                "12 rue des Tisserands, 31000 Toulouse",
            ),
            (
                coordinator,
                MeetingKind.PEER_GROUP,
                "Groupe de pairs « Cap reconversion »",
                people[Role.BENEFICIARY][1:5],
                datetime.combine(soon + timedelta(days=1), time(18, 30), tzinfo=paris),
                90,
                "FREQ=WEEKLY;INTERVAL=2;COUNT=8",
                MeetingMode.VIDEO,
                "https://visio.example.org/cap-reconversion",
            ),
        ]
        created = 0
        for organiser, kind, title, participants, start, minutes, rule, mode, location in plans:
            if MeetingSeries.objects.filter(organisation=organisation, title=title).exists():
                continue
            series_create(
                organiser=organiser,
                organisation=organisation,
                kind=kind,
                title=title,
                participants=participants,
                first_start=start,
                duration_minutes=minutes,
                rrule=rule,
                mode=mode,
                location=location,
            )
            created += 1
        return created

    @staticmethod
    def _inviter(role: Role, index: int, people: dict[Role, list[User]]) -> User | None:
        if role == Role.BENEFICIARY:
            consultants = people[Role.CONSULTANT]
            return consultants[index % len(consultants)]
        if role in (Role.CONSULTANT, Role.MENTOR):
            return people[Role.COORDINATOR][0]
        return None

    @staticmethod
    def _person(organisation, role, first_name, last_name, inviter) -> tuple[User, bool]:
        email = demo_email(first_name, last_name)
        user = User.objects.filter(email=email).first()
        was_created = user is None
        if user is None:
            user = user_create(
                email=email, password=DEMO_PASSWORD, first_name=first_name, last_name=last_name
            )
        if not Membership.objects.filter(user=user, organisation=organisation).exists():
            membership_create(user=user, organisation=organisation, role=role, invited_by=inviter)
        return user, was_created


# --- Self-inventories (interests, values) of two demo beneficiaries: start -----------------

# (interests level per RIASEC letter, values level per value id), 1 to 5: Camille is drawn
# to helping and creating, wants to be useful and keep time for her family; Thomas likes
# concrete, orderly work and wants security and expertise.
DEMO_INVENTORIES = {
    ("Camille", "Roussel"): (
        {"R": 2, "I": 3, "A": 4, "S": 5, "E": 2, "C": 2},
        {
            "autonomy": 4,
            "security": 3,
            "expertise": 3,
            "management": 2,
            "service": 5,
            "challenge": 2,
            "balance": 5,
            "entrepreneurship": 2,
        },
    ),
    ("Thomas", "Garnier"): (
        {"R": 5, "I": 3, "A": 1, "S": 2, "E": 2, "C": 4},
        {
            "autonomy": 3,
            "security": 5,
            "expertise": 4,
            "management": 2,
            "service": 3,
            "challenge": 3,
            "balance": 4,
            "entrepreneurship": 1,
        },
    ),
}
# Answers vary around each level, as real answers do, the same way every run.
DEMO_SWING = (0, 1, -1, 0, 1, 0, -1, 0)


def _demo_answers(items, levels: dict[str, int]) -> dict[str, int]:
    position: dict[str, int] = {}
    answers = {}
    for item in items:
        n = position.get(item.dimension, 0)
        position[item.dimension] = n + 1
        answers[item.id] = min(5, max(1, levels[item.dimension] + DEMO_SWING[n % len(DEMO_SWING)]))
    return answers


def _inventories(beneficiaries: list[User]) -> int:
    """A completed interests and values inventory for the beneficiaries of DEMO_INVENTORIES,
    unless they already have one of that kind. Returns how many were recorded."""
    from tisser.assessments import riasec, values
    from tisser.assessments.models import InventoryResponse
    from tisser.assessments.services import interests_record, values_record

    by_email = {user.email: user for user in beneficiaries}
    created = 0
    for (first_name, last_name), (interests, value_levels) in DEMO_INVENTORIES.items():
        user = by_email.get(demo_email(first_name, last_name))
        if user is None:
            continue
        taken = set(InventoryResponse.objects.filter(user=user).values_list("kind", flat=True))
        if InventoryResponse.Kind.INTERESTS not in taken:
            interests_record(user=user, answers=_demo_answers(riasec.ITEMS, interests))
            created += 1
        if InventoryResponse.Kind.VALUES not in taken:
            values_record(user=user, answers=_demo_answers(values.ITEMS, value_levels))
            created += 1
    return created


# --- Self-inventories: end ------------------------------------------------------------------
# --- Bilan follow-up demo (entretien de suivi, satisfaction) -------------------------------


def seed_bilan_followup(people: dict[Role, list[User]]) -> None:
    """A closed bilan for the last beneficiary (run by the consultant who invited them),
    with the end-of-bilan satisfaction answers and a follow-up interview proposed six months
    later. Skipped when that beneficiary already has a bilan."""
    from dateutil.relativedelta import relativedelta

    from tisser.bilans import consent, satisfaction
    from tisser.bilans import services as bilans
    from tisser.bilans.models import Bilan, Funding, Phase, SatisfactionMoment

    beneficiary = people[Role.BENEFICIARY][-1]
    if Bilan.objects.filter(beneficiary=beneficiary).exists():
        return
    consultant = beneficiary.memberships.get(role=Role.BENEFICIARY).invited_by
    bilan = bilans.bilan_open(consultant=consultant, beneficiary=beneficiary, funding=Funding.CPF)
    bilans.bilan_consent_give(beneficiary=beneficiary, bilan=bilan, text_version=consent.VERSION)
    for phase in (Phase.INVESTIGATION, Phase.CONCLUSION):
        bilan = bilans.bilan_phase_advance(actor=consultant, bilan=bilan, to_phase=phase)
    # A bilan closes only once its document de synthèse is validated by the beneficiary.
    document = bilans.synthesis_save(
        consultant=consultant,
        bilan=bilan,
        sections=bilans.SynthesisSections(
            circumstances=(
                "Hugo a demandé ce bilan après deux ans de télétravail complet dans une "
                "équipe dispersée : il se sentait seul face à ses dossiers et doutait de son "
                "orientation."
            ),
            competences=(
                "Analyse rigoureuse, sens du service, aisance à expliquer des sujets "
                "techniques ; envie de travailler au contact d'une équipe."
            ),
            projects=(
                "Évolution interne vers un poste de référent support, avec une formation "
                "courte à l'animation d'ateliers ; étapes : entretien avec le manager, "
                "formation au premier semestre, prise de poste à l'automne."
            ),
        ),
        expected_version=0,
    )
    document = bilans.synthesis_submit(
        consultant=consultant, bilan=bilan, expected_version=document.version
    )
    bilans.synthesis_validate(
        beneficiary=beneficiary, bilan=bilan, expected_version=document.version
    )
    bilan = bilans.bilan_phase_advance(actor=consultant, bilan=bilan, to_phase=Phase.CLOSED)
    answers = {item.id: 4 for item in satisfaction.ITEMS}
    answers |= {"listening": 5, "connection": 3, satisfaction.RECOMMENDATION: 9}
    bilans.satisfaction_respond(
        beneficiary=beneficiary,
        bilan=bilan,
        moment=SatisfactionMoment.END,
        answers=answers,
        comment="Un accompagnement à l'écoute, qui m'a redonné confiance.",
    )
    day = timezone.localdate() + relativedelta(months=6)
    bilans.followup_propose(
        consultant=consultant,
        bilan=bilan,
        start=datetime.combine(day, time(14, 0), tzinfo=ZoneInfo("Europe/Paris")),
        duration_minutes=60,
        mode=MeetingMode.VIDEO,
        location="https://visio.example.org/suivi-bilan",
        message="Faisons le point ensemble sur votre projet, six mois après votre bilan.",
    )


# --- end of the bilan follow-up demo --------------------------------------------------------
# -- Investigation tools of the first beneficiary's bilan (parcours, réussites, portfolio) ---

DEMO_EXPERIENCES = [
    # (kind, title, structure, start, end, description, fiches)
    (
        "training",
        "BTS Assistant de manager",
        "Lycée Ozenne, Toulouse",
        date(2008, 9, 1),
        date(2010, 6, 30),
        "Formation en alternance : gestion administrative, communication, anglais.",
        ("M1604",),
    ),
    (
        "job",
        "Secrétaire",
        "Cabinet Lestrade, Toulouse",
        date(2010, 9, 1),
        date(2015, 8, 31),
        "Accueil téléphonique et physique, agendas, courrier, facturation.",
        ("M1607",),
    ),
    (
        "job",
        "Assistante de direction",
        "Garonne Logistique",
        date(2015, 9, 1),
        None,
        "Assistante du directeur d'un site de 60 salariés, en grande partie à distance "
        "depuis 2020 : agendas, budget des frais généraux, événements internes.",
        ("M1604", "E1107"),
    ),
    (
        "volunteering",
        "Trésorière et animatrice bénévole",
        "Association Les Jardins partagés de Muret",
        date(2019, 3, 1),
        None,
        "Comptes de l'association, animation des ateliers du samedi.",
        ("K1206",),
    ),
]
DEMO_ACHIEVEMENTS = [
    (
        "Assistante de direction",
        {
            "title": "La fête des 10 ans du site",
            "situation": "L'équipe, dispersée en télétravail, ne se voyait plus ; la direction "
            "voulait fêter les 10 ans de l'entreprise avec un budget serré.",
            "action": "J'ai organisé cet événement interne de A à Z : réservé la salle, choisi "
            "le traiteur, géré le budget de 4 000 euros et accueilli les participants et les "
            "invités.",
            "result": "Toute l'équipe était là, le budget a été respecté et la soirée a relancé "
            "les échanges entre les services.",
        },
    ),
    (
        "Trésorière et animatrice bénévole",
        {
            "title": "Des comptes enfin lisibles pour l'association",
            "situation": "Les comptes de l'association étaient tenus sur des feuilles volantes ; "
            "la mairie demandait un budget prévisionnel pour la subvention.",
            "action": "J'ai mis en place un tableau de suivi des dépenses, présenté un budget "
            "prévisionnel en assemblée générale et négocié avec les fournisseurs de graines.",
            "result": "La subvention a été accordée et les dépenses ont baissé de 15 %.",
        },
    ),
]
# (kind, code OGR in ROME v460, level, preference, evidence)
DEMO_PORTFOLIO = [
    ("competence", 104174, 4, "endured", "Quinze ans d'accueil, au téléphone et au bureau."),
    ("competence", 506131, 3, "wanted", "Séminaires et fêtes du site depuis 2016."),
    ("competence", 482542, 3, "wanted", "Budget des frais généraux du site."),
    ("savoir", 404574, 4, "endured", "BTS, puis douze ans de secrétariat."),
    ("savoir", 120992, 4, "endured", "Courrier du site, départ et arrivée."),
    ("savoir", 403039, 3, "neutral", "Tableaux de suivi du budget et des congés."),
    ("savoir", 403135, 2, "wanted", "Échanges écrits avec le siège à Barcelone."),
]
SUGGESTIONS_ACCEPTED = 2


def investigation_demo(beneficiary: User, consultant: User) -> None:
    """A plausible parcours, two réussites with accepted suggestions and a portfolio with
    mixed envies for the first demo beneficiary, through the services. Her bilan is opened
    (consent given, investigation phase) when she has none. Idempotent: nothing is added to
    a bilan whose parcours is already filled. Fiches and ROME items are looked up by code in
    the imported référentiel and left out when it is absent."""
    from tisser.bilans import services as bilans
    from tisser.bilans.models import Bilan, Funding, Phase
    from tisser.referentiel.models import Metier

    bilan = Bilan.objects.filter(beneficiary=beneficiary).order_by("-opened_at").first()
    if bilan is None:
        bilan = bilans.bilan_open(
            consultant=consultant, beneficiary=beneficiary, funding=Funding.CPF
        )
    if bilan.status == Phase.CLOSED or bilan.experiences.exists():
        return
    if not hasattr(bilan, "consent"):
        from tisser.bilans import consent

        bilans.bilan_consent_give(
            beneficiary=beneficiary, bilan=bilan, text_version=consent.VERSION
        )
    if bilan.status == Phase.PRELIMINARY:
        bilan = bilans.bilan_phase_advance(
            actor=bilan.consultant, bilan=bilan, to_phase=Phase.INVESTIGATION
        )
    fiches = {metier.code_rome: metier for metier in Metier.objects.all()}
    experiences = {}
    for kind, title, structure, start, end, description, codes in DEMO_EXPERIENCES:
        experiences[title] = bilans.experience_create(
            actor=beneficiary,
            bilan=bilan,
            kind=kind,
            title=title,
            organisation_name=structure,
            started_on=start,
            ended_on=end,
            description=description,
            fiches=[fiches[code] for code in codes if code in fiches],
        )
    for experience_title, story in DEMO_ACHIEVEMENTS:
        achievement = bilans.achievement_create(
            actor=beneficiary, bilan=bilan, experience=experiences[experience_title], **story
        )
        for suggestion in achievement.suggestions.order_by("-score", "code_ogr")[
            :SUGGESTIONS_ACCEPTED
        ]:
            bilans.suggestion_accept(actor=beneficiary, suggestion=suggestion)
    for kind, code_ogr, level, preference, evidence in DEMO_PORTFOLIO:
        if bilans.rome_item_label(kind, code_ogr) is None:
            continue
        if bilan.portfolio.filter(kind=kind, code_ogr=code_ogr).exists():
            continue
        bilans.portfolio_item_add(
            actor=beneficiary,
            bilan=bilan,
            kind=kind,
            code_ogr=code_ogr,
            level=level,
            preference=preference,
            evidence=evidence,
        )
    bilans.aspirations_save(
        actor=beneficiary,
        bilan=bilan,
        expected_version=0,
        mobility="Toulouse et sa métropole ; pas de déménagement avant que ma fille ait son bac.",
        income="Au moins mon salaire actuel, 2 100 euros nets.",
        time="Un temps plein, avec deux jours de télétravail au plus.",
        health="",
        work_setting="Une équipe présente sur place : je ne veux plus travailler seule chez moi.",
        other="Organiser des événements qui rassemblent les gens.",
    )


# --- Exploration and projects (bilan, points 5 and 6) ----------------------------------------

EXPLORATION_SHORTLIST = (
    ("K2111", "Animer des formations pour adultes : ce que je préférais dans mon poste RH."),
    ("K1801", "À explorer : rencontrer une conseillère en insertion de la Mission locale."),
)


def sessions_demo(bilan) -> None:
    """Six weekly two-hour entretiens for the demo bilan, the first three already held: two
    recorded by the consultant, the last one signed by the beneficiary (émargement). Skipped
    when the bilan already has entretiens or is closed."""
    from tisser.bilans import services as bilans
    from tisser.bilans.models import Phase
    from tisser.meetings.models import Attendance, MeetingMode
    from tisser.meetings.services import attendance_confirm, attendance_record

    if bilan.status == Phase.CLOSED or bilan.sessions.exists():
        return
    first = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    series = bilans.bilan_session_plan(
        consultant=bilan.consultant,
        bilan=bilan,
        first_start=first - timedelta(days=15),
        duration_minutes=120,
        rrule="FREQ=WEEKLY;COUNT=6",
        mode=MeetingMode.ON_SITE,
        location="Horizons Bilans, 12 allée Jean Jaurès, Toulouse — salle 2",
    )
    held = [o for o in series.occurrences.order_by("start") if o.end < timezone.now()]
    for occurrence in held[:-1]:
        attendance_record(
            actor=bilan.consultant,
            occurrence=occurrence,
            user=bilan.beneficiary,
            status=Attendance.Status.PRESENT,
        )
    if held:
        attendance_confirm(actor=bilan.beneficiary, occurrence=held[-1])


def demo_bilan(beneficiary: User, consultant: User):
    """The demo bilan of `beneficiary`: their open one, else their latest, else one opened
    now by `consultant` (their inviting consultant) through `bilan_open`. Several parts of
    the demo use this same lookup, so the bilan is created once whoever asks first."""
    from tisser.bilans.models import Bilan, Funding
    from tisser.bilans.services import bilan_open

    bilan = Bilan.objects.filter(beneficiary=beneficiary).order_by("-opened_at", "-id").first()
    if bilan is None:
        bilan = bilan_open(consultant=consultant, beneficiary=beneficiary, funding=Funding.CPF)
    return bilan


def exploration_demo(people: dict[Role, list[User]]) -> str:
    """Camille Roussel keeps two fiches to explore and has one preferred project with its
    feasibility checklist under way and three dated steps. Needs the ROME référentiel
    (`import_rome`): skipped, with a note, when it is not imported yet."""
    from tisser.bilans import services as bilans
    from tisser.bilans.models import CheckItem, CheckStatus, Phase, ProjectKind
    from tisser.referentiel.models import Metier, RomeVersion

    if RomeVersion.objects.current() is None:
        return "Exploration : référentiel ROME non importé, pistes et projets de démo ignorés."
    camille = people[Role.BENEFICIARY][0]
    bilan = demo_bilan(camille, people[Role.CONSULTANT][0])
    if bilan.status == Phase.CLOSED:
        return "Exploration : le bilan de démonstration est terminé, rien d'ajouté."
    wanted = [code for code, _note in EXPLORATION_SHORTLIST]
    found = {m.code_rome: m for m in Metier.objects.filter(code_rome__in=wanted)}
    # In the order of EXPLORATION_SHORTLIST: the first one is the project's target.
    metiers = {code: found[code] for code in wanted if code in found}
    if len(metiers) < len(wanted):  # another référentiel (the test fixture): any S fiches
        fallback = Metier.objects.filter(riasec_majeur="S").order_by("code_rome")[:2]
        metiers = dict(zip(wanted, fallback, strict=False))
    notes = dict(EXPLORATION_SHORTLIST)
    for code, metier in metiers.items():
        entry = bilans.shortlist_add(actor=camille, bilan=bilan, metier=metier)
        if entry.version == 1 and not entry.note:
            bilans.shortlist_update(
                actor=camille,
                entry=entry,
                note=notes[code],
                status=entry.status,
                expected_version=entry.version,
            )
    if bilan.projects.exists():
        return "Exploration : sélection et projet de démonstration déjà présents."
    target = next(iter(metiers.values()), None)
    project = bilans.project_create(
        actor=camille,
        bilan=bilan,
        kind=ProjectKind.RECONVERSION,
        title="Devenir formatrice pour adultes",
        motivation=(
            "Transmettre, retrouver une équipe et des échanges au quotidien après trois ans "
            "de télétravail seule."
        ),
        targets=[target] if target else [],
    )
    bilans.project_set_preferred(actor=camille, project=project)
    progress = {
        CheckItem.INTERVIEWS: (
            CheckStatus.IN_PROGRESS,
            "Une formatrice rencontrée, une autre à voir.",
        ),
        CheckItem.GAP: (CheckStatus.DONE, "Il me manque surtout l'ingénierie pédagogique."),
        CheckItem.TRAINING: (CheckStatus.IN_PROGRESS, "Titre professionnel FPA, en 9 mois."),
        CheckItem.FINANCING: (CheckStatus.TODO, "Projet de transition professionnelle à étudier."),
    }
    for check in project.checks.all():
        if check.item in progress:
            status, note = progress[check.item]
            bilans.project_check_update(
                actor=camille, check=check, status=status, note=note, expected_version=check.version
            )
    today = timezone.localdate()
    for title, days in (
        ("Rencontrer une deuxième formatrice en centre de formation", 14),
        ("Assister à une réunion d'information sur le titre FPA", 30),
        ("Déposer le dossier de financement", 60),
    ):
        bilans.project_step_add(
            actor=camille, project=project, title=title, due_on=today + timedelta(days=days)
        )
    return "Exploration : 2 métiers à explorer et 1 projet privilégié pour Camille Roussel."


# -- Mon réseau (issue #5: contacts, enquêtes-métiers): start ---------------------------------

NETWORK_CONTACTS = (
    # (key, first name, last name, job title, company, how known, introduced by key, sector)
    (
        "sophie",
        "Sophie",
        "Marchand",
        "Responsable RH",
        "Clinique des Tilleuls",
        "former_manager",
        None,
        "Santé",
    ),
    (
        "karim",
        "Karim",
        "Benali",
        "Éducateur spécialisé",
        "Association Le Relais",
        "former_colleague",
        None,
        "Social",
    ),
    (
        "lea",
        "Léa",
        "Fontaine",
        "Conseillère en insertion",
        "Mission locale Nord",
        "introduced",
        "karim",
        "Social",
    ),
    ("marc", "Marc", "Olivier", "Formateur", "GRETA Métropole", "linkedin", None, "Formation"),
    (
        "nadia",
        "Nadia",
        "Haddad",
        "Assistante sociale",
        "CCAS de Lille",
        "introduced",
        "lea",
        "Social",
    ),
    (
        "julien",
        "Julien",
        "Perrin",
        "Chargé de projet",
        "Fondation Solidaire",
        "alumni",
        None,
        "Associatif",
    ),
    (
        "helene",
        "Hélène",
        "Garnier",
        "Coordinatrice de parcours",
        "Maison de l'emploi",
        "event",
        None,
        "Emploi",
    ),
    (
        "thomas",
        "Thomas",
        "Lemoine",
        "Animateur socio-culturel",
        "Centre social Wazemmes",
        "introduced",
        "sophie",
        "Social",
    ),
)


def network_demo(camille: User) -> str:
    """Camille Roussel's network: 8 contacts met in varied ways, 3 of them introduced by
    another (a referral chain Karim → Léa → Nadia), enquêtes at every step — one overdue (a
    message without answer for 10 days), one done with its synthesis — about her shortlisted
    fiches when the référentiel is imported. Skipped when she already has contacts."""
    from tisser.bilans.models import ShortlistEntry
    from tisser.network import services as network
    from tisser.network.models import Contact, InformationalInterview, Stage, Verdict
    from tisser.network.services.duplicates import text_fold
    from tisser.network.services.notes import interview_synthesis_save

    if Contact.objects.filter(owner=camille).exists():
        return "Réseau : Camille Roussel a déjà ses contacts, rien d'ajouté."
    contacts: dict[str, Contact] = {}
    for key, first, last, job, company, how, by, sector in NETWORK_CONTACTS:
        contacts[key] = network.contact_create(
            owner=camille,
            data=network.ContactData(
                first_name=first,
                last_name=last,
                job_title=job,
                company=company,
                sector=sector,
                how_known=how,
                introduced_by=contacts[by] if by else None,
                channel="email",
                email=f"{text_fold(first)}.{text_fold(last)}@exemple.fr".replace(" ", ""),
            ),
        )
    fiches = [
        entry.metier
        for entry in ShortlistEntry.objects.filter(bilan__beneficiary=camille)
        .select_related("metier")
        .order_by("added_at", "id")
    ]

    def fiche(index: int):
        return fiches[index % len(fiches)] if fiches else None

    now = timezone.now()
    # (contact, fiche index, [(stage, days ago)], meeting in days)
    plans = (
        (
            "karim",
            0,
            [
                (Stage.MESSAGE_SENT, 30),
                (Stage.MEETING_SET, 26),
                (Stage.INTERVIEW_DONE, 21),
                (Stage.THANKED, 20),
            ],
            -21,
        ),
        ("lea", 0, [(Stage.MESSAGE_SENT, 18), (Stage.MEETING_SET, 14)], 3),
        ("sophie", 1, [(Stage.MESSAGE_SENT, 10)], None),  # overdue: follow up
        ("marc", 1, [(Stage.MESSAGE_SENT, 4)], None),
        ("nadia", 0, [], None),
        ("julien", 1, [(Stage.MESSAGE_SENT, 12), (Stage.FOLLOWED_UP, 5)], None),
    )
    for key, index, steps, meeting_in in plans:
        first_at = now - timedelta(days=(steps[0][1] + 2) if steps else 1)
        interview = network.interview_start(
            owner=camille, contact=contacts[key], metier=fiche(index), at=first_at
        )
        for stage, days_ago in steps:
            network.interview_advance(
                actor=camille,
                interview=interview,
                to_stage=stage,
                at=now - timedelta(days=days_ago),
                meeting_at=now + timedelta(days=meeting_in) if stage == Stage.MEETING_SET else None,
            )
    done = InformationalInterview.objects.get(owner=camille, contact=contacts["karim"])
    interview_synthesis_save(
        actor=camille,
        interview=done,
        takeaways=(
            "Un métier de terrain, au contact des personnes, avec beaucoup de travail "
            "d'équipe. Les diplômes d'État sont exigés ; la VAE est possible."
        ),
        about_me="J'ai retrouvé l'envie d'accompagner, que j'avais laissée de côté.",
        verdict=Verdict.GO,
        project=None,
        metier=done.metier,
        expected_version=done.version,
    )
    network.network_snapshots_refresh()
    return (
        "Réseau : 8 contacts et 6 enquêtes-métiers pour Camille Roussel "
        "(dont une en retard et une terminée avec sa synthèse)."
    )


# -- Mon réseau: end ----------------------------------------------------------------------------
# ==== Network: interview guides (issue #5, point 4) ====
def network_guides_demo(organisation: Organisation) -> None:
    """The default interview guide of the demo organisation (nothing when it has one)."""
    from tisser.network.services.guides import interview_guide_install_default

    interview_guide_install_default(organisation=organisation)


# ==== end Network: interview guides ====
