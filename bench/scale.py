"""The network-size fixture of issue #16: `grow()` adds, with `bulk_create` in batches, an
organisme's worth of people and activity beside the demo (see bench/pages.py, which measures
the pages on it, and tests/bench/test_scale.py, which grows a tiny one).

Every person it creates has an address at BENCH_DOMAIN and one unusable password (no hashing);
bench/pages.py refuses a database holding anyone else (`real_users`). Sizes follow the number
of beneficiaries N (`Scale.for_beneficiaries`); at N = 5,000: 50 consultants (the heavy one
with 100 beneficiaries), 500 validated mentors with 1,000 mentorships, 200 peer groups of 3 to
5 with their meetings, a matching round of 400 proposals and a group formation of 300 people
in review, 2,000 contacts for the heavy beneficiary, and a second organisme of 1,000
beneficiaries with its own activity, so that a query that forgets the organisation shows."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

BENCH_DOMAIN = "bench.tisser.test"
BATCH = 2_000
SEED = 20261207


def real_users():
    """Users that are neither the demo's nor the bench's: a database holding one is not a
    bench database."""
    from tisser.accounts.demo import DEMO_DOMAIN
    from tisser.accounts.models import User

    return User.objects.exclude(email__iendswith=f"@{DEMO_DOMAIN}").exclude(
        email__iendswith=f"@{BENCH_DOMAIN}"
    )


@dataclass(frozen=True)
class Scale:
    beneficiaries: int
    consultants: int
    heavy_caseload: int
    contacts: int  # per beneficiary
    interviews: int  # per beneficiary
    meetings: int  # occurrences of each beneficiary's entretiens series
    mentors: int
    mentorships: int
    peer_groups: int
    round_mentees: int
    formation_people: int
    heavy_contacts: int
    notifications: int  # per beneficiary
    audit_events: int  # per beneficiary
    other_beneficiaries: int  # in the second organisme

    @classmethod
    def for_beneficiaries(cls, n: int) -> Scale:
        return cls(
            beneficiaries=n,
            consultants=max(2, round(n / 100)),
            heavy_caseload=min(100, max(1, n // 4)),
            contacts=20,
            interviews=5,
            meetings=10,
            mentors=max(2, n // 10),
            mentorships=max(2, n // 5),
            peer_groups=max(1, n // 25),
            round_mentees=min(400, max(1, n // 12)),
            formation_people=min(300, max(3, n // 16)),
            heavy_contacts=min(2_000, 20 * n),
            notifications=10,
            audit_events=5,
            other_beneficiaries=max(2, n // 5),
        )


class _Rows:
    """Rows to insert, flushed per model in batches."""

    def __init__(self):
        self.pending: dict = {}
        self.counts: dict[str, int] = {}

    def add(self, obj) -> None:
        self.pending.setdefault(type(obj), []).append(obj)

    def flush(self, model=None) -> None:
        for kind in [model] if model is not None else list(self.pending):
            rows = self.pending.pop(kind, [])
            if rows:
                kind.objects.bulk_create(rows, batch_size=BATCH)
                label = kind._meta.label
                self.counts[label] = self.counts.get(label, 0) + len(rows)


def _password() -> str:
    from django.contrib.auth.hashers import make_password

    return make_password(None)


def _users(rows: _Rows, prefix: str, count: int, password: str):
    from tisser.accounts.models import User

    users = User.objects.bulk_create(
        [
            User(
                email=f"{prefix}{n}@{BENCH_DOMAIN}",
                first_name=prefix.split(".")[0].capitalize(),
                last_name=f"Banc {n}",
                password=password,
            )
            for n in range(count)
        ],
        batch_size=BATCH,
    )
    rows.counts["accounts.User"] = rows.counts.get("accounts.User", 0) + len(users)
    return users


def _members(rows, users, organisation, role, *, consultants=None, inviter=None):
    from tisser.accounts.models import Membership

    for index, user in enumerate(users):
        consultant = consultants[index] if consultants is not None else None
        rows.add(
            Membership(
                user=user,
                organisation=organisation,
                role=role,
                invited_by=consultant or inviter,
                consultant=consultant,
            )
        )
    rows.flush(Membership)


def _series(rows, organisation, kind, title, organiser, participants, first, count, *, weeks=1):
    """A series, its participants and `count` weekly occurrences from `first`; the series is
    saved at once (its pk is needed), the rest is queued in `rows`."""
    from tisser.meetings.models import MeetingMode, MeetingSeries, Occurrence, SeriesParticipant

    series = MeetingSeries(
        organisation=organisation,
        kind=kind,
        title=title,
        created_by=organiser,
        first_start=first,
        duration_minutes=60,
        rrule=f"FREQ=WEEKLY;INTERVAL={weeks};COUNT={count}",
        mode=MeetingMode.VIDEO,
        location="https://visio.example.org/banc",
        uid=uuid.uuid4(),
    )
    rows.add(series)
    role = SeriesParticipant.ParticipantRole
    parts = [SeriesParticipant(series=series, user=organiser, role=role.ORGANISER)]
    parts += [SeriesParticipant(series=series, user=u, role=role.PARTICIPANT) for u in participants]
    occurrences = []
    for k in range(count):
        start = first + timedelta(weeks=k * weeks)
        occurrences.append(
            Occurrence(
                series=series,
                original_start=start,
                start=start,
                end=start + timedelta(hours=1),
                mode=MeetingMode.VIDEO,
            )
        )
    return series, parts, occurrences


def _save_series(rows, plans):
    """Insert the series of `plans` (series, participants, occurrences), then their rows."""
    from tisser.meetings.models import MeetingSeries, Occurrence, SeriesParticipant

    rows.flush(MeetingSeries)
    for _series_obj, parts, occurrences in plans:
        for part in parts:
            part.series_id = part.series.pk
            rows.add(part)
        for occurrence in occurrences:
            occurrence.series_id = occurrence.series.pk
            rows.add(occurrence)
    rows.flush(SeriesParticipant)
    rows.flush(Occurrence)


def _grow_organisation(
    rng: random.Random,
    rows: _Rows,
    organisation,
    *,
    n: int,
    n_consultants: int,
    tag: str,
    password: str,
    scale: Scale,
    coordinator,
    heavy_consultant=None,
    contacts: int,
    interviews: int,
    meetings: int,
) -> dict:
    """Consultants and beneficiaries of `organisation` with their bilans, checks, contacts,
    enquêtes, entretiens, notifications and audit events. Returns what later steps use."""
    from django.utils import timezone

    from tisser.assessments import isolation, loneliness
    from tisser.assessments.models import IsolationCheck
    from tisser.bilans import consent
    from tisser.bilans.models import (
        Bilan,
        BilanConsent,
        BilanSession,
        EndReason,
        FollowUp,
        Funding,
        Outcome,
        Phase,
        PhaseTransition,
        PreliminaryRecord,
    )
    from tisser.core.enums import Role
    from tisser.core.models import AuditEvent
    from tisser.meetings.models import Attendance, MeetingKind, MeetingMode
    from tisser.network.models import Contact, HowKnown, InformationalInterview, Stage, StageEvent
    from tisser.notifications.models import Channel, Notification
    from tisser.referentiel.models import Metier

    now = timezone.now()
    metiers = list(Metier.objects.values_list("pk", flat=True)) or [None]
    consultants = _users(rows, f"conseil.{tag}.", n_consultants, password)
    _members(rows, consultants, organisation, Role.CONSULTANT, inviter=coordinator)
    beneficiaries = _users(rows, f"benef.{tag}.", n, password)
    # The heavy consultant (a demo one when given) takes the first `heavy_caseload`.
    heavy = min(scale.heavy_caseload, n) if heavy_consultant is not None else 0
    caseload = [heavy_consultant] * heavy + [
        consultants[i % len(consultants)] for i in range(n - heavy)
    ]
    _members(rows, beneficiaries, organisation, Role.BENEFICIARY, consultants=caseload)

    # Bilans spread over the phases; a fifth closed (completed or interrupted) with a
    # follow-up proposed six months later.
    phases = [Phase.PRELIMINARY] * 15 + [Phase.INVESTIGATION] * 45 + [Phase.CONCLUSION] * 20
    phases += [Phase.CLOSED] * 20
    fundings = [Funding.CPF] * 6 + [Funding.EMPLOYER] * 2 + [Funding.PERSONAL, Funding.OTHER]
    bilans = []
    for user, consultant in zip(beneficiaries, caseload, strict=True):
        phase = rng.choice(phases)
        opened = now - timedelta(days=rng.randint(10, 300))
        closed = phase == Phase.CLOSED
        interrupted = closed and rng.random() < 0.2
        bilans.append(
            Bilan(
                organisation=organisation,
                beneficiary=user,
                consultant=consultant,
                funding=rng.choice(fundings),
                status=phase,
                price_euros=Decimal("1800"),
                planned_hours=Decimal("18"),
                opened_at=opened,
                closed_at=opened + timedelta(days=70) if closed else None,
                outcome=(Outcome.INTERRUPTED if interrupted else Outcome.COMPLETED)
                if closed
                else "",
                end_reason=EndReason.ABANDON if interrupted else "",
                hours_done=Decimal("8") if interrupted else None,
                outcome_recorded_at=opened + timedelta(days=70) if closed else None,
            )
        )
    Bilan.objects.bulk_create(bilans, batch_size=BATCH)
    rows.counts["bilans.Bilan"] = rows.counts.get("bilans.Bilan", 0) + len(bilans)
    order = [Phase.PRELIMINARY, Phase.INVESTIGATION, Phase.CONCLUSION, Phase.CLOSED]
    for bilan in bilans:
        reached = order.index(bilan.status)
        if reached >= 1:
            rows.add(
                BilanConsent(
                    bilan=bilan,
                    text_version=consent.VERSION,
                    text=str(consent.TEXT),
                    accepted_at=bilan.opened_at,
                    accepted_by=bilan.beneficiary,
                )
            )
            rows.add(
                PreliminaryRecord(
                    bilan=bilan,
                    request="Faire le point.",
                    need="Identifier ses compétences.",
                    format="mixed",
                    individual_hours=Decimal("18"),
                    objectives="Un projet réaliste.",
                    plan="Neuf entretiens.",
                    created_at=bilan.opened_at,
                    updated_at=bilan.opened_at,
                    updated_by=bilan.consultant,
                    acknowledged_at=bilan.opened_at + timedelta(days=2),
                )
            )
        for step in range(reached):
            rows.add(
                PhaseTransition(
                    bilan=bilan,
                    from_phase=order[step],
                    to_phase=order[step + 1],
                    at=bilan.opened_at + timedelta(days=7 + 20 * step),
                    by=bilan.consultant,
                )
            )
        if bilan.status == Phase.CLOSED and bilan.outcome == Outcome.COMPLETED:
            rows.add(
                FollowUp(
                    bilan=bilan,
                    start=bilan.closed_at + timedelta(days=182),
                    mode=MeetingMode.VIDEO,
                    proposed_at=bilan.closed_at,
                )
            )
    rows.flush()

    # Entretiens: one series per bilan, `meetings` weekly occurrences, the past ones attended.
    plans = []
    for bilan in bilans:
        first = bilan.opened_at.replace(hour=9, minute=0, second=0, microsecond=0)
        first += timedelta(days=3)
        plans.append(
            _series(
                rows,
                organisation,
                MeetingKind.BILAN_SESSION,
                "Entretien de bilan",
                bilan.consultant,
                [bilan.beneficiary],
                first,
                meetings,
            )
        )
    _save_series(rows, plans)
    for bilan, (series, _parts, occurrences) in zip(bilans, plans, strict=True):
        rows.add(BilanSession(bilan=bilan, series=series))
        for occurrence in occurrences:
            if occurrence.start < now:
                for user in (bilan.consultant, bilan.beneficiary):
                    rows.add(
                        Attendance(
                            occurrence=occurrence,
                            user=user,
                            status=Attendance.Status.PRESENT,
                            recorded_by=bilan.consultant,
                        )
                    )
    rows.flush()

    # Isolation checks: one at the start, a second for a third of them.
    # The 16 items and the direct question on loneliness, as the form asks them (ADR 0031).
    answers = {item.id: 3 for item in isolation.ITEMS} | {loneliness.FREQUENCY_ID: 3}
    scores = isolation.score(answers) | loneliness.score(answers)
    for user in beneficiaries:
        for moment in ["start"] + (["end"] if rng.random() < 0.33 else []):
            rows.add(
                IsolationCheck(
                    user=user,
                    organisation=organisation,
                    moment=moment,
                    version=loneliness.version_of(answers),
                    answers=answers,
                    scores=scores,
                )
            )
    rows.flush()

    # Contacts and enquêtes-métiers.
    how = list(HowKnown.values)
    all_contacts = []
    for user in beneficiaries:
        mine = [
            Contact(
                owner=user,
                organisation=organisation,
                first_name="Contact",
                last_name=f"{user.pk}-{k}",
                job_title="Responsable",
                company=f"Entreprise {rng.randrange(500)}",
                metier_id=rng.choice(metiers),
                how_known=rng.choice(how),
                email=f"c{k}.{user.pk}@example.org",
            )
            for k in range(contacts)
        ]
        all_contacts.append(mine)
        for contact in mine:
            rows.add(contact)
    rows.flush(Contact)
    stages = list(Stage.values)
    done = []
    for user, mine in zip(beneficiaries, all_contacts, strict=True):
        for contact in mine[:interviews]:
            stage = rng.choice(stages)
            interview = InformationalInterview(
                owner=user,
                contact=contact,
                metier_id=contact.metier_id,
                stage=stage,
                stage_changed_at=now - timedelta(days=rng.randint(1, 60)),
            )
            rows.add(interview)
            done.append(interview)
    rows.flush(InformationalInterview)
    for interview in done:
        rows.add(
            StageEvent(interview=interview, stage=interview.stage, at=interview.stage_changed_at)
        )
    rows.flush()

    # Notifications (in the app, most read; a few e-mails due now) and audit events.
    for user in beneficiaries:
        for k in range(scale.notifications):
            due = k == 0 and rng.random() < 0.1
            rows.add(
                Notification(
                    recipient=user,
                    channel=Channel.EMAIL if due else Channel.IN_APP,
                    kind="meeting_changed",
                    idempotency_key=f"banc:{tag}:{user.pk}:{k}",
                    subject="Rencontre modifiée",
                    body="Votre rencontre a changé d'horaire.",
                    scheduled_for=now - timedelta(days=k),
                    status=Notification.Status.PENDING if due else Notification.Status.SENT,
                    sent_at=None if due else now - timedelta(days=k),
                    read_at=now - timedelta(days=k) if k > 2 and not due else None,
                )
            )
        for k in range(scale.audit_events):
            rows.add(
                AuditEvent(
                    actor=user,
                    organisation=organisation,
                    action="contact.create",
                    target_type="network.contact",
                    target_id=str(k),
                )
            )
    rows.flush()
    return {
        "consultants": consultants,
        "beneficiaries": beneficiaries,
        "bilans": bilans,
        "caseload": caseload,
    }


def grow(
    organisation,
    *,
    beneficiaries: int,
    coordinator,
    heavy_consultant=None,
    heavy_beneficiary=None,
    matching_round=None,
    formation=None,
    seed: int = SEED,
    scale: Scale | None = None,
) -> dict[str, int]:
    """Grow `organisation` (the demo's) to `beneficiaries` more beneficiaries, as the module
    docstring says, and a second organisme beside it. `heavy_consultant` takes the heavy
    caseload, `heavy_beneficiary` the 2,000 contacts; the proposals go into `matching_round`
    and the proposed groups into `formation` when given (the ones the pages show). Returns the
    rows created per model label."""
    from django.db import transaction
    from django.utils import timezone

    from tisser.accounts.models import Organisation
    from tisser.core.enums import Role
    from tisser.meetings.models import MeetingKind
    from tisser.mentoring.models import (
        HelpKind,
        MenteeProfile,
        MentorProfile,
        Mentorship,
        RoundProposal,
    )
    from tisser.network.models import Contact, HowKnown
    from tisser.peers.models import (
        Charter,
        PeerGroup,
        PeerGroupMember,
        PeerProfile,
        ProjectType,
        Rhythm,
        Stage,
    )

    scale = scale or Scale.for_beneficiaries(beneficiaries)
    rng = random.Random(seed)
    rows = _Rows()
    password = _password()
    now = timezone.now()
    with transaction.atomic():
        main = _grow_organisation(
            rng,
            rows,
            organisation,
            n=scale.beneficiaries,
            n_consultants=scale.consultants,
            tag=organisation.slug,
            password=password,
            scale=scale,
            coordinator=coordinator,
            heavy_consultant=heavy_consultant,
            contacts=scale.contacts,
            interviews=scale.interviews,
            meetings=scale.meetings,
        )
    people = main["beneficiaries"]

    with transaction.atomic():
        # Mentors and mentorships.
        mentors = _users(rows, f"mentor.{organisation.slug}.", scale.mentors, password)
        _members(rows, mentors, organisation, Role.MENTOR, inviter=coordinator)
        help_kinds = list(HelpKind.values)
        profiles = MentorProfile.objects.bulk_create(
            [
                MentorProfile(
                    organisation=organisation,
                    user=user,
                    status=MentorProfile.Status.VALIDATED,
                    headline="Mentor du banc",
                    career_path="Un parcours.",
                    motivation="Transmettre.",
                    help_offered=rng.sample(help_kinds, 2),
                    capacity=rng.randint(2, 5),
                    availability=rng.getrandbits(21),
                    languages=["fr"],
                    departement=rng.choice(["31", "34", "81", "82"]),
                    submitted_at=now,
                    reviewed_at=now,
                    reviewed_by=coordinator,
                )
                for user in mentors
            ],
            batch_size=BATCH,
        )
        rows.counts["mentoring.MentorProfile"] = len(profiles)
        mentees = people[: scale.mentorships]
        mentee_profiles = MenteeProfile.objects.bulk_create(
            [
                MenteeProfile(
                    organisation=organisation,
                    user=user,
                    bilan=bilan,
                    seeking=False,
                    help_wanted=rng.sample(help_kinds, 2),
                    availability=rng.getrandbits(21),
                    languages=["fr"],
                )
                for user, bilan in zip(mentees, main["bilans"], strict=False)
            ],
            batch_size=BATCH,
        )
        for index, user in enumerate(mentees):
            ended = index % 5 == 4
            started = now - timedelta(days=rng.randint(10, 200))
            mentorship = Mentorship(
                organisation=organisation,
                mentee=user,
                mentor=profiles[index % len(profiles)],
                origin=Mentorship.Origin.ROUND,
                status=Mentorship.Status.ENDED if ended else Mentorship.Status.ACTIVE,
                started_at=started,
                planned_end=(started + timedelta(days=180)).date(),
                ended_at=started + timedelta(days=100) if ended else None,
                last_activity_at=started + timedelta(days=rng.randint(0, 30)),
            )
            rows.add(mentorship)
        rows.flush()

        # The matching round in review: mentees seeking a mentor, their proposal each.
        seekers = people[scale.mentorships : scale.mentorships + scale.round_mentees]
        MenteeProfile.objects.bulk_create(
            [
                MenteeProfile(
                    organisation=organisation,
                    user=user,
                    seeking=True,
                    help_wanted=rng.sample(help_kinds, 2),
                    availability=rng.getrandbits(21),
                    languages=["fr"],
                )
                for user in seekers
            ],
            batch_size=BATCH,
        )
        rows.counts["mentoring.MenteeProfile"] = len(mentee_profiles) + len(seekers)
        if matching_round is not None:
            for index, user in enumerate(seekers):
                mentor = profiles[index % len(profiles)] if index % 10 else None
                rows.add(
                    RoundProposal(
                        round=matching_round,
                        mentee=user,
                        proposed_mentor=mentor,
                        mentor=mentor,
                        score=round(rng.random(), 3) if mentor else None,
                        explanation=[],
                        unmatched_reason="" if mentor else "no_compatible_mentor",
                    )
                )
            rows.flush()

    with transaction.atomic():
        # Peer groups, active, with their series; then the formation's people and groups.
        start = len(people) - scale.peer_groups * 5 - scale.formation_people
        start = max(0, start)
        pool = people[start:]
        profiles_rows = [
            PeerProfile(
                organisation=organisation,
                user=user,
                seeking=False,
                availability=rng.getrandbits(21),
                stage=Stage.EXPLORING,
                project_type=ProjectType.RECONVERSION,
                rhythm=Rhythm.WEEKLY,
                languages=["fr"],
            )
            for user in pool
        ]
        groups, members, plans, cursor = [], [], [], 0
        for g in range(scale.peer_groups):
            size = rng.randint(3, 5)
            who = pool[cursor : cursor + size]
            cursor += size
            if len(who) < 3:
                break
            series, parts, occurrences = _series(
                rows,
                organisation,
                MeetingKind.PEER_GROUP,
                f"Groupe de pairs {g}",
                who[0],
                who[1:],
                now - timedelta(weeks=2, hours=rng.randint(0, 48)),
                6,
                weeks=2,
            )
            plans.append((series, parts, occurrences))
            group = PeerGroup(
                organisation=organisation,
                name=f"Groupe du banc {g}",
                status=PeerGroup.Status.ACTIVE,
                series=series,
                published_at=now - timedelta(days=30),
                last_activity_at=now - timedelta(days=rng.randint(0, 20)),
            )
            groups.append(group)
            members += [
                PeerGroupMember(
                    group=group,
                    user=user,
                    status=PeerGroupMember.Status.ACCEPTED,
                    position=p,
                    accepted_at=now - timedelta(days=30),
                )
                for p, user in enumerate(who)
            ]
        _save_series(rows, plans)
        for group in groups:
            group.series_id = group.series.pk
        PeerGroup.objects.bulk_create(groups, batch_size=BATCH)
        for member in members:
            member.group_id = member.group.pk
        PeerGroupMember.objects.bulk_create(members, batch_size=BATCH)
        Charter.objects.bulk_create(
            [
                Charter(
                    group=group, shared_goals="Avancer.", confidentiality="Oui.", reciprocity="Oui."
                )
                for group in groups
            ],
            batch_size=BATCH,
        )
        rows.counts["peers.PeerGroup"] = len(groups)
        rows.counts["peers.PeerGroupMember"] = len(members)
        # The formation in review: people seeking a group, proposed in groups of five.
        formation_people = pool[cursor : cursor + scale.formation_people]
        seeking = {user.pk for user in formation_people}
        for profile in profiles_rows:
            if profile.user.pk in seeking:
                profile.seeking = True
        PeerProfile.objects.bulk_create(profiles_rows, batch_size=BATCH)
        rows.counts["peers.PeerProfile"] = len(profiles_rows)
        if formation is not None:
            proposed = [
                PeerGroup(
                    organisation=organisation,
                    formation=formation,
                    name=f"Proposition du banc {k}",
                    score=round(rng.random(), 3),
                    explanation=[],
                )
                for k in range(0, len(formation_people), 5)
            ]
            PeerGroup.objects.bulk_create(proposed, batch_size=BATCH)
            PeerGroupMember.objects.bulk_create(
                [
                    PeerGroupMember(group=proposed[k // 5], user=user, position=k % 5)
                    for k, user in enumerate(formation_people)
                ],
                batch_size=BATCH,
            )
            rows.counts["peers.PeerGroup"] += len(proposed)
            rows.counts["peers.PeerGroupMember"] += len(formation_people)

    with transaction.atomic():
        # The heavy beneficiary's contacts.
        if heavy_beneficiary is not None:
            Contact.objects.bulk_create(
                [
                    Contact(
                        owner=heavy_beneficiary,
                        organisation=organisation,
                        first_name="Relation",
                        last_name=f"Banc {k}",
                        company=f"Entreprise {rng.randrange(500)}",
                        how_known=HowKnown.LINKEDIN,
                    )
                    for k in range(scale.heavy_contacts)
                ],
                batch_size=BATCH,
            )
            rows.counts["network.Contact"] += scale.heavy_contacts

        # A second organisme with its own people and activity.
        other, _ = Organisation.objects.get_or_create(
            slug=f"banc-{organisation.slug}", defaults={"name": "Organisme du banc"}
        )
        other_coordinator = _users(rows, f"coord.{other.slug}.", 1, password)[0]
        _members(rows, [other_coordinator], other, Role.COORDINATOR)
        _grow_organisation(
            rng,
            rows,
            other,
            n=scale.other_beneficiaries,
            n_consultants=max(1, scale.consultants // 5),
            tag=other.slug,
            password=password,
            scale=scale,
            coordinator=other_coordinator,
            contacts=5,
            interviews=1,
            meetings=4,
        )
    rows.counts["accounts.Organisation"] = 1
    return dict(sorted(rows.counts.items()))
