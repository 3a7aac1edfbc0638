"""Benchmark of mentor suggestions through the Django adapter (`matching.suggestions_for`):
the pool cached per process, the places left counted per call.

Usage::

    python bench/mentor_suggestions_db.py [--mentors M] [--quick] [SOURCE]

A fresh, migrated temporary SQLite database; the ROME référentiel imported with
``import_rome`` from SOURCE (default: settings.ROME_SOURCE, i.e. ../shared/data/rome-v460;
the synthetic test fixture when that is absent, and the output says so). Then, bulk-created
in one organisation:

* M validated mentors (default 20,000; --quick 2,000) drawn like bench/mentor_population.py
  on the real fiches: 1–3 fiches (mostly one domaine, a popularity skew), current and past,
  10–25 compétences of those fiches, 2–5 kinds of help, 3–10 weekly slots, mostly French,
  remote / in person / either in one of 20 départements, half with an employer, 1–5 places;
  a quarter already have active mentorships (a tenth of mentors are full);
* 200 mentees (+10 for the warm-up), each with a bilan whose portfolio holds part of their
  target fiche's compétences, 1–2 target fiches, help, slots and logistics; some had a
  mentorship that ended (an exclusion).

Measured: the cold build of the cached pool (``get_pool_index``: version queries, four
reads, engine build), then ``suggestions_for(k=5)`` warm per mentee with its explanation
labels (what the suggestions page computes), the peak RSS of the process so far (ROME import
included), and last, for comparison, the old per-call path (``pool_index``, every profile as
a model instance). Human-readable lines first; the last line is one JSON object::

    {"mentors": M, "cold_build_s": ..., "p50_ms": ..., "p95_ms": ..., "peak_rss_mb": ...}

Target (issue #6): p95 <= 100 ms over 20,000 mentors.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import tempfile
import time
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MENTORS = 20_000
MENTORS_QUICK = 2_000
MENTEES = 200
WARM_UP = 10
K = 5
TARGET_P95_MS = 100.0
SEED = 20251124
PLACES = ("01", "06", "13", "31", "33", "35", "38", "44", "59", "67")
PLACES += ("69", "75", "76", "92", "93", "94", "2A", "971", "974", "34")
BATCH = 2_000


def percentile(timings: list[float], share: float) -> float:
    ordered = sorted(timings)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _languages(rng: random.Random) -> list[str]:
    draw = rng.random()
    if draw < 0.85:
        return ["fr"]
    if draw < 0.95:
        return ["fr", "en"]
    return rng.choice([["fr", "ar"], ["es"], ["en"]])


def _slots(rng: random.Random, low: int, high: int) -> int:
    mask = 0
    for slot in rng.sample(range(21), rng.randint(low, high)):
        mask |= 1 << slot
    return mask


def _users(prefix: str, count: int, role, organisation):
    from tisser.accounts.models import Membership, User

    users = User.objects.bulk_create(
        [
            User(email=f"{prefix}{n}@bench.invalid", first_name=prefix, last_name=str(n))
            for n in range(count)
        ],
        batch_size=BATCH,
    )
    Membership.objects.bulk_create(
        [Membership(user=user, organisation=organisation, role=role) for user in users],
        batch_size=BATCH,
    )
    return users


def populate(rng: random.Random, n_mentors: int, n_mentees: int):
    """The organisation, its mentors and its mentees (see the module docstring)."""
    from django.utils import timezone

    from tisser.accounts.models import Organisation
    from tisser.bilans.models import Bilan, Funding, PortfolioItem
    from tisser.bilans.models.investigation import ItemKind
    from tisser.core.enums import Role
    from tisser.mentoring.models import (
        HelpKind,
        MeetingPreference,
        MenteeProfile,
        MentorProfile,
        Mentorship,
    )
    from tisser.referentiel.models import Metier, MetierCompetence

    now = timezone.now()
    organisation = Organisation.objects.create(name="Bench", slug="bench")
    metiers = list(Metier.objects.order_by("code_rome").values_list("pk", "code_rome"))
    by_domaine: dict[str, list[int]] = defaultdict(list)
    for position, (_pk, code) in enumerate(metiers):
        by_domaine[code[:3]].append(position)
    popularity = [1.0 / (1.0 + rank) ** 0.9 for rank in range(len(metiers))]
    rng.shuffle(popularity)
    competences: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for metier_id, competence_id, code_ogr in MetierCompetence.objects.values_list(
        "metier_id", "competence_id", "competence__code_ogr"
    ):
        competences[metier_id].append((competence_id, code_ogr))
    help_kinds = list(HelpKind.values)
    modes = list(MeetingPreference.values)

    def draw_fiches(count: int) -> list[int]:
        first = rng.choices(range(len(metiers)), weights=popularity)[0]
        held = [first]
        for _ in range(count - 1):
            if rng.random() < 0.7:
                neighbour = rng.choice(by_domaine[metiers[first][1][:3]])
            else:
                neighbour = rng.randrange(len(metiers))
            if neighbour not in held:
                held.append(neighbour)
        return [metiers[position][0] for position in held]

    mentor_users = _users("mentor", n_mentors, Role.MENTOR, organisation)
    held_fiches = [draw_fiches(rng.randint(1, 3)) for _ in mentor_users]
    profiles = MentorProfile.objects.bulk_create(
        [
            MentorProfile(
                organisation=organisation,
                user=user,
                status=MentorProfile.Status.VALIDATED,
                headline="Mentor",
                career_path="Un parcours.",
                motivation="Transmettre.",
                help_offered=rng.sample(help_kinds, rng.randint(2, 5)),
                capacity=rng.randint(1, 5),
                availability=_slots(rng, 3, 10),
                languages=_languages(rng),
                mode=rng.choices(modes, weights=(0.3, 0.2, 0.5))[0],
                departement=rng.choice(PLACES),
                employer=f"Employeur {rng.randrange(2000)}" if rng.random() < 0.5 else "",
                submitted_at=now,
                reviewed_at=now,
            )
            for user in mentor_users
        ],
        batch_size=BATCH,
    )
    current = MentorProfile.current_fiches.through
    past = MentorProfile.past_fiches.through
    skills = MentorProfile.skills.through
    current_rows, past_rows, skill_rows = [], [], []
    for profile, fiches in zip(profiles, held_fiches, strict=True):
        split = rng.randint(1, len(fiches))
        current_rows += [current(mentorprofile=profile, metier_id=f) for f in fiches[:split]]
        past_rows += [past(mentorprofile=profile, metier_id=f) for f in fiches[split:]]
        offered = {c for f in fiches for c, _code in competences[f]}
        chosen = rng.sample(sorted(offered), min(len(offered), rng.randint(10, 25)))
        skill_rows += [skills(mentorprofile=profile, competence_id=c) for c in chosen]
    for model, rows in ((current, current_rows), (past, past_rows), (skills, skill_rows)):
        model.objects.bulk_create(rows, batch_size=10 * BATCH)

    # Mentees already under way: a quarter of the mentors have some, a tenth are full.
    earlier = _users("earlier", 1_000, Role.BENEFICIARY, organisation)
    mentorships = []
    for profile in profiles:
        draw = rng.random()
        taken = profile.capacity if draw < 0.1 else rng.randint(1, profile.capacity)
        if draw < 0.25:
            mentorships += [
                Mentorship(
                    organisation=organisation,
                    mentee=mentee,
                    mentor=profile,
                    origin=Mentorship.Origin.ROUND,
                    started_at=now,
                    planned_end=(now + timedelta(days=180)).date(),
                    last_activity_at=now,
                )
                for mentee in rng.sample(earlier, taken)
            ]

    consultant = _users("consultant", 1, Role.CONSULTANT, organisation)[0]
    mentee_users = _users("mentee", n_mentees, Role.BENEFICIARY, organisation)
    bilans = Bilan.objects.bulk_create(
        [
            Bilan(
                organisation=organisation,
                beneficiary=user,
                consultant=consultant,
                funding=Funding.CPF,
                opened_at=now,
            )
            for user in mentee_users
        ],
        batch_size=BATCH,
    )
    mentees = MenteeProfile.objects.bulk_create(
        [
            MenteeProfile(
                organisation=organisation,
                user=user,
                bilan=bilan,
                help_wanted=rng.sample(help_kinds, rng.randint(1, 3)),
                availability=_slots(rng, 3, 8),
                languages=_languages(rng),
                mode=rng.choices(modes, weights=(0.4, 0.15, 0.45))[0],
                departement=rng.choice(PLACES),
                employer=f"Employeur {rng.randrange(2000)}" if rng.random() < 0.05 else "",
                wishes="Découvrir le métier.",
            )
            for user, bilan in zip(mentee_users, bilans, strict=True)
        ],
        batch_size=BATCH,
    )
    targets = MenteeProfile.target_fiches.through
    target_rows, portfolio = [], []
    for mentee, bilan in zip(mentees, bilans, strict=True):
        fiches = draw_fiches(rng.randint(1, 2))
        target_rows += [targets(menteeprofile=mentee, metier_id=f) for f in fiches]
        own = competences[fiches[0]]
        portfolio += [
            PortfolioItem(
                bilan=bilan,
                kind=ItemKind.COMPETENCE,
                code_ogr=code_ogr,
                label=str(code_ogr),
                level=rng.randint(2, 4),
            )
            for _c, code_ogr in rng.sample(own, len(own) // 2)
        ]
        if rng.random() < 0.2:
            mentorships.append(
                Mentorship(
                    organisation=organisation,
                    mentee=mentee.user,
                    mentor=rng.choice(profiles),
                    origin=Mentorship.Origin.REQUEST,
                    status=Mentorship.Status.ENDED,
                    started_at=now - timedelta(days=200),
                    planned_end=(now - timedelta(days=20)).date(),
                    ended_at=now - timedelta(days=20),
                    last_activity_at=now - timedelta(days=20),
                )
            )
    targets.objects.bulk_create(target_rows, batch_size=BATCH)
    PortfolioItem.objects.bulk_create(portfolio, batch_size=BATCH)
    Mentorship.objects.bulk_create(mentorships, batch_size=BATCH)
    active = sum(m.status == Mentorship.Status.ACTIVE for m in mentorships)
    return organisation, [m.pk for m in mentees], len(skill_rows), active


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentors", type=int, default=None)
    parser.add_argument("--quick", action="store_true", help=f"{MENTORS_QUICK} mentors")
    parser.add_argument("source", nargs="?", type=Path, default=None)
    args = parser.parse_args(argv)
    n_mentors = args.mentors or (MENTORS_QUICK if args.quick else MENTORS)

    with tempfile.TemporaryDirectory(prefix="bench-mentors-") as tmp:
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from tisser.mentoring import matching
        from tisser.mentoring.models import MenteeProfile
        from tisser.referentiel.importer import rome_import

        source = args.source or Path(settings.ROME_SOURCE)
        label = str(source)
        if args.source is None and not source.exists():
            from tests.fixtures.rome_fixture import FIXTURE

            print(f"ROME data absent from {source}: synthetic test fixture used")
            source, label = FIXTURE, "fixture"
        print(f"ROME data: {label}")
        print(f"database: SQLite {connection.Database.sqlite_version}, temporary file, migrated")
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        rome_import(source)
        print(f"import_rome: {time.perf_counter() - started:.1f} s")

        started = time.perf_counter()
        organisation, mentee_ids, n_skills, n_active = populate(
            random.Random(SEED), n_mentors, MENTEES + WARM_UP
        )
        print(
            f"{n_mentors} validated mentors ({n_skills} compétences offered, {n_active} active "
            f"mentorships) and {MENTEES + WARM_UP} mentees bulk-created in "
            f"{time.perf_counter() - started:.1f} s; peak RSS so far {peak_rss_mb():.0f} MB"
        )

        matching.clear_pool_cache()
        started = time.perf_counter()
        index = matching.get_pool_index(organisation)
        cold_build_s = time.perf_counter() - started
        print(f"cold build of the cached pool: {len(index)} mentors in {cold_build_s:.2f} s")

        mentees = list(
            MenteeProfile.objects.filter(pk__in=mentee_ids)
            .select_related("user", "organisation")
            .order_by("pk")
        )

        def suggest(mentee):
            found = matching.suggestions_for(mentee, k=K)
            return [matching.explanation_labels(item.explanation) for item in found]

        for mentee in mentees[:WARM_UP]:  # also builds the référentiel's index (skill gaps)
            suggest(mentee)
        timings, empty = [], 0
        for mentee in mentees[WARM_UP:]:
            started = time.perf_counter()
            rows = suggest(mentee)
            timings.append((time.perf_counter() - started) * 1000)
            empty += not rows
        with CaptureQueriesContext(connection) as queries:
            suggest(mentees[-1])
        assert matching.get_pool_index(organisation) is index, "the warm pool was rebuilt"

        p50, p95 = percentile(timings, 0.5), percentile(timings, 0.95)
        print(
            f"{len(timings)} mentees, suggestions_for(k={K}) with explanations, warm: "
            f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {max(timings):.1f} ms; "
            f"{len(queries)} queries per call; {empty} with no suggestion"
        )
        print(
            f"target: p95 <= {TARGET_P95_MS:.0f} ms ({'ok' if p95 <= TARGET_P95_MS else 'MISSED'})"
        )
        rss = peak_rss_mb()  # before the comparison below, which holds every model instance

        started = time.perf_counter()
        matching.pool_index(organisation)
        print(
            "for comparison, the pool rebuilt from the models on every call as before "
            f"(pool_index): {time.perf_counter() - started:.2f} s"
        )
        print(
            json.dumps(
                {
                    "mentors": n_mentors,
                    "cold_build_s": round(cold_build_s, 3),
                    "p50_ms": round(p50, 2),
                    "p95_ms": round(p95, 2),
                    "peak_rss_mb": round(rss, 1),
                }
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
