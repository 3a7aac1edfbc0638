"""Demo data for bilans (`seed_demo`, registered in `tisser.core.demo`): a closed bilan
for Hugo Lambert with its satisfaction answers, a proposed follow-up, his synthèse sent to his
conseil en évolution professionnelle and his written agreement to keep what the follow-up
needs (both shown with their end dates); for Camille Roussel
an open bilan with a filled parcours, réussites and portfolio, six entretiens (three held,
one signed), two fiches to explore and a preferred project; one bilan of each funding with
its paperwork (a convention signed in time, a self-funded contract, a convention waiting for
its signature); for Élodie Gauthier a bilan interrupted in its investigation phase, with its
reason and hours done. Every bilan that left (or is in) the preliminary phase has its
preliminary record."""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from tisser.accounts.models import User
from tisser.bilans import consent, satisfaction
from tisser.bilans import services as bilans
from tisser.bilans.activity import bilan_activity_refresh
from tisser.bilans.models import (
    Bilan,
    BilanFormat,
    CheckItem,
    CheckStatus,
    EndReason,
    FinalDownload,
    Funding,
    Outcome,
    Phase,
    PreliminaryRecord,
    ProjectKind,
    SatisfactionMoment,
    SuggestionDecision,
)
from tisser.bilans.services.emargement import (
    emargement_rows,
    entretien_consultant_confirm,
    entretien_record_unplanned,
)
from tisser.core.demo import Demo, register
from tisser.core.enums import Role
from tisser.core.workdays import (
    weekly_working_start,
    working_day_on_or_after,
    working_day_on_or_before,
)
from tisser.meetings.models import Attendance, MeetingMode, Occurrence
from tisser.meetings.services import attendance_confirm, attendance_record
from tisser.referentiel.models import Metier, RomeVersion
from tisser.referentiel.search.normalize import fold
from tisser.referentiel.understanding.engine import ENGINE_VERSION

PARIS = ZoneInfo("Europe/Paris")

DEMO_PRELIMINARY = bilans.PreliminaryData(
    request=(
        "Après plusieurs années en télétravail, la personne se sent isolée et doute de son "
        "métier ; elle veut savoir ce qu'elle sait faire et vers quoi aller."
    ),
    need=(
        "Identifier ses compétences transférables, explorer deux ou trois pistes et vérifier "
        "leur faisabilité, en retrouvant des échanges avec des professionnels."
    ),
    format=BilanFormat.MIXED,
    individual_hours=Decimal("18"),
    personal_work_hours=Decimal("6"),
    objectives=(
        "Un projet professionnel réaliste, confronté au terrain par des enquêtes-métiers, et un "
        "plan d'action daté."
    ),
    plan=(
        "Neuf entretiens de deux heures, toutes les deux semaines, au centre ou en visio ; "
        "inventaires d'intérêts et de valeurs, portefeuille de compétences, deux enquêtes-"
        "métiers entre les séances."
    ),
)


def preliminary_demo(bilan: Bilan) -> None:
    """The preliminary record of `bilan`, written by its consultant and acknowledged by the
    person (R6313-4 1°), as the bilan needs before its investigation phase. Idempotent."""
    record = PreliminaryRecord.objects.filter(bilan=bilan).first()
    if record is None:
        record = bilans.preliminary_record_save(
            consultant=bilan.consultant, bilan=bilan, data=DEMO_PRELIMINARY, expected_version=0
        )
    if not record.is_acknowledged:
        bilans.preliminary_record_acknowledge(
            beneficiary=bilan.beneficiary, bilan=bilan, expected_version=record.version
        )


def seed_bilan_followup(people: dict[Role, list[User]]) -> None:
    """A closed bilan for the last beneficiary (run by the consultant who invited them),
    with the end-of-bilan satisfaction answers and a follow-up interview proposed six months
    later. Skipped when that beneficiary already has a bilan."""

    beneficiary = people[Role.BENEFICIARY][-1]
    if Bilan.objects.filter(beneficiary=beneficiary).exists():
        return
    consultant = beneficiary.memberships.get(role=Role.BENEFICIARY).consultant
    bilan = bilans.bilan_open(consultant=consultant, beneficiary=beneficiary, funding=Funding.CPF)
    bilans.bilan_consent_give(beneficiary=beneficiary, bilan=bilan, text_version=consent.VERSION)
    preliminary_demo(bilan)
    bilan.refresh_from_db()
    for phase in (Phase.INVESTIGATION, Phase.CONCLUSION):
        bilan = bilans.bilan_phase_advance(actor=consultant, bilan=bilan, to_phase=phase)
    # A bilan closes as completed once its synthèse is presented; Hugo validated his and
    # added his observations.
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
    document = bilans.synthesis_observations_save(
        beneficiary=beneficiary,
        bilan=bilan,
        observations=(
            "Je me reconnais dans cette synthèse. J'ajoute que l'animation des ateliers "
            "m'attire autant que le support lui-même."
        ),
        expected_version=document.version,
    )
    document = bilans.synthesis_validate(
        beneficiary=beneficiary, bilan=bilan, expected_version=document.version
    )
    # Before the end (R6313-7): the synthèse sent to his CEP, kept one year from that share,
    # and his written agreement to keep what the six-month follow-up needs.
    bilans.synthesis_share_create(
        beneficiary=beneficiary,
        document=document,
        recipient=bilans.ShareRecipient(
            name="Inès Caron",
            email="ines.caron@cep.example.org",
            role="Conseillère en évolution professionnelle",
            organisation="CEP Occitanie",
            purpose="Préparer ma demande de formation à l'animation d'ateliers.",
            to_cep=True,
        ),
    )
    bilans.keep_agreement_give(
        beneficiary=beneficiary,
        bilan=bilan,
        agreement=bilans.AgreementInput(
            kinds=["isolation_checks", "projects", "followup_notes"],
            need=(
                "Faire le point à six mois avec mon conseiller sur mon passage au poste de "
                "référent support, et comparer mon point sur l'isolement."
            ),
        ),
    )
    # Its entretiens: six of three hours over ten weeks, recorded afterwards (the demo opens
    # the bilan today), so that its hours, rate and CPF service fait read as a bilan carried
    # to its term.
    now = timezone.now()
    Bilan.objects.filter(pk=bilan.pk).update(opened_at=now - timedelta(weeks=11))
    bilan.refresh_from_db()
    today = timezone.localdate(now)
    for weeks_ago in (10, 8, 6, 4, 2, 1):
        # On a working day: no demo entretien on a Sunday or a public holiday.
        day = working_day_on_or_before(today - timedelta(weeks=weeks_ago))
        entretien_record_unplanned(
            consultant=consultant,
            bilan=bilan,
            start=datetime.combine(day, time(14, 0), tzinfo=PARIS),
            duration_minutes=180,
            mode=MeetingMode.VIDEO,
            reason="Entretien du bilan de démonstration, tenu avant sa saisie dans Tisser.",
        )
    bilan.refresh_from_db()
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
    day = working_day_on_or_after(timezone.localdate() + relativedelta(months=6))
    bilans.followup_propose(
        consultant=consultant,
        bilan=bilan,
        start=datetime.combine(day, time(14, 0), tzinfo=PARIS),
        duration_minutes=60,
        mode=MeetingMode.VIDEO,
        location="https://visio.example.org/suivi-bilan",
        message="Faisons le point ensemble sur votre projet, six mois après votre bilan.",
    )


# Investigation tools of the first beneficiary's bilan (parcours, réussites, portfolio).

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
DEMO_KEEPS = ("budget", "evenement", "assemblee", "comptab", "depense")
"""Camille keeps, among each réussite's suggestions, the first ones that name what she did
(the engine's ranking is not hers to trust blindly); the others stay for her to examine."""


def investigation_demo(beneficiary: User, consultant: User) -> None:
    """A plausible parcours, two réussites with accepted suggestions and a portfolio with
    mixed envies for the first demo beneficiary, through the services. Her bilan is opened
    (consent given, investigation phase) when she has none. Idempotent: nothing is added to
    a bilan whose parcours is already filled. Fiches and ROME items are looked up by code in
    the imported référentiel and left out when it is absent."""
    bilan = Bilan.objects.filter(beneficiary=beneficiary).order_by("-opened_at").first()
    if bilan is None:
        bilan = bilans.bilan_open(
            consultant=consultant, beneficiary=beneficiary, funding=Funding.CPF
        )
    if bilan.status == Phase.CLOSED or bilan.experiences.exists():
        return
    if not hasattr(bilan, "consent"):
        bilans.bilan_consent_give(
            beneficiary=beneficiary, bilan=bilan, text_version=consent.VERSION
        )
    if bilan.status == Phase.PRELIMINARY:
        preliminary_demo(bilan)
        bilan.refresh_from_db()
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
        kept = [
            suggestion
            for suggestion in achievement.suggestions.order_by("rank", "code_ogr")
            if any(word in fold(suggestion.label) for word in DEMO_KEEPS)
        ]
        for suggestion in kept[:SUGGESTIONS_ACCEPTED]:
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
        constraints="Pas plus d'une heure de trajet : je dépose ma fille au lycée le matin.",
        work_setting="Une équipe présente sur place : je ne veux plus travailler seule chez moi.",
        other="Organiser des événements qui rassemblent les gens.",
    )


# Exploration and projects (bilan, points 5 and 6).

EXPLORATION_SHORTLIST = (
    ("K2111", "Animer des formations pour adultes : ce que je préférais dans mon poste RH."),
    ("K1801", "À explorer : rencontrer une conseillère en insertion de la Mission locale."),
)


def sessions_demo(bilan) -> None:
    """Six weekly two-hour entretiens for the demo bilan, the first three already held: two
    recorded by the consultant, the last one signed by the beneficiary (émargement). Skipped
    when the bilan already has entretiens or is closed."""
    if bilan.status == Phase.CLOSED or bilan.sessions.exists():
        return
    # Weekly, every one on a working day; from 15 to 20 days ago, so that three are held.
    today = timezone.localdate()
    day = weekly_working_start(today - timedelta(days=15), 6, earliest=today - timedelta(days=20))
    series = bilans.bilan_session_plan(
        consultant=bilan.consultant,
        bilan=bilan,
        first_start=datetime.combine(day, time(10, 0), tzinfo=PARIS),
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
    bilan = Bilan.objects.filter(beneficiary=beneficiary).order_by("-opened_at", "-id").first()
    if bilan is None:
        bilan = bilans.bilan_open(
            consultant=consultant, beneficiary=beneficiary, funding=Funding.CPF
        )
    return bilan


def exploration_demo(people: dict[Role, list[User]]) -> str:
    """Camille Roussel keeps two fiches to explore and has one preferred project with its
    feasibility checklist under way and three dated steps. Needs the ROME référentiel
    (`import_rome`): skipped, with a note, when it is not imported yet."""
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


def interrupted_demo(people: dict[Role, list[User]]) -> str:
    """Élodie Gauthier's bilan, interrupted during its investigation phase: two entretiens
    held, then she took up a full-time job (reason « interruption »). Skipped when she
    already has a bilan."""
    beneficiary = people[Role.BENEFICIARY][-2]
    if Bilan.objects.filter(beneficiary=beneficiary).exists():
        return "Bilan interrompu : déjà présent."
    consultant = beneficiary.memberships.get(role=Role.BENEFICIARY).consultant
    bilan = bilans.bilan_open(consultant=consultant, beneficiary=beneficiary, funding=Funding.CPF)
    Bilan.objects.filter(pk=bilan.pk).update(opened_at=timezone.now() - timedelta(days=40))
    bilan.refresh_from_db()
    bilans.bilan_consent_give(beneficiary=beneficiary, bilan=bilan, text_version=consent.VERSION)
    preliminary_demo(bilan)
    bilan.refresh_from_db()
    bilan = bilans.bilan_phase_advance(actor=consultant, bilan=bilan, to_phase=Phase.INVESTIGATION)
    today = timezone.localdate()
    day = weekly_working_start(today - timedelta(days=28), 5, earliest=today - timedelta(days=33))
    series = bilans.bilan_session_plan(
        consultant=consultant,
        bilan=bilan,
        first_start=datetime.combine(day, time(14, 0), tzinfo=PARIS),
        duration_minutes=120,
        rrule="FREQ=WEEKLY;COUNT=5",
        mode=MeetingMode.VIDEO,
        location="https://visio.example.org/bilan-elodie",
    )
    for occurrence in series.occurrences.order_by("start")[:2]:
        attendance_record(
            actor=consultant,
            occurrence=occurrence,
            user=beneficiary,
            status=Attendance.Status.PRESENT,
        )
    bilan.refresh_from_db()
    # She stopped a few days after her second entretien: the entretiens planned after that
    # day were cancelled then (the service cancels only those still to come today).
    second = series.occurrences.order_by("start")[1]
    ended_on = timezone.localdate(second.start) + timedelta(days=3)
    bilan = bilans.bilan_end_early(
        consultant=consultant,
        bilan=bilan,
        outcome=Outcome.INTERRUPTED,
        reason=EndReason.INTERRUPTION,
        ended_on=ended_on,
        note="A repris un emploi à temps plein.",
        cancel_future_sessions=True,
    )
    series.occurrences.filter(start__gt=bilan.closed_at, status=Occurrence.Status.SCHEDULED).update(
        status=Occurrence.Status.CANCELLED
    )
    # She took her detailed results the evening her bilan ended, before its working
    # documents were destroyed (R6313-7): the demo does not open on a person who lost them.
    download = bilans.final_download_record(
        actor=beneficiary, bilan=bilan, kind=FinalDownload.Kind.RESULTS
    )
    FinalDownload.objects.filter(pk=download.pk).update(
        at=datetime.combine(ended_on, time(18, 30), tzinfo=PARIS)
    )
    return (
        "Bilan interrompu : Élodie Gauthier, en phase d'investigation, 4 h réalisées, "
        "résultats détaillés téléchargés le jour de la fin."
    )


@register("bilan_followup", order=40, after=("people",))
def followup_demo(demo: Demo) -> None:
    seed_bilan_followup(demo.people)


@register("bilan_investigation", order=50, after=("people",))
def investigation_seed(demo: Demo) -> None:
    investigation_demo(demo.people[Role.BENEFICIARY][0], demo.people[Role.CONSULTANT][0])


SUGGESTION_HISTORY_BILANS = 30
SUGGESTION_HISTORY_KEPT = (0.72, 0.58, 0.47, 0.38, 0.3, 0.24)
"""The share of suggestions kept at each rank in the demo's history (fictional)."""


def suggestion_history_demo(organisation) -> int:
    """The anonymous decisions (ADR 0040) of 30 earlier, fictional bilans of the organisation,
    whose réussites were destroyed with their working documents: the acceptance page has
    figures to show. Each bilan decided on the first suggestions of two or three réussites,
    over the last eleven months. Deterministic (a fixed seed)."""
    first = bilans.suggestion_contributor("suggestions:demo-history-0")
    if SuggestionDecision.objects.filter(organisation=organisation, contributor=first).exists():
        return 0
    chance = random.Random(19)
    today = timezone.localdate()
    rows = []
    for number in range(SUGGESTION_HISTORY_BILANS):
        contributor = bilans.suggestion_contributor(f"suggestions:demo-history-{number}")
        for _recit in range(chance.choice((2, 3))):
            decided_on = today - timedelta(days=chance.randint(5, 330))
            for rank, kept in enumerate(SUGGESTION_HISTORY_KEPT[: chance.randint(4, 6)], start=1):
                rows.append(
                    SuggestionDecision(
                        organisation=organisation,
                        contributor=contributor,
                        rank=rank,
                        kind="savoir" if chance.random() < 0.25 else "competence",
                        accepted=chance.random() < kept,
                        engine=ENGINE_VERSION,
                        decided_on=decided_on,
                    )
                )
    SuggestionDecision.objects.bulk_create(rows)
    return len(rows)


@register("bilan_suggestion_history", order=55, after=("bilan_investigation",))
def suggestion_history_seed(demo: Demo) -> None:
    suggestion_history_demo(demo.organisation)


@register("bilan_sessions", order=60, after=("bilan_investigation",))
def sessions_seed(demo: Demo) -> None:
    sessions_demo(demo_bilan(demo.people[Role.BENEFICIARY][0], demo.people[Role.CONSULTANT][0]))


@register("bilan_exploration", order=70, after=("bilan_sessions",))
def exploration_seed(demo: Demo) -> None:
    demo.notes.append(exploration_demo(demo.people))


def emargement_demo(bilan) -> None:
    """Émargement evidence on the demo bilan (ADR 0018): the consultant confirms the
    entretiens held except the oldest one (left "noted by the consultant alone"), and an
    entretien held by phone without being planned is recorded afterwards with its reason.
    Skipped when the bilan is closed or already has an unplanned entretien."""
    if bilan.status == Phase.CLOSED or bilan.sessions.exclude(unplanned_reason="").exists():
        return
    rows = emargement_rows(bilan)
    if rows and rows[0].start < bilan.opened_at:
        # The demo bilan is opened when the demo is seeded, its first entretiens planned in
        # the past: date its opening a week before them, as a real one would be.
        opened_at = rows[0].start - timedelta(days=7)
        Bilan.objects.filter(pk=bilan.pk).update(opened_at=opened_at)
        bilan.opened_at = opened_at
    for row in rows[1:]:
        if row.consultant_confirmed_at is None and row.beneficiary_status in (None, "present"):
            entretien_consultant_confirm(
                consultant=bilan.consultant,
                bilan=bilan,
                occurrence=Occurrence.objects.get(pk=row.occurrence_id),
            )
    day = working_day_on_or_before(timezone.localdate() - timedelta(days=4))
    start = datetime.combine(day, time(17, 30), tzinfo=PARIS)
    if timezone.localdate(start) >= timezone.localdate(bilan.opened_at):
        entretien_record_unplanned(
            consultant=bilan.consultant,
            bilan=bilan,
            start=start,
            duration_minutes=45,
            mode=MeetingMode.PHONE,
            reason="Point téléphonique demandé par Camille avant son enquête métier.",
        )


@register("bilan_emargement", order=65, after=("bilan_sessions",))
def emargement_seed(demo: Demo) -> None:
    emargement_demo(demo_bilan(demo.people[Role.BENEFICIARY][0], demo.people[Role.CONSULTANT][0]))


# Funding and its paperwork (issue 14, point 3): one bilan of each funding. Camille's CPF
# bilan is above; Thomas is funded by his employer with a convention signed in time, Inès
# pays for her bilan under a contract, Karim's employer-funded convention waits for his
# signature with its deadline showing.


def _paperwork_bilan(people, index: int, funding: Funding, funder: str, price: str):
    """The bilan of the `index`-th demo beneficiary, opened by their inviting consultant
    with its funding, funder and price; None when they already have one (left as it is)."""
    beneficiary = people[Role.BENEFICIARY][index]
    if Bilan.objects.filter(beneficiary=beneficiary).exists():
        return None
    consultant = beneficiary.memberships.get(role=Role.BENEFICIARY).consultant
    bilan = bilans.bilan_open(
        consultant=consultant,
        beneficiary=beneficiary,
        funding=funding,
        funder_name=funder,
        price_euros=Decimal(price),
    )
    bilans.bilan_consent_give(beneficiary=beneficiary, bilan=bilan, text_version=consent.VERSION)
    return bilan


def _demo_convention(bilan, *, employer: str, representative: str):
    values = {
        **bilans.convention_initial(bilan),
        "employer_name": employer,
        "employer_address": "8 rue d'Alsace-Lorraine\n31000 Toulouse",
        "employer_representative": representative,
    }
    return bilans.convention_save(
        consultant=bilan.consultant, bilan=bilan, values=values, expected_version=0
    )


def paperwork_demo(people: dict[Role, list[User]]) -> str:
    notes = []
    today = timezone.localdate()
    thomas = _paperwork_bilan(
        people, 1, Funding.EMPLOYER, "Garonne Logistique (OPCO Mobilités)", "1900"
    )
    if thomas is not None:
        convention = _demo_convention(
            thomas, employer="Garonne Logistique", representative="M. Rey, DRH"
        )
        bilans.convention_signatures_save(
            consultant=thomas.consultant,
            bilan=thomas,
            expected_version=convention.version,
            values={
                "transmitted_on": today - timedelta(days=9),
                "organisme_signed_on": today - timedelta(days=9),
                "employer_signed_on": today - timedelta(days=8),
                "beneficiary_signed_on": today - timedelta(days=4),
                "signed_place": "Toulouse",
            },
        )
        preliminary_demo(thomas)
        thomas.refresh_from_db()
        bilans.bilan_phase_advance(
            actor=thomas.consultant, bilan=thomas, to_phase=Phase.INVESTIGATION
        )
        notes.append("convention signée dans les dix jours (Thomas Garnier)")
    ines = _paperwork_bilan(people, 2, Funding.PERSONAL, "", "1500")
    if ines is not None:
        contract = bilans.contract_save(
            consultant=ines.consultant,
            bilan=ines,
            expected_version=0,
            values={
                **bilans.contract_initial(ines),
                "trainers": (
                    "Claire Morel, psychologue du travail (master 2 de psychologie sociale et "
                    "du travail), conseillère bilan depuis 2015."
                ),
            },
        )
        bilans.contract_signatures_save(
            consultant=ines.consultant,
            bilan=ines,
            expected_version=contract.version,
            values={
                "signed_on": today - timedelta(days=4),
                "organisme_signed_on": today - timedelta(days=4),
                "signed_place": "Toulouse",
                "withdrawn_on": None,
                "upfront_paid_on": None,
            },
        )
        notes.append("contrat en délai de rétractation (Inès Lefebvre)")
    karim = _paperwork_bilan(
        people, 3, Funding.EMPLOYER, "Mairie de Colomiers (plan de formation)", "1750"
    )
    if karim is not None:
        convention = _demo_convention(
            karim, employer="Mairie de Colomiers", representative="Mme Vidal, DGS"
        )
        bilans.convention_signatures_save(
            consultant=karim.consultant,
            bilan=karim,
            expected_version=convention.version,
            values={
                "transmitted_on": today - timedelta(days=7),
                "organisme_signed_on": today - timedelta(days=7),
                "employer_signed_on": today - timedelta(days=6),
                "beneficiary_signed_on": None,
                "signed_place": "Toulouse",
            },
        )
        notes.append("convention en attente de signature, délai affiché (Karim Haddad)")
    if not notes:
        return "Financements : bilans de démonstration déjà présents."
    return "Financements : " + " ; ".join(notes) + "."


@register("bilan_paperwork", order=80, after=("people",))
def paperwork_seed(demo: Demo) -> None:
    demo.notes.append(paperwork_demo(demo.people))


# CPF dossiers: in their own module, registered on import.
from tisser.bilans import cpf_demo  # noqa: E402, F401


@register("bilan_interrupted", order=75, after=("people",))
def interrupted_seed(demo: Demo) -> None:
    demo.notes.append(interrupted_demo(demo.people))


def timeline_demo(bilan: Bilan) -> None:
    """Date the steps of a demo bilan as they would have happened. The services date each
    step "now", but the demo records its entretiens in the past: left so, a bilan would read
    "en investigation depuis aujourd'hui" with its investigation entretiens weeks ago, or
    "terminé le 27 novembre" with a consent given after. Only backdates (never later than
    the service's date, never before the opening), when entretiens were held:
    - the consent is given, and the preliminary record acknowledged, the week before the
      first entretien (or at the opening, when it is later);
    - the investigation phase begins with the first entretien held, the conclusion with the
      last one (when three or more were held).
    The end (its transition, `closed_at`) is the service's, already after the entretiens."""
    end = bilan.closed_at or timezone.now()
    held = list(
        Occurrence.objects.filter(series__bilan_session__bilan=bilan, end__lte=end)
        .exclude(status=Occurrence.Status.CANCELLED)
        .order_by("start")
    )
    if not held:
        return
    targets = {Phase.INVESTIGATION: held[0].start}
    if len(held) >= 3:
        targets[Phase.CONCLUSION] = held[-1].start
    for transition in bilan.transitions.exclude(to_phase=Phase.CLOSED):
        target = targets.get(transition.to_phase)
        if target is not None and target < transition.at:
            transition.at = max(target, bilan.opened_at)
            transition.save(update_fields=["at"])
    given_at = max(held[0].start - timedelta(days=7), bilan.opened_at)
    consent_ = getattr(bilan, "consent", None)
    if consent_ is not None and consent_.accepted_at > given_at:
        type(consent_).objects.filter(pk=consent_.pk).update(accepted_at=given_at)
    acknowledged_at = min(given_at + timedelta(hours=1), held[0].start)
    PreliminaryRecord.objects.filter(bilan=bilan, acknowledged_at__gt=acknowledged_at).update(
        created_at=given_at, updated_at=given_at, acknowledged_at=acknowledged_at
    )


@register(
    "bilan_timeline",
    order=195,
    after=("bilan_followup", "bilan_emargement", "bilan_cpf", "bilan_interrupted"),
)
def timeline_seed(demo: Demo) -> None:
    for bilan in Bilan.objects.filter(organisation=demo.organisation).select_related("consent"):
        timeline_demo(bilan)


@register("bilan_preliminary_records", order=190, after=("people",))
def preliminary_records_seed(demo: Demo) -> None:
    """Any demo bilan still in its preliminary phase (other parts of the demo may open some)
    gets its preliminary record, acknowledged: what stops it there is something else."""
    for bilan in Bilan.objects.filter(
        organisation=demo.organisation, status=Phase.PRELIMINARY, preliminary__isnull=True
    ).select_related("consultant", "beneficiary"):
        preliminary_demo(bilan)


@register("bilan_last_activity", order=990, after=("bilan_timeline",))
def last_activity_seed(demo: Demo) -> None:
    """The demo moves dates into the past after the fact (`timeline_demo`): each bilan's
    last activity is read again from its sources."""
    bilan_activity_refresh(Bilan.objects.filter(organisation=demo.organisation))
