"""Fictional demo data: one organisme, its team and its beneficiaries. Safe to run twice."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from tisser.accounts.models import Membership, Organisation, User
from tisser.accounts.services import membership_create, organisation_create, user_create
from tisser.core.enums import Role
from tisser.meetings.models import MeetingKind, MeetingMode, MeetingSeries
from tisser.meetings.services import series_create

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
        exploration_note = exploration_demo(people)

        self.stdout.write(
            f"Démo : {organisation.name} — {created} compte(s) créé(s), "
            f"{sum(len(v) for v in people.values()) - created} déjà présent(s), "
            f"{meetings_created} série(s) de rencontres créée(s)."
        )
        self.stdout.write(exploration_note)
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


# --- Exploration and projects (bilan, points 5 and 6) ----------------------------------------

EXPLORATION_SHORTLIST = (
    ("K2111", "Animer des formations pour adultes : ce que je préférais dans mon poste RH."),
    ("K1801", "À explorer : rencontrer une conseillère en insertion de la Mission locale."),
)


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
    metiers = {m.code_rome: m for m in Metier.objects.filter(code_rome__in=wanted)}
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
