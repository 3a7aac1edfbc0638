"""Benchmark of peer-group formation through the app: the coordinator's POST that starts a
formation, the task worker's run (`peers_formation_compute`: read the preferences, the engine,
store the groups), then the review page, and the coordination's other peer pages.

Usage::

    python bench/group_formation_db.py [--beneficiaries B] [--seeking S] [--groups G]
        [--quick] [--profile FILE]

The database is ``DATABASE_URL`` when set (PostgreSQL: an EMPTY database of your own, e.g.
``createdb -h 127.0.0.1 -U postgres tisser_bench_peers``; it is migrated and filled here),
else a temporary SQLite file. One organisation, bulk-created: B beneficiaries (default
5,000), 14 secteurs d'activité, G active peer groups of 3 to 5 accepted members (default 200,
each published through `peer_group_activate`, so with its twice-monthly meetings) and S more
people seeking a group (default 300): preferences drawn like bench/group_formation.py (70 %
in promotions of 8–40 people, weekly slots from life patterns on the 7 × 3 grid of the
pages, mostly French, video / in person / either, 1–3 sectors, 15 % declare an attribute).
``--quick``: 1,000 beneficiaries, 40 groups, 60 seeking.

Measured with the test client, logged in as the coordinator: the formation from the POST to
the stored groups (the task runs in the process, as the immediate backend does), split into
the engine and the rest; then each page once to warm up and 5 times (median and max, and
its queries). ``--profile FILE`` writes a cProfile of the formation. Human-readable lines
first; the last line is one JSON object::

    {"seeking": S, "formation_s": ..., "engine_s": ..., "review_ms": ..., "pages": {...}}

Targets (issue #16): formation ≤ 15 s, every page ≤ 300 ms with its queries constant.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEED = 20261207
BATCH = 2_000
PLACES = ("75", "69", "13", "31", "33", "44", "59", "67", "34", "35")
ATTRIBUTES = ("parent solo", "plus de 50 ans", "handicap", "pause de carrière")


def _grid(rng: random.Random) -> int:
    """A 7 × 3 availability grid (bit = day * 3 + slot; slots morning, afternoon, evening)."""
    bits = 0
    employed = rng.random() < 0.6
    slots = (2,) if employed else (0, 1)
    for slot in rng.sample(slots, k=rng.randint(1, len(slots))):
        for day in rng.sample(range(5), k=rng.randint(1, 4)):
            bits |= 1 << (day * 3 + slot)
    if rng.random() < 0.3:
        bits |= 1 << (5 * 3 + 0)
    for extra in rng.sample(range(21), k=rng.randint(0, 2)):
        bits |= 1 << extra
    return bits


def _profile(rng: random.Random, organisation, user, sectors, cohort: str, *, seeking: bool):
    from tisser.peers.models import PeerMode, PeerProfile, ProjectType, Rhythm, Stage

    draw = rng.random()
    languages = ["fr"] if draw < 0.9 else ["fr", "en"] if draw < 0.97 else ["en"]
    mode = rng.choices(
        (PeerMode.VIDEO, PeerMode.IN_PERSON, PeerMode.EITHER), weights=(0.5, 0.2, 0.3)
    )[0]
    attribute = rng.choice(ATTRIBUTES) if rng.random() < 0.15 else ""
    profile = PeerProfile(
        organisation=organisation,
        user=user,
        seeking=seeking,
        availability=_grid(rng),
        stage=rng.choices(list(Stage), weights=(35, 30, 20, 15))[0],
        project_type=rng.choices(list(ProjectType), weights=(50, 20, 20, 10))[0],
        rhythm=Rhythm.WEEKLY if rng.random() < 0.4 else Rhythm.MONTHLY,
        mode=mode,
        departement=rng.choice(PLACES) if mode != PeerMode.VIDEO else "",
        languages=languages,
        attribute=attribute,
        avoid_isolation=bool(attribute) and rng.random() < 0.6,
        cohort=cohort,
        introduction="Je change de métier et je cherche des pairs.",
    )
    return profile, rng.sample(sectors, k=rng.randint(1, 3))


def populate(rng: random.Random, n_beneficiaries: int, n_groups: int, n_seeking: int):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from tisser.accounts.models import Membership, Organisation, User
    from tisser.core.enums import Role
    from tisser.peers.models import PeerGroup, PeerGroupMember, PeerMode, PeerProfile, Promotion
    from tisser.peers.services import peer_group_activate
    from tisser.referentiel.models import SecteurActivite

    organisation = Organisation.objects.create(name="Bench pairs", slug="bench-pairs")
    coordinator = User.objects.create(
        email="coordination@bench.invalid",
        first_name="Coline",
        last_name="Coordination",
        password=make_password("bench-password"),
    )
    Membership.objects.create(user=coordinator, organisation=organisation, role=Role.COORDINATOR)
    TOTP.activate(coordinator, generate_totp_secret())  # coordinators must have one
    users = User.objects.bulk_create(
        [
            User(email=f"b{n}@bench.invalid", first_name=f"Prénom{n}", last_name=f"Nom{n}")
            for n in range(n_beneficiaries)
        ],
        batch_size=BATCH,
    )
    Membership.objects.bulk_create(
        [Membership(user=u, organisation=organisation, role=Role.BENEFICIARY) for u in users],
        batch_size=BATCH,
    )
    sectors = list(SecteurActivite.objects.filter(parent__isnull=True)[:14])
    if not sectors:
        sectors = SecteurActivite.objects.bulk_create(
            [SecteurActivite(code=900 + n, libelle=f"Secteur {n}") for n in range(14)]
        )
    # Promotions of 8–40 for 70 % of those seeking; the others have none.
    cohorts: list[str] = []
    while len(cohorts) < 0.7 * n_seeking:
        cohorts += [f"Promotion {len(set(cohorts)) + 1}"] * rng.randint(8, 40)
    cohorts = (cohorts + [""] * n_seeking)[:n_seeking]
    rng.shuffle(cohorts)
    Promotion.objects.bulk_create(
        [
            Promotion(organisation=organisation, name=name, created_by=coordinator)
            for name in sorted(set(cohorts) - {""})
        ]
    )
    rows, chosen = [], []
    sizes = [rng.randint(3, 5) for _ in range(n_groups)]
    grouped = users[: sum(sizes)]
    seeking = users[sum(sizes) : sum(sizes) + n_seeking]
    # Members of a group formed earlier share an evening, meet by video and speak French.
    start = 0
    for size in sizes:
        evening = 1 << (rng.randrange(5) * 3 + 2)
        for user in grouped[start : start + size]:
            profile, picked = _profile(rng, organisation, user, sectors, "", seeking=False)
            profile.availability |= evening
            profile.mode, profile.departement, profile.languages = PeerMode.VIDEO, "", ["fr"]
            profile.attribute, profile.avoid_isolation = "", False
            rows.append(profile)
            chosen.append(picked)
        start += size
    for user, cohort in zip(seeking, cohorts, strict=True):
        profile, picked = _profile(rng, organisation, user, sectors, cohort, seeking=True)
        rows.append(profile)
        chosen.append(picked)
    profiles = PeerProfile.objects.bulk_create(rows, batch_size=BATCH)
    through = PeerProfile.sectors.through
    through.objects.bulk_create(
        [
            through(peerprofile_id=profile.pk, secteuractivite_id=sector.pk)
            for profile, picked in zip(profiles, chosen, strict=True)
            for sector in picked
        ],
        batch_size=BATCH,
    )
    start = 0
    for number, size in enumerate(sizes):
        group = PeerGroup.objects.create(organisation=organisation, name=f"Groupe {number + 1}")
        PeerGroupMember.objects.bulk_create(
            PeerGroupMember(
                group=group,
                user=user,
                position=position,
                status=PeerGroupMember.Status.ACCEPTED,
            )
            for position, user in enumerate(grouped[start : start + size])
        )
        start += size
        peer_group_activate(group=group, by=coordinator)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would after such a load
    return organisation, coordinator, grouped, seeking


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the engine's workers)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def reuse(keep: bool = False):
    """The organisation of an earlier run (``--reuse``), its formations deleted unless
    `keep` (``--pages-only``: the pages of the last formation again)."""
    from tisser.accounts.models import Organisation, User
    from tisser.peers.models import GroupFormation, PeerGroup, PeerGroupMember, PeerProfile

    organisation = Organisation.objects.get(slug="bench-pairs")
    if not keep:
        PeerGroup.objects.filter(
            organisation=organisation, status=PeerGroup.Status.PROPOSED
        ).delete()
        GroupFormation.objects.filter(organisation=organisation).delete()
    coordinator = User.objects.get(email="coordination@bench.invalid")
    if not coordinator.authenticator_set.exists():
        from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

        TOTP.activate(coordinator, generate_totp_secret())
    members = PeerGroupMember.objects.filter(group__organisation=organisation)
    grouped = [m.user for m in members.select_related("user").order_by("group_id", "position")]
    seeking = [
        p.user
        for p in PeerProfile.objects.filter(organisation=organisation, seeking=True)
        .select_related("user")
        .order_by("pk")
    ]
    return organisation, coordinator, grouped, seeking


def timed_get(client, url: str, runs: int = 5) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    timings, cpu = [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started, used = time.perf_counter(), time.process_time()
            response = client.get(url)
            timings.append(1000 * (time.perf_counter() - started))
            cpu.append(1000 * (time.process_time() - used))
    assert response.status_code == 200, (url, response.status_code)
    return {
        "median_ms": round(statistics.median(timings), 1),
        "max_ms": round(max(timings), 1),
        # Python's own time (the database's is apart): on a loaded machine, wall time counts
        # the wait for a core too.
        "cpu_ms": round(statistics.median(cpu), 1),
        "queries": len(queries),
    }


def measure(args) -> dict:
    from django.test import Client, TestCase
    from django.urls import reverse

    import tisser.peers.formation as adapter
    from tisser.accounts.models import Organisation

    rng = random.Random(SEED)
    started = time.perf_counter()
    if args.reuse and Organisation.objects.filter(slug="bench-pairs").exists():
        organisation, coordinator, grouped, seeking = reuse(keep=args.pages_only)
    else:
        organisation, coordinator, grouped, seeking = populate(
            rng, args.beneficiaries, args.groups, args.seeking
        )
    print(
        f"populated in {time.perf_counter() - started:.1f} s: {args.beneficiaries:,} "
        f"beneficiaries, {args.groups} active groups ({len(grouped)} members), "
        f"{len(seeking)} seeking"
    )
    client = Client()
    client.force_login(coordinator)

    engine = {"seconds": 0.0}
    compute = adapter.formation_compute

    def timed_compute(*a, **k):
        begun = time.perf_counter()
        try:
            return compute(*a, **k)
        finally:
            engine["seconds"] += time.perf_counter() - begun

    adapter.formation_compute = timed_compute
    if args.pages_only:
        return _pages(args, organisation, coordinator, grouped, seeking, None, engine)
    profiler = cProfile.Profile() if args.profile else None
    started, cpu_before = time.perf_counter(), _cpu()
    if profiler:
        profiler.enable()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("peers:formation_create"), {"cohort": "", "target_size": "4"}
        )
    if profiler:
        profiler.disable()
        profiler.dump_stats(args.profile)
    formation_s = time.perf_counter() - started
    engine["cpu_s"] = _cpu() - cpu_before
    adapter.formation_compute = compute
    assert response.status_code == 302, response.status_code
    print("POST ->", response["Location"])
    return _pages(args, organisation, coordinator, grouped, seeking, formation_s, engine)


def _pages(args, organisation, coordinator, grouped, seeking, formation_s, engine) -> dict:
    from django.test import Client
    from django.urls import reverse

    from tisser.peers.models import GroupFormation, PeerGroup

    client = Client()
    client.force_login(coordinator)
    formation = GroupFormation.objects.filter(organisation=organisation).first()
    stats = formation.stats
    print(
        f"formation of {len(seeking)} people: {formation_s or 0:.2f} s through the app "
        f"(engine {engine['seconds']:.2f} s; {engine.get('cpu_s', 0):.1f} s of CPU), "
        f"{stats.get('groups')} groups, "
        f"{stats.get('placed')} placed, status {formation.status} {formation.error}"
    )
    first_group = PeerGroup.objects.filter(organisation=organisation, status="active").first()
    urls = {
        "review": reverse("peers:formation", args=[formation.pk]),
        "formations": reverse("peers:formations"),
        "arrivals": reverse("peers:arrivals"),
        "repairs": reverse("peers:repairs"),
        "promotions": reverse("peers:promotions"),
    }
    urls["health"] = reverse("peers:health")
    pages = {}
    for name, url in urls.items():
        pages[name] = timed_get(client, url)
        print(f"  {name:<22} {url:<50} {pages[name]}")
    member = Client()
    member.force_login(grouped[0])
    for name, url in (
        ("member_group", reverse("peers:group", args=[first_group.pk])),
        ("member_home", reverse("peers:home")),
        ("member_commitments", reverse("peers:commitments", args=[first_group.pk])),
    ):
        pages[name] = timed_get(member, url)
        print(f"  {name:<22} {url:<50} {pages[name]}")
    return {
        "beneficiaries": args.beneficiaries,
        "groups": args.groups,
        "seeking": len(seeking),
        "formation_s": round(formation_s, 2) if formation_s is not None else None,
        "engine_s": round(engine["seconds"], 2),
        "formation_cpu_s": round(engine.get("cpu_s", 0.0), 2),
        "review_ms": pages["review"]["median_ms"],
        "pages": pages,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--beneficiaries", type=int, default=5_000)
    parser.add_argument("--seeking", type=int, default=300)
    parser.add_argument("--groups", type=int, default=200)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--pages-only",
        action="store_true",
        help="with --reuse: time the pages of the last formation, without forming again",
    )
    parser.add_argument(
        "--reuse", action="store_true", help="keep the population of an earlier run (PostgreSQL)"
    )
    parser.add_argument("--profile", help="write a cProfile of the formation to this file")
    args = parser.parse_args()
    if args.quick:
        args.beneficiaries, args.groups, args.seeking = 1_000, 40, 60
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        os.environ["ALLOWED_HOSTS"] = "testserver"
        os.environ["DEBUG"] = "false"
        os.environ["TASKS_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        print(f"database: {connection.vendor}")
        result = measure(args)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
