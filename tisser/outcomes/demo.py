"""Demo data for the programme's outcomes (issue #17, point 6; `seed_demo`, registered in
`tisser.core.demo`): a programme cohort of COHORT_SIZE fictional people of the demo organisme
whose bilans ended over the last fourteen months, so that every outcome figure shows on a
fresh `make run` — and, for Camille Roussel, her path inside her open bilan (her checks and
her network dated over the weeks, `camille_path`).

The figures count people by whole blocks of five along the months (ADR 0013, ADR 0032): the
cohort comes in quintets, five people whose bilans ended in the same month and went on the
same way (`QUINTETS`), so that the figures of the last twelve months and of each semester
show — at the end of the bilan, 3 and 6 months after, with and without a mentor or a group,
by third of network growth — and those of a month cut in the middle do not.

Each person of the cohort has, written through the services and then dated in the past
(the services write "now"; `.update(...)` moves the dates, as the other demo parts do):
- a bilan opened and closed (most completed, a few interrupted or abandoned), with its
  entretiens held (fewer for those ended early) and its satisfaction answers at the end for
  most; the person joined when it opened and was last active at its end or their last
  follow-up;
- isolation checks at its start and end and, for those who gave the written agreement that
  keeps them (`keep_agreement_give`), 3 and 6 months after its end when that day has come:
  most people improve, some stay where they were, a few get worse;
- a network that grows from the bilan's start to six months after its end, at one of three
  paces (a couple of contacts, a handful, a dozen), with introductions (one contact brings
  another) and enquêtes-métiers moved through dated stages — the isolation change follows
  the pace, as the programme hopes (a correlation the figures say is not a cause);
- for some, a mentor after the bilan, its agreement signed and monthly meetings held (most
  mentorships over by now, some ended early, the latest still under way), and
  for others a peer group of their promotion with meetings held, commitments and check-ins;
- then the daily destruction of the bilans' documents (`bilans_documents_destroy`, R6313-7)
  has run for them, as in an organisme a year on: anonymous `OutcomeRecord` rows, and the
  isolation checks an agreement still keeps.

Mentors and peer groups need the ROME référentiel, as their own demo parts do: without it
the cohort has neither. Safe to run twice: nothing is added once the cohort's first person
has a bilan."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.db.models import F, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from tisser.accounts.demo import demo_email
from tisser.accounts.models import Membership, User
from tisser.accounts.services import membership_create, user_create
from tisser.assessments import isolation, loneliness
from tisser.assessments.models import IsolationCheck
from tisser.assessments.services import isolation_check_record
from tisser.bilans import consent, satisfaction
from tisser.bilans import services as bilans
from tisser.bilans.demo import preliminary_demo
from tisser.bilans.models import (
    Bilan,
    BilanConsent,
    BilanSession,
    EndReason,
    Funding,
    KeepAgreement,
    Outcome,
    Phase,
    PhaseTransition,
    PreliminaryRecord,
    SatisfactionMoment,
    SatisfactionResponse,
)
from tisser.bilans.services.emargement import entretien_record_unplanned
from tisser.bilans.services.retention import bilans_documents_destroy, bilans_due
from tisser.core.demo import Demo, register
from tisser.core.enums import Role
from tisser.core.workdays import working_day_on_or_after
from tisser.meetings.models import (
    Attendance,
    MeetingMode,
    MeetingSeries,
    Occurrence,
    SeriesParticipant,
)
from tisser.meetings.services import attendance_record
from tisser.meetings.services.series import series_occurrences_extend
from tisser.mentoring import services as mentoring
from tisser.mentoring.models import (
    Agreement,
    DaySlot,
    MentorProfile,
    Mentorship,
    availability_bit,
)
from tisser.mentoring.services import mentorship_close, mentorship_start
from tisser.network import services as network
from tisser.network.models import Contact, HowKnown, InformationalInterview, Stage
from tisser.notifications.models import Notification
from tisser.peers.models import (
    Commitment,
    PeerGroup,
    PeerGroupMember,
    PeerMode,
    PeerProfile,
    ProjectType,
    Rhythm,
)
from tisser.peers.models import Stage as PeerStage
from tisser.peers.services import (
    PeerPreferencesData,
    commitment_add,
    commitment_check_in,
    peer_preferences_save,
)
from tisser.peers.services.formation import peer_cohort_set
from tisser.peers.services.groups import peer_group_activate
from tisser.peers.services.membership import peer_member_accept
from tisser.peers.services.repairs import peer_group_end
from tisser.referentiel.models import RomeVersion

PARIS = ZoneInfo("Europe/Paris")
FUNDER = "France Travail (aide individuelle à la formation)"

# The cohort: fictional people, women and men, of every age (their addresses end in
# @demo.tisser.fr as every demo account; without a password: nobody signs in as them). Each
# has a first name and a surname of their own, paired by index (the two lists are as long as
# the cohort; `test_demo` checks that no name is taken by another demo account).
FIRST_NAMES_COHORT = (
    "Aurélie", "Jérôme", "Nadège", "Samir", "Chloé", "Antoine", "Fatou", "Bruno", "Manon",
    "Didier", "Laetitia", "Rachid", "Émilie", "Florian", "Sandrine", "Kevin", "Hélène",
    "Grégoire", "Agnès", "Yannick", "Coralie", "Mehdi", "Véronique", "Thierry", "Sabrina",
    "Cédric", "Mélanie", "Ludovic", "Awa", "Rodolphe", "Capucine", "Sébastien", "Delphine",
    "Franck",
    "Céline", "Nordine", "Margaux", "Mickaël", "Virginie", "Ariane", "Joël", "Arnaud",
    "Quentin", "Baptiste", "Leïla", "Christophe", "Morgane", "Patrice", "Josiane", "Youssef",
    "Aline", "Guillaume", "Myriam", "Hervé", "Ophélie", "Damien", "Corinne", "Tristan",
    "Bérénice", "Alain", "Noémie", "Frédéric", "Soraya", "Yves", "Pauline", "Marc",
    "Anaïs", "Jean-Luc", "Laure", "Romain", "Clémence", "Benjamin", "Gwenaëlle", "Philippe",
    "Assia", "Maxime", "Isabelle", "Lionel", "Estelle", "Vincent", "Audrey", "Solène",
    "Dominique", "Rémi", "Yasmina", "Gilles", "Marine", "Gaétan", "Carole", "Abdel",
)  # fmt: skip
LAST_NAMES_COHORT = (
    "Moreau", "Blanc", "Faure", "Mercier", "Giraud", "Bertin", "Lefèvre", "Roux", "Chauvin",
    "Barbier", "Picard", "Marchal", "Rivière", "Benoît", "Collet", "Lemaire", "Aubert",
    "Charpentier", "Perret", "Lecomte", "Marechal", "Renard", "Durand", "Carpentier", "Meunier",
    "Leroux", "Bonnet", "Fabre", "Guérin", "Tessier", "Hoarau", "Diallo", "Haddad", "Nguyen",
    "Ferreira", "Martin", "Lopez", "Besson", "Ollivier", "Pons", "Colin", "Marty", "Bouvier",
    "Granger", "Lebrun", "Costa", "Rolland", "Maillard", "Langlois", "Baudry", "Cordier",
    "Delorme", "Ferrand", "Jourdan", "Laborde", "Mallet", "Poirier", "Roussel", "Sanchez",
    "Vasseur", "Bailly", "Charrier", "Dupuy", "Gaillard", "Hamon", "Jacquet", "Lacoste",
    "Morel", "Prévost", "Rey", "Salmon", "Texier", "Vallet", "Weber", "Arnaud", "Boyer",
    "Camus", "Daniel", "Etienne", "Fleury", "Guillot", "Hubert", "Imbert", "Joly", "Klein",
    "Lambert", "Masson", "Noël", "Orsini", "Pasquier",
)  # fmt: skip

# The cohort comes in "quintets", five people whose bilans ended in the same month and who
# share how they went on — so that the programme's figures, which count people by whole
# blocks of five along the months (ADR 0013, ADR 0032), show for the last twelve months and
# for each semester. (months before the current one when the bilans ended, kind, mentor,
# peer group), kinds:
# - "F": completed, written agreement to keep the checks for the follow-up, answered at 3 and
#   6 months; "F3": answered at 3 months only; "F0": answered neither;
# - "C": completed, no follow-up agreement; "E": ended early (interrupted, abandoned), no
#   check at the end.
QUINTETS = (
    (14, "F", True, True),
    (13, "C", False, False),
    (12, "E", False, False),
    (11, "F", True, True),
    (11, "F", False, False),
    (10, "F", True, False),
    (10, "F0", False, True),
    (9, "F", False, True),
    (9, "C", True, False),
    (8, "F3", True, True),
    (8, "E", False, False),
    (7, "F", True, False),
    (6, "F", False, True),
    (5, "C", False, False),
    (4, "F", False, False),
    (3, "C", False, False),
    (2, "E", False, False),
    (1, "F", False, True),
)
COHORT_SIZE = 5 * len(QUINTETS)
COHORT = tuple(zip(FIRST_NAMES_COHORT, LAST_NAMES_COHORT, strict=True))
EARLY_REASONS = (
    (Outcome.INTERRUPTED, EndReason.INTERRUPTION),
    (Outcome.ABANDONED, EndReason.ABANDON),
    (Outcome.INTERRUPTED, EndReason.FORCE_MAJEURE),
    (Outcome.ABANDONED, EndReason.ABSENCE),
    (Outcome.INTERRUPTED, EndReason.INTERRUPTION),
)

# How the isolation score moves, by place in the quintet: most improve at the end of the
# bilan (by 25 points), one stays where they were, one gets worse (by 20 points); after it,
# the fifth one rotates from quintet to quintet, so that each way counts five people at the
# follow-up moments too. A meaningful change is 10 points (ADR 0032).
IMPROVED, STABLE, WORSE = "improved", "stable", "worse"
AT_THE_END = (IMPROVED, IMPROVED, STABLE, WORSE, IMPROVED)
AFTER = (IMPROVED, IMPROVED, STABLE, WORSE, None)
FIFTH_AFTER = (STABLE, WORSE, IMPROVED, IMPROVED)  # by quintet number, modulo 4
# The network's pace, by place in the quintet: those who improve grew theirs most.
PACES = ("high", "high", "mid", "low", "mid")

# No satisfaction answers (not everyone answers), by index in the cohort.
NO_SATISFACTION_EVERY = 7

# The promotions, by the month the bilan ended.
PROMOTIONS = (
    ("Promotion automne 2025", date(2025, 9, 1), date(2026, 1, 31)),
    ("Promotion printemps 2026", date(2026, 2, 1), date(2026, 6, 30)),
    ("Promotion été 2026", date(2026, 7, 1), date(2026, 12, 31)),
)
GROUP_NAMES = (
    "Les Passerelles",
    "Les Boussoles",
    "Les Cordées",
    "Les Lucioles",
    "Les Éclaireurs",
    "Les Racines",
    "Les Voyageurs",
    "Les Semeurs",
)

# A mentor after the bilan, by place in the quintet: "full" ran past six months after the
# bilan, "medium" past three months only, "early" ended after two months — so that the
# mentorships alive at 3 and at 6 months, and those that were not, each count five people at
# least. A mentorship whose end would come less than STILL_GOING_DAYS ago is still under way
# (the "full" ones of the last mentored quintet, past six months): one per mentor (index in
# MENTORS, taking turns), a place their capacity counts (`tisser.mentoring.demo`), so that a
# round over the autumn 2026 promotion finds the places it did before (the mentoring journey
# relies on it) — the two latest quintets, whose bilans ended weeks ago, have no mentor yet.
# Bernard Aubry (the mentor the demo signs in as) and Nathalie Chevalier (Hugo's) are left as
# they are.
MENTORSHIP_HOW = ("full", "full", "full", "medium", "early")
COHORT_MENTORS = (1, 2, 6)
MENTORSHIP_AFTER_END_DAYS = 12
# How long each lasted: "full" to its planned end (six months), closed a few days after.
MENTORSHIP_LENGTH = {
    "full": relativedelta(months=6, days=4),
    "medium": relativedelta(days=130),
    "early": relativedelta(days=60),
}
STILL_GOING_DAYS = 21

TUESDAY_EVENING = availability_bit(1, DaySlot.EVENING)
GROUP_MEETING = time(18, 30)

# Contacts met, for the cohort's networks.
FIRST_NAMES = (
    "Alice",
    "Benoît",
    "Carole",
    "David",
    "Estelle",
    "Fabien",
    "Gaëlle",
    "Hervé",
    "Isabelle",
    "Jean",
    "Karine",
    "Loïc",
    "Marion",
    "Nicolas",
    "Odile",
    "Pierre",
    "Rose",
    "Simon",
)
LAST_NAMES = (
    "Adam",
    "Baron",
    "Caron",
    "Delmas",
    "Étienne",
    "Fleury",
    "Gilles",
    "Hamel",
    "Jacob",
    "Klein",
    "Lacroix",
    "Millet",
    "Navarro",
    "Olivier",
    "Poulain",
    "Royer",
    "Tessier",
)
JOBS = (
    ("Formatrice", "GRETA Garonne", "Formation"),
    ("Chargé de recrutement", "Airparts Occitanie", "Industrie"),
    ("Infirmière coordinatrice", "Clinique Pasteur", "Santé"),
    ("Conseiller en insertion", "Mission locale Toulouse", "Social"),
    ("Responsable logistique", "Transports Lacoste", "Logistique"),
    ("Développeuse web", "Atelier Pixel Garonne", "Numérique"),
    ("Comptable", "Cabinet Delmas", "Finance"),
    ("Chef de projet", "Fondation du Midi", "Associatif"),
    ("Animatrice", "Centre social Bagatelle", "Social"),
    ("Responsable de boutique", "Librairie Ombres blanches", "Commerce"),
)
HOW_KNOWN = ("former_colleague", "linkedin", "alumni", "event", "former_manager", "association")


@dataclass(frozen=True)
class Path:
    """One person of the cohort: when their bilan ran and how it ended, their isolation
    scores at each moment (None: not measured), how their network grew, their mentor and
    group."""

    index: int
    quintet: int
    opened_on: date
    ended_on: date
    outcome: Outcome
    reason: str
    followed: bool
    scores: dict[str, int | None]
    contacts: int
    introductions: int
    enquetes_done: int
    promotion: str
    mentor: str | None  # how the mentorship went, None without one
    in_group: bool


def _measured(path: Path, moment: str) -> int:
    score = path.scores[moment]
    assert score is not None
    return score


def _score_after(start: int, way: str, *, drop: int) -> int:
    if way == IMPROVED:
        return max(5, start - drop)
    if way == WORSE:
        return min(100, start + 20)
    return start


def cohort_paths(today: date) -> list[Path]:
    """The cohort's story, the same every run (relative to `today`)."""
    paths = []
    this_month = today.replace(day=1)
    for quintet, (months_ago, kind, mentor, group) in enumerate(QUINTETS):
        month = this_month - relativedelta(months=months_ago)
        for place in range(5):
            index = 5 * quintet + place
            ended_on = min(month + timedelta(days=3 + 5 * place), today - timedelta(days=3))
            early = kind == "E"
            weeks = 4 + index % 3 if early else 8 + index % 5
            opened_on = ended_on - timedelta(weeks=weeks)
            at_end = AT_THE_END[place]
            after = AFTER[place] or FIFTH_AFTER[quintet % len(FIFTH_AFTER)]
            # Those who get worse started lower: there is room above them.
            start = (45 + index * 3 % 30) if WORSE in (at_end, after) else 62 + index * 7 % 33
            drop = 24 + index % 6
            end = _score_after(start, at_end, drop=drop)
            follow = _score_after(start, after, drop=drop + 3)
            answered = {"F": 2, "F3": 1}.get(kind, 0)
            plus_3 = plus_6 = None
            if answered >= 1 and ended_on + relativedelta(months=3, days=4) < today:
                plus_3 = follow if after != IMPROVED else max(5, follow + 3)
            if answered >= 2 and ended_on + relativedelta(months=6, days=4) < today:
                plus_6 = follow
            pace = PACES[place]
            contacts = {"high": 6 + index % 4, "mid": 3 + index % 2, "low": index % 3}[pace]
            outcome, reason = (
                EARLY_REASONS[place] if early else (Outcome.COMPLETED, EndReason.ABANDON)
            )
            paths.append(
                Path(
                    index=index,
                    quintet=quintet,
                    opened_on=opened_on,
                    ended_on=ended_on,
                    outcome=outcome,
                    reason=str(reason) if early else "",
                    followed=kind.startswith("F"),
                    scores={
                        IsolationCheck.Moment.START: start,
                        IsolationCheck.Moment.END: None if early else end,
                        IsolationCheck.Moment.PLUS_3_MONTHS: plus_3,
                        IsolationCheck.Moment.PLUS_6_MONTHS: plus_6,
                    },
                    contacts=contacts,
                    introductions={"high": contacts // 3, "mid": 1, "low": 0}[pace],
                    enquetes_done={"high": contacts // 3, "mid": 1, "low": 0}[pace],
                    promotion=next(
                        name for name, first, last in PROMOTIONS if first <= ended_on <= last
                    ),
                    mentor=MENTORSHIP_HOW[place] if mentor else None,
                    in_group=group,
                )
            )
    return paths


# --- Isolation checks --------------------------------------------------------------------------

# Answers vary around a level, as real answers do (mean 0), the same way every run.
SWING = (0.0, 0.4, -0.4, 0.2, -0.2, 0.0, 0.3, -0.3)


def isolation_answers(target: int, seed: int = 0) -> dict[str, int]:
    """Answers to the isolation check whose overall score comes near `target` (0–100)."""
    level = isolation.SCALE_MIN + (isolation.SCALE_MAX - isolation.SCALE_MIN) * target / 100
    answers = {}
    for n, item in enumerate(isolation.ITEMS):
        value = round(level + SWING[(n + seed) % len(SWING)])
        value = max(isolation.SCALE_MIN, min(isolation.SCALE_MAX, value))
        answers[item.id] = (
            isolation.SCALE_MAX + isolation.SCALE_MIN - value if item.reverse else value
        )
    return answers


def research_answers(target: int, *, with_scale: bool = True) -> dict[str, int]:
    """The research questions asked with the check (ADR 0031), consistent with the level of
    isolation: how often one feels lonely (1 never … 5 often or always) and, `with_scale`, the
    three items of the short loneliness scale (1 hardly ever, 2 some of the time, 3 often)."""
    share = target / 100
    answers = {loneliness.FREQUENCY_ID: max(1, min(5, round(1 + 4 * share)))}
    if with_scale:
        for item_id, offset in zip(loneliness.SCALE_IDS, (-0.3, 0.0, 0.3), strict=True):
            answers[item_id] = max(1, min(3, round(1 + 2 * share + offset)))
    return answers


def check_record(user: User, moment: str, target: int, at: datetime, seed: int = 0):
    """An isolation check of `user` near `target`, dated `at`, with the research questions
    the form asks: the direct question always, the short scale when its use is permitted
    (`loneliness.scale_permitted`)."""
    answers = isolation_answers(target, seed) | research_answers(
        target, with_scale=loneliness.scale_permitted()
    )
    check = isolation_check_record(user=user, moment=moment, answers=answers)
    IsolationCheck.objects.filter(pk=check.pk).update(created_at=at)
    return check


# --- Bilans ------------------------------------------------------------------------------------


def _at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


SYNTHESIS = bilans.SynthesisSections(
    circumstances=(
        "Après plusieurs années seul·e face à son travail, la personne a demandé ce bilan pour "
        "retrouver un cap et des échanges avec d'autres professionnels."
    ),
    competences=(
        "Organisation, sens du service, capacité à apprendre vite ; envie de travailler au "
        "contact d'une équipe."
    ),
    projects=(
        "Un projet confronté au terrain par des enquêtes-métiers, avec ses étapes datées : "
        "formation courte, rencontres avec des professionnels, candidature."
    ),
)
AGREEMENT_NEED = (
    "Faire le point à trois et six mois avec ma conseillère, et comparer mes points sur "
    "l'isolement avec ceux du bilan."
)


def _person(organisation, first_name: str, last_name: str, consultant: User) -> User:
    email = demo_email(first_name, last_name)
    user = User.objects.filter(email=email).first()
    if user is None:
        user = user_create(
            email=email,
            password=None,
            first_name=first_name,
            last_name=last_name,
        )
    if not Membership.objects.filter(user=user, organisation=organisation).exists():
        membership_create(
            user=user, organisation=organisation, role=Role.BENEFICIARY, invited_by=consultant
        )
    return user


def _bilan(path: Path, person: User, consultant: User) -> Bilan:
    """The bilan of `path`, through its phases, dated in the past; its checks, agreement and
    satisfaction answers."""
    opened_at = _at(path.opened_on, 9)
    ended_at = _at(path.ended_on, 17)
    bilan = bilans.bilan_open(
        consultant=consultant, beneficiary=person, funding=Funding.OTHER, funder_name=FUNDER
    )
    Bilan.objects.filter(pk=bilan.pk).update(opened_at=opened_at)
    bilan.refresh_from_db()
    bilans.bilan_consent_give(beneficiary=person, bilan=bilan, text_version=consent.VERSION)
    preliminary_demo(bilan)
    bilan.refresh_from_db()
    bilan = bilans.bilan_phase_advance(actor=consultant, bilan=bilan, to_phase=Phase.INVESTIGATION)
    _entretiens(path, bilan, consultant)
    scores = path.scores
    check_record(
        person,
        IsolationCheck.Moment.START,
        _measured(path, IsolationCheck.Moment.START),
        opened_at + timedelta(days=3),
        path.index,
    )
    if path.outcome == Outcome.COMPLETED:
        bilan = bilans.bilan_phase_advance(actor=consultant, bilan=bilan, to_phase=Phase.CONCLUSION)
        document = bilans.synthesis_save(
            consultant=consultant, bilan=bilan, sections=SYNTHESIS, expected_version=0
        )
        document = bilans.synthesis_submit(
            consultant=consultant, bilan=bilan, expected_version=document.version
        )
        if path.index % 4 == 0:
            bilans.synthesis_validate(
                beneficiary=person, bilan=bilan, expected_version=document.version
            )
        check_record(
            person,
            IsolationCheck.Moment.END,
            _measured(path, IsolationCheck.Moment.END),
            ended_at - timedelta(days=3),
            path.index + 1,
        )
        if path.followed:
            agreement = bilans.keep_agreement_give(
                beneficiary=person,
                bilan=bilan,
                agreement=bilans.AgreementInput(kinds=["isolation_checks"], need=AGREEMENT_NEED),
            )
            KeepAgreement.objects.filter(pk=agreement.pk).update(
                given_at=ended_at - timedelta(days=2)
            )
        bilan.refresh_from_db()
        bilan = bilans.bilan_phase_advance(actor=consultant, bilan=bilan, to_phase=Phase.CLOSED)
        Bilan.objects.filter(pk=bilan.pk).update(closed_at=ended_at)
        bilan.refresh_from_db()
    else:
        bilan = bilans.bilan_end_early(
            consultant=consultant,
            bilan=bilan,
            outcome=path.outcome,
            reason=path.reason,
            ended_on=path.ended_on,
            note="A repris un emploi." if path.outcome == Outcome.INTERRUPTED else "",
        )
        assert bilan.closed_at is not None
        ended_at = bilan.closed_at
    _timeline(bilan, opened_at, ended_at)
    for moment, months in (
        (IsolationCheck.Moment.PLUS_3_MONTHS, 3),
        (IsolationCheck.Moment.PLUS_6_MONTHS, 6),
    ):
        score = scores[moment]
        if score is not None:
            at = ended_at + relativedelta(months=months) + timedelta(days=2)
            check_record(person, moment, score, at, path.index + months)
    # Joined when the bilan opened (the invitation a few days before), not on the day of the
    # seeding; its last activity is dated by `cohort_activity_seed`.
    invited = opened_at - timedelta(days=4)
    User.objects.filter(pk=person.pk).update(date_joined=invited)
    Membership.objects.filter(user=person, organisation=bilan.organisation).update(
        created_at=invited
    )
    if path.index % NO_SATISFACTION_EVERY != 3:
        response = bilans.satisfaction_respond(
            beneficiary=person,
            bilan=bilan,
            moment=SatisfactionMoment.END,
            answers=_satisfaction(path),
        )
        SatisfactionResponse.objects.filter(pk=response.pk).update(
            created_at=ended_at + timedelta(days=1)
        )
    return bilan


# Entretiens held, by kind of end: a completed bilan had ENTRETIENS_COMPLETED[i] of them, one
# ended early fewer; each of 2 h to 3 h (ENTRETIEN_MINUTES), on working days spread over the
# bilan. They were held before the bilan reached Tisser: its first is recorded through
# `entretien_record_unplanned` (as Hugo's in `tisser.bilans.demo`), the others copied from it
# in bulk — the same rows (series, participants, meeting, entretien, attendance and signature),
# without the service's audit entries — to keep the seed quick.
ENTRETIENS_COMPLETED = (4, 5, 6, 3, 5, 4)
ENTRETIENS_EARLY = (1, 2, 2)
ENTRETIEN_MINUTES = (120, 150, 180)
ENTRETIEN_REASON = "Entretien du bilan de démonstration, tenu avant sa saisie dans Tisser."


def _entretien_slots(path: Path) -> list[tuple[datetime, int, str]]:
    completed = path.outcome == Outcome.COMPLETED
    counts = ENTRETIENS_COMPLETED if completed else ENTRETIENS_EARLY
    count = counts[path.index % len(counts)]
    # From the second week to a few days before the end (a week and a half before
    # an early end: the person had stopped coming).
    first = path.opened_on + timedelta(days=8)  # in the investigation phase (`_timeline`)
    last = path.ended_on - timedelta(days=4 if completed else 10)
    step = max(1, (last - first).days // max(1, count))
    slots: list[tuple[datetime, int, str]] = []
    for n in range(count):
        day = first + timedelta(days=step * n)
        day = working_day_on_or_after(day)
        minutes = ENTRETIEN_MINUTES[(path.index + n) % len(ENTRETIEN_MINUTES)]
        mode = MeetingMode.VIDEO if n % 2 else MeetingMode.ON_SITE
        slots.append((_at(day, 14 if n % 2 else 9), minutes, mode))
    return slots


def _entretiens(path: Path, bilan: Bilan, consultant: User) -> None:
    slots = _entretien_slots(path)
    start, minutes, mode = slots[0]
    occurrence = entretien_record_unplanned(
        consultant=consultant,
        bilan=bilan,
        start=start,
        duration_minutes=minutes,
        mode=mode,
        reason=ENTRETIEN_REASON,
    )
    series = occurrence.series
    session = BilanSession.objects.get(series=series)
    participants = list(SeriesParticipant.objects.filter(series=series))
    attendances = list(Attendance.objects.filter(occurrence=occurrence))
    copies = []
    for start, minutes, mode in slots[1:]:
        copy = MeetingSeries(
            **{
                field.attname: getattr(series, field.attname)
                for field in MeetingSeries._meta.concrete_fields
                if field.attname not in ("id", "uid")
            }
        )
        copy.first_start, copy.duration_minutes, copy.mode = start, minutes, mode
        copies.append(copy)
    copies = MeetingSeries.objects.bulk_create(copies)
    meetings = Occurrence.objects.bulk_create(
        Occurrence(
            series=copy,
            original_start=copy.first_start,
            start=copy.first_start,
            end=copy.first_start + timedelta(minutes=copy.duration_minutes),
            mode=copy.mode,
        )
        for copy in copies
    )
    SeriesParticipant.objects.bulk_create(
        SeriesParticipant(series=copy, user_id=participant.user_id, role=participant.role)
        for copy in copies
        for participant in participants
    )
    BilanSession.objects.bulk_create(
        BilanSession(
            bilan=bilan,
            series=copy,
            unplanned_reason=session.unplanned_reason,
            recorded_afterwards_at=session.recorded_afterwards_at,
        )
        for copy in copies
    )
    Attendance.objects.bulk_create(
        Attendance(
            occurrence=meeting,
            user_id=attendance.user_id,
            status=attendance.status,
            recorded_by_id=attendance.recorded_by_id,
            confirmed_by_participant_at=attendance.confirmed_by_participant_at,
        )
        for meeting in meetings
        for attendance in attendances
    )
    # Recorded and signed when each ended, not on the seeding day.
    ended = Subquery(Occurrence.objects.filter(pk=OuterRef("occurrence_id")).values("end")[:1])
    attendances_of = Attendance.objects.filter(occurrence__in=[occurrence, *meetings])
    attendances_of.update(recorded_at=ended)
    attendances_of.filter(confirmed_by_participant_at__isnull=False).update(
        confirmed_by_participant_at=ended
    )


def _satisfaction(path: Path) -> dict[str, int]:
    happy = path.outcome == Outcome.COMPLETED
    answers = {item.id: (4 + path.index % 2 if happy else 3) for item in satisfaction.ITEMS}
    answers[satisfaction.RECOMMENDATION] = (7 + path.index % 4) if happy else 5 + path.index % 3
    return answers


def _timeline(bilan: Bilan, opened_at: datetime, ended_at: datetime) -> None:
    """Date the consent, the preliminary record and each phase between the opening and the
    end, as they would have happened."""
    BilanConsent.objects.filter(bilan=bilan).update(accepted_at=opened_at + timedelta(hours=1))
    acknowledged = opened_at + timedelta(days=2)
    PreliminaryRecord.objects.filter(bilan=bilan).update(
        created_at=opened_at + timedelta(days=1),
        updated_at=opened_at + timedelta(days=1),
        acknowledged_at=acknowledged,
    )
    moments: dict[str, datetime] = {
        Phase.INVESTIGATION: opened_at + timedelta(days=7),
        Phase.CONCLUSION: ended_at - timedelta(days=14),
        Phase.CLOSED: ended_at,
    }
    for transition in PhaseTransition.objects.filter(bilan=bilan):
        PhaseTransition.objects.filter(pk=transition.pk).update(at=moments[transition.to_phase])


# --- Networks ----------------------------------------------------------------------------------


def _network(path: Path, person: User, now: datetime) -> None:
    """`path.contacts` contacts added between the bilan's start and six months after its end
    (or now), the later ones sometimes introduced by an earlier one, and enquêtes-métiers
    done with some of them, each step dated."""
    if not path.contacts:
        return
    first = _at(path.opened_on + timedelta(days=5), 11)
    last = min(_at(path.ended_on, 11) + relativedelta(months=6), now - timedelta(days=2))
    step = (last - first) / max(1, path.contacts)
    made: list[Contact] = []
    introduced = 0
    for n in range(path.contacts):
        at = first + step * n
        job, company, sector = JOBS[(path.index + n) % len(JOBS)]
        by = None
        if made and introduced < path.introductions and n % 2 == 1:
            by = made[-1]  # a chain: the last one met introduces the next one
            introduced += 1
        contact = network.contact_create(
            owner=person,
            data=network.ContactData(
                first_name=FIRST_NAMES[(path.index * 3 + n) % len(FIRST_NAMES)],
                last_name=LAST_NAMES[(path.index * 5 + n * 2) % len(LAST_NAMES)],
                job_title=job,
                company=company,
                sector=sector,
                how_known=HowKnown.INTRODUCED if by else HOW_KNOWN[(path.index + n) % 6],
                introduced_by=by,
            ),
        )
        Contact.objects.filter(pk=contact.pk).update(created_at=at, updated_at=at)
        made.append(contact)
        if n < path.enquetes_done:
            _enquete(person, contact, at, now)
        elif n == path.enquetes_done and path.enquetes_done > 1:
            # One more asked for, still without an answer: the funnel narrows.
            _enquete(person, contact, at, now, last=Stage.MESSAGE_SENT)


def _enquete(
    person: User, contact: Contact, at: datetime, now: datetime, last: str = Stage.THANKED
) -> None:
    """An enquête with `contact`, from a day after meeting them to their thanks (or to the
    step `last`), each step at its day when that day has come."""
    interview = network.interview_start(owner=person, contact=contact, at=at + timedelta(days=1))
    meeting = at + timedelta(days=9)
    steps = (
        (Stage.MESSAGE_SENT, at + timedelta(days=2), None),
        (Stage.MEETING_SET, at + timedelta(days=4), meeting),
        (Stage.INTERVIEW_DONE, meeting + timedelta(hours=2), None),
        (Stage.THANKED, meeting + timedelta(days=1), None),
    )
    for stage, when, meeting_at in steps:
        if when > now:
            break
        interview = network.interview_advance(
            actor=person, interview=interview, to_stage=stage, at=when, meeting_at=meeting_at
        )
        if stage == last:
            break
    if last == Stage.MESSAGE_SENT and at + timedelta(days=30) < now:
        # Never answered: given up, as the person would have (no reminder left pending).
        network.interview_outcome_set(
            actor=person, interview=interview, outcome=InformationalInterview.Outcome.DROPPED
        )
    InformationalInterview.objects.filter(pk=interview.pk).update(created_at=at + timedelta(days=1))


# --- Mentors -----------------------------------------------------------------------------------


# Mentorships without a written agreement (by index in the cohort): one in NO_AGREEMENT_EVERY.
NO_AGREEMENT_EVERY = 7
# Those whose attendance was recorded at their last meetings (a few, as in real life).
ATTENDANCE_EVERY = 3
ATTENDANCE_MEETINGS = 3


def _mentorship(path: Path, person: User, mentor: MentorProfile, how: str, now: datetime):
    """The mentorship of `path`, begun MENTORSHIP_AFTER_END_DAYS after the bilan ended and
    dated: its agreement signed in its first days (for most) with monthly meetings from the
    tenth, held until it ended — after MENTORSHIP_LENGTH[how]; still under way when that
    day has not come (`how` "full" of the latest mentored quintet)."""
    started = _at(path.ended_on, 18) + timedelta(days=MENTORSHIP_AFTER_END_DAYS)
    if started > now:
        return
    mentorship = mentorship_start(
        mentee=person, mentor=mentor, origin=Mentorship.Origin.ROUND, by=mentor.user
    )
    agreement = _agreement(mentorship, now) if path.index % NO_AGREEMENT_EVERY != 4 else None
    Mentorship.objects.filter(pk=mentorship.pk).update(
        started_at=started,
        planned_end=timezone.localdate(started) + relativedelta(months=6),
        last_activity_at=started,
    )
    mentorship.refresh_from_db()
    story_end = started + MENTORSHIP_LENGTH[how]
    ended = story_end if story_end < now - timedelta(days=STILL_GOING_DAYS) else None
    last_activity = started
    if agreement is not None:
        last_activity = _meetings(mentorship, agreement, ended, now, path.index)
    if ended is None:
        # Past its planned end and still going: the two of them extended it by two months,
        # and their meetings go on.
        mentorship.refresh_from_db()
        if mentorship.planned_end < timezone.localdate(now) + timedelta(days=STILL_GOING_DAYS):
            mentorship = mentoring.mentorship_extend(
                actor=person,
                mentorship=mentorship,
                months=2,
                expected_version=mentorship.version,
            )
        Mentorship.objects.filter(pk=mentorship.pk).update(last_activity_at=last_activity)
        return
    mentorship.refresh_from_db()
    summary = (
        "Nous avons arrêté d'un commun accord : mon projet a changé de direction."
        if how == "early"
        else "Des mois d'échanges : mon projet est lancé, nous restons en contact."
    )
    mentorship_close(
        actor=person, mentorship=mentorship, summary=summary, expected_version=mentorship.version
    )
    Mentorship.objects.filter(pk=mentorship.pk).update(ended_at=ended, last_activity_at=ended)
    MeetingSeries.objects.filter(mentorship=mentorship).update(ended_at=ended)


def _agreement(mentorship: Mentorship, now: datetime) -> Agreement:
    """The agreement written by the mentor and signed by both (its first meeting ahead, as
    signing requires: `_meetings` dates it all back)."""
    mentor = mentorship.mentor.user
    agreement, _changed = mentoring.agreement_save(
        actor=mentor,
        mentorship=mentorship,
        data=mentoring.AgreementData(
            goals_summary="Confronter le projet du bilan au terrain et préparer les premières "
            "démarches.",
            mentee_expectations="Un regard de l'intérieur sur le métier, et quelques mises en "
            "relation.",
            mentor_commitment="Une rencontre par mois, des retours francs, des contacts de mon "
            "réseau.",
            meeting_minutes=60,
            meetings_per_month=1,
            confidentiality="Ce qui se dit entre nous reste entre nous.",
            duration_months=6,
            first_meeting_at=now + timedelta(days=1),
            first_meeting_mode=MeetingMode.VIDEO,
            first_meeting_place="https://visio.demo.tisser.fr/mentorat",
        ),
        expected_version=None,
    )
    agreement = mentoring.agreement_sign(
        actor=mentor, mentorship=mentorship, expected_version=agreement.version
    )
    return mentoring.agreement_sign(
        actor=mentorship.mentee, mentorship=mentorship, expected_version=agreement.version
    )


def _meetings(
    mentorship: Mentorship,
    agreement: Agreement,
    ended: datetime | None,
    now: datetime,
    index: int,
) -> datetime:
    """The agreement signed in the mentorship's first days, its monthly meetings from the
    tenth day until its end (or its planned end), and the attendance of the last ones
    recorded for some. Returns the latest sign of life."""
    started = mentorship.started_at
    mentor = mentorship.mentor.user
    signed = started + timedelta(days=3)
    first = _at(timezone.localdate(started) + timedelta(days=10), 18)
    Agreement.objects.filter(pk=agreement.pk).update(
        mentor_signed_at=signed - timedelta(hours=20),
        mentee_signed_at=signed,
        first_meeting_at=first,
        updated_at=signed,
    )
    mentorship.refresh_from_db()
    series = mentorship.series
    assert series is not None
    # The meetings planned again from the first, until the mentorship ended (or its end).
    until = timezone.localdate(ended) if ended else mentorship.planned_end
    parts = [p for p in series.rrule.split(";") if not p.startswith(("UNTIL=", "COUNT="))]
    series.occurrences.all().delete()
    MeetingSeries.objects.filter(pk=series.pk).update(
        first_start=first, rrule=";".join([*parts, f"UNTIL={until:%Y%m%d}"]), created_at=signed
    )
    series.refresh_from_db()
    series_occurrences_extend(series=series)
    held = list(series.occurrences.filter(start__lt=now).order_by("-start"))
    if index % ATTENDANCE_EVERY == 0:
        for occurrence in held[:ATTENDANCE_MEETINGS]:
            attendance_record(
                actor=mentor,
                occurrence=occurrence,
                user=mentorship.mentee,
                status=Attendance.Status.PRESENT,
            )
            Attendance.objects.filter(occurrence=occurrence).update(
                recorded_at=occurrence.start + timedelta(hours=2)
            )
    return max([signed, *(occurrence.start for occurrence in held[:1])])


# --- Peer groups -------------------------------------------------------------------------------


def _preferences(person: User, organisation, coordinator: User, path: Path) -> None:
    """Every person of the cohort gave their preferences, filed under their promotion; those
    of a group sought one."""
    profile = peer_preferences_save(
        user=person,
        organisation=organisation,
        data=_peer_data(path.in_group),
        expected_version=0,
    )
    peer_cohort_set(coordinator=coordinator, profile=profile, cohort=path.promotion)


def _peer_data(seeking: bool) -> PeerPreferencesData:
    return PeerPreferencesData(
        seeking=seeking,
        availability=TUESDAY_EVENING,
        stage=PeerStage.PROJECT_DEFINED,
        project_type=ProjectType.RECONVERSION,
        rhythm=Rhythm.MONTHLY,
        mode=PeerMode.VIDEO,
        departement="",
        languages=["fr"],
        sectors=[],
        attribute="",
        avoid_isolation=False,
        introduction="Après mon bilan, je veux garder le lien avec d'autres en reconversion.",
    )


def _tuesday_on_or_after(day: date) -> date:
    return day + timedelta(days=(1 - day.weekday()) % 7)


def _group(
    name: str,
    promotion: str,
    members: list[tuple[Path, User]],
    organisation,
    coordinator: User,
    *,
    quiet: bool,
    today: date,
) -> PeerGroup:
    """A group of `members` as a formation proposes it, published by the coordination, joined
    by each member; its meetings every two weeks since a week after its last member's bilan
    opened. A `quiet` group stopped meeting two months ago and was ended by the coordination;
    the others hold their meetings, with attendance and commitments checked in."""
    group = PeerGroup.objects.create(
        organisation=organisation, name=name, cohort=promotion, rhythm=Rhythm.MONTHLY
    )
    for position, (_path, user) in enumerate(members):
        PeerGroupMember.objects.create(group=group, user=user, position=position)
    group = peer_group_activate(group=group, by=coordinator)
    for _path, user in members:
        peer_member_accept(actor=user, group=group)
    started_on = max(path.opened_on for path, _user in members) + timedelta(days=7)
    started = _at(started_on, 9)
    PeerGroupMember.objects.filter(group=group).update(joined_at=started, accepted_at=started)
    PeerGroup.objects.filter(pk=group.pk).update(
        created_at=started, published_at=started, last_activity_at=started
    )
    # Its meetings, planned again from its first (a Tuesday evening, the members' slot).
    series = group.series
    assert series is not None
    first = _at(_tuesday_on_or_after(started_on + timedelta(days=7)), 18, 30)
    rrule = series.rrule
    if quiet:
        meetings = (today - timedelta(days=60) - first.date()).days // 14 + 1
        rrule = f"{rrule};COUNT={max(1, meetings)}"
    series.occurrences.all().delete()
    MeetingSeries.objects.filter(pk=series.pk).update(first_start=first, rrule=rrule)
    series.refresh_from_db()
    series_occurrences_extend(series=series)
    organiser = members[0][1]
    held = list(
        Occurrence.objects.filter(series=series, start__lt=timezone.now()).order_by("-start")[:2]
    )
    for occurrence in held:
        for n, (path, user) in enumerate(members):
            absent = (n + occurrence.pk + path.index) % 5 == 0
            attendance_record(
                actor=organiser,
                occurrence=occurrence,
                user=user,
                status=Attendance.Status.ABSENT if absent else Attendance.Status.PRESENT,
            )
    if quiet:
        peer_group_end(actor=coordinator, group=group)
        # Its members looked for no other group: they are not among those who seek one.
        for _path, user in members:
            profile = PeerProfile.objects.get(user=user, organisation=organisation)
            peer_preferences_save(
                user=user,
                organisation=organisation,
                data=_peer_data(seeking=False),
                expected_version=profile.version,
            )
        last = held[0].start if held else started
        PeerGroup.objects.filter(pk=group.pk).update(
            ended_at=last + timedelta(days=30), last_activity_at=last
        )
        return group
    _commitments(group, members, today)
    return group


COMMITMENTS = (
    "Contacter deux anciens collègues pour une enquête-métier.",
    "Mettre à jour mon CV avec les compétences du bilan.",
    "M'inscrire à la réunion d'information de la formation.",
)
OUTCOMES = (Commitment.Outcome.DONE, Commitment.Outcome.PARTIAL, Commitment.Outcome.NOT_DONE)


def _commitments(group: PeerGroup, members: list[tuple[Path, User]], today: date) -> None:
    """Each member took a commitment last month and checked it in (most done); one for this
    month, still open."""
    for n, (path, user) in enumerate(members):
        for months_ago in (1, 0):
            day = today - relativedelta(months=months_ago)
            commitment = commitment_add(
                actor=user,
                group=group,
                text=COMMITMENTS[(n + months_ago) % len(COMMITMENTS)],
                today=day,
            )
            created = _at(day.replace(day=min(day.day, 3)) if months_ago else day, 19)
            Commitment.objects.filter(pk=commitment.pk).update(created_at=created)
            if months_ago:
                outcome = (
                    OUTCOMES[0]
                    if (n + months_ago + path.index) % 3
                    else OUTCOMES[1 + (n + months_ago) % 2]
                )
                commitment_check_in(actor=user, commitment=commitment, outcome=outcome, today=day)
                Commitment.objects.filter(pk=commitment.pk).update(
                    checked_in_at=created + timedelta(days=20)
                )


# --- Camille's path ----------------------------------------------------------------------------

# Her checks after the first (which the safety-net demo records, about 95): (moment, days
# ago, overall score aimed at).
CAMILLE_CHECKS = ((IsolationCheck.Moment.OTHER, 12, 70), (IsolationCheck.Moment.OTHER, 2, 50))
# When she added each of her contacts (`tisser.network.demo`), in days ago: her former
# manager, a former colleague and a trainer the day after her bilan opened; then, as her
# enquêtes went, the people they introduced her to (Karim → Léa → Nadia, Sophie → Thomas)
# and others.
CAMILLE_CONTACTS = {
    ("Sophie", "Marchand"): None,  # the day after her bilan opened
    ("Karim", "Benali"): None,
    ("Marc", "Olivier"): None,
    ("Julien", "Perrin"): 16,
    ("Léa", "Fontaine"): 13,  # at her enquête with Karim
    ("Hélène", "Garnier"): 9,
    ("Nadia", "Haddad"): 6,
    ("Thomas", "Lemoine"): 4,
}


def camille_path(camille: User) -> str:
    """Camille Roussel's path inside her open bilan, for her story: her first isolation check
    dated two days after her bilan opened, two later ones (about 70, then 50), and her contacts
    dated as she met them — each before her first step with them. Nothing is added once she
    has a check of another moment."""
    bilan = Bilan.objects.filter(beneficiary=camille, closed_at__isnull=True).first()
    if bilan is None:
        return "Parcours de Camille : pas de bilan en cours, rien d'ajouté."
    if IsolationCheck.objects.filter(user=camille, moment=IsolationCheck.Moment.OTHER).exists():
        return "Parcours de Camille : déjà présent."
    now = timezone.now()
    first = IsolationCheck.objects.filter(user=camille).order_by("created_at").first()
    if first is not None:
        IsolationCheck.objects.filter(pk=first.pk).update(
            created_at=bilan.opened_at + timedelta(days=2, hours=2)
        )
    for n, (moment, days_ago, target) in enumerate(CAMILLE_CHECKS):
        check_record(camille, moment, target, now - timedelta(days=days_ago, hours=3), n)
    for (first_name, last_name), added_days_ago in CAMILLE_CONTACTS.items():
        met = (
            bilan.opened_at + timedelta(days=1)
            if added_days_ago is None
            else now - timedelta(days=added_days_ago, hours=1)
        )
        contacts = Contact.objects.filter(owner=camille, first_name=first_name, last_name=last_name)
        for contact in contacts:
            steps = contact.interviews.values_list("events__at", flat=True)
            earliest = min((at for at in steps if at is not None), default=None)
            at = min(met, earliest) if earliest else met
            Contact.objects.filter(pk=contact.pk).update(created_at=at, updated_at=at)
            contact.interviews.update(created_at=earliest or at)
    return (
        "Parcours de Camille : trois points sur l'isolement (96, puis 70 et 50 environ) et "
        "ses contacts datés depuis le début de son bilan."
    )


@register(
    "outcomes_camille",
    order=205,
    after=("safety_net", "bilan_timeline", "network"),
)
def camille_seed(demo: Demo) -> None:
    demo.notes.append(camille_path(demo.people[Role.BENEFICIARY][0]))


# --- The cohort --------------------------------------------------------------------------------


def cohort_demo(organisation, people: dict[Role, list[User]]) -> str:
    consultants = people[Role.CONSULTANT]
    coordinator = people[Role.COORDINATOR][0]
    first_name, last_name = COHORT[0]
    if Bilan.objects.filter(beneficiary__email=demo_email(first_name, last_name)).exists():
        return "Résultats du programme : la promotion de démonstration est déjà présente."
    now = timezone.now()
    today = timezone.localdate(now)
    notified = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
    with_referentiel = RomeVersion.objects.current() is not None
    mentors = {
        profile.user_id: profile
        for profile in MentorProfile.objects.filter(organisation=organisation)
    }
    mentor_users = people[Role.MENTOR]
    paths = cohort_paths(today)
    persons: dict[int, User] = {}
    cohort_bilans = []
    for path in paths:
        consultant = consultants[path.index % len(consultants)]
        person = _person(organisation, *COHORT[path.index], consultant)
        persons[path.index] = person
        cohort_bilans.append(_bilan(path, person, consultant))
        _network(path, person, now)
        if with_referentiel:
            _preferences(person, organisation, coordinator, path)
            if path.mentor is not None:
                user = mentor_users[COHORT_MENTORS[path.index % len(COHORT_MENTORS)]]
                mentor = mentors.get(user.pk)
                if mentor is not None:
                    _mentorship(path, person, mentor, path.mentor, now)
    if with_referentiel:
        groups = [
            [path for path in paths if path.quintet == quintet]
            for quintet, (_months, _kind, _mentor, group) in enumerate(QUINTETS)
            if group
        ]
        for n, members in enumerate(groups):
            _group(
                GROUP_NAMES[n % len(GROUP_NAMES)],
                members[0].promotion,
                [(path, persons[path.index]) for path in members],
                organisation,
                coordinator,
                quiet=n == 0,
                today=today,
            )
    # A year on, the daily job has destroyed their bilans' documents (R6313-7), keeping what
    # an agreement still keeps; the figures the programme needs stay, anonymous.
    due = [bilan for bilan in bilans_due(today=today) if bilan.pk in {b.pk for b in cohort_bilans}]
    bilans_documents_destroy(bilans=due, today=today)
    # Their notices (synthèse presented, mentorship ended…) went out at the time, and were read.
    Notification.objects.filter(pk__gt=notified).update(
        status=Notification.Status.SENT, sent_at=now, read_at=now
    )
    return (
        f"Résultats du programme : {COHORT_SIZE} personnes dont le bilan s'est terminé ces "
        "quatorze derniers mois, avec leurs points sur l'isolement, leur réseau, mentors et "
        "groupes de pairs ; documents détruits comme après un an de fonctionnement."
    )


@register(
    "outcomes_cohort",
    order=200,
    after=("people", "bilan_timeline", "network", "mentoring", "peers"),
)
def cohort_seed(demo: Demo) -> None:
    demo.notes.append(cohort_demo(demo.organisation, demo.people))


def cohort_activity(organisation) -> None:
    """The cohort's bilans were last active at their end, or at a later follow-up check or
    contact of the person — not when the demo wrote them: the demo-wide refresh
    (`bilan_last_activity`) reads the audit entries, all of the seeding day."""
    people = User.objects.filter(email__in=[demo_email(*name) for name in COHORT])
    later = (
        IsolationCheck.objects.filter(
            user=OuterRef("beneficiary"), organisation=OuterRef("organisation")
        )
        .order_by("-created_at")
        .values("created_at")[:1],
        Contact.objects.filter(owner=OuterRef("beneficiary"))
        .order_by("-created_at")
        .values("created_at")[:1],
    )
    Bilan.objects.filter(
        organisation=organisation, beneficiary__in=people, closed_at__isnull=False
    ).update(
        last_activity_at=Greatest(
            F("closed_at"), *(Coalesce(Subquery(source), F("closed_at")) for source in later)
        )
    )


@register(
    "outcomes_cohort_activity",
    order=995,
    after=("outcomes_cohort", "bilan_last_activity"),
)
def cohort_activity_seed(demo: Demo) -> None:
    cohort_activity(demo.organisation)
