"""The engine runs in the background: a formation is RUNNING until `formation_compute` (the
task `peers_formation_compute`) stores its groups; a discard, a change of the people to
place, a crash or too few people left are each handled without losing anything."""

import pytest
from django.core.exceptions import ValidationError

from tests.factories import member
from tests.peers.helpers import computed, peer_profile
from tisser.core.enums import Role
from tisser.core.models import AuditEvent
from tisser.peers import formation as adapter
from tisser.peers.models import GroupFormation, PeerGroup
from tisser.peers.services import formation as services
from tisser.peers.services.repairs import seekers
from tisser.peers.tasks import peers_formation_compute

COHORT = "Promotion test"


@pytest.fixture
def coordinator(organisation):
    return member(Role.COORDINATOR, organisation)


def cohort(organisation, n):
    return [peer_profile(organisation, cohort=COHORT).user for _ in range(n)]


def ask(organisation, coordinator):
    return services.formation_run(
        organisation=organisation, cohort=COHORT, target_size=4, by=coordinator
    )


def test_a_run_is_queued_after_the_commit_and_stores_its_groups_when_computed(
    organisation, coordinator, django_capture_on_commit_callbacks
):
    cohort(organisation, 8)

    with django_capture_on_commit_callbacks() as callbacks:
        formation = ask(organisation, coordinator)

    assert formation.status == GroupFormation.Status.RUNNING and formation.running_since
    assert formation.stats == {"people": 8} and not formation.groups.exists()
    assert len(callbacks) == 1
    # nothing can be reviewed, and no other formation started, while it computes
    with pytest.raises(ValidationError) as error:
        services.formation_publish(formation=formation, by=coordinator, expected_version=1)
    assert error.value.code == "running"
    with pytest.raises(ValidationError) as error:
        ask(organisation, coordinator)
    assert error.value.code == "review_exists"

    callbacks[0]()

    formation.refresh_from_db()
    assert formation.status == GroupFormation.Status.REVIEW and formation.version == 2
    assert formation.running_since is None and formation.error == ""
    assert formation.groups.count() == 2 and formation.stats["placed"] == 8
    assert AuditEvent.objects.filter(action="group_formation.computed").exists()


def test_the_task_computes_only_the_version_it_was_queued_for(organisation, coordinator):
    cohort(organisation, 4)
    formation = ask(organisation, coordinator)

    assert services.formation_compute(formation_id=formation.pk, version=7) == "skipped"
    assert peers_formation_compute.call(formation_id=formation.pk, version=1) == "done"
    assert services.formation_compute(formation_id=formation.pk, version=1) == "skipped"
    assert services.formation_compute(formation_id=0, version=1) == "skipped"
    formation.refresh_from_db()
    assert formation.status == GroupFormation.Status.REVIEW and formation.groups.count() == 1


def test_a_formation_discarded_while_it_computes_stores_nothing(organisation, coordinator):
    cohort(organisation, 4)
    formation = ask(organisation, coordinator)

    services.formation_discard(formation=formation, by=coordinator, expected_version=1)

    assert services.formation_compute(formation_id=formation.pk, version=1) == "skipped"
    formation.refresh_from_db()
    assert formation.status == GroupFormation.Status.DISCARDED
    assert not PeerGroup.objects.exists()
    assert services.formation_people(organisation=organisation, cohort=COHORT).count() == 4


def test_people_who_change_during_the_computation_are_computed_again(
    organisation, coordinator, monkeypatch
):
    cohort(organisation, 4)
    formation = ask(organisation, coordinator)
    engine = adapter.formation_compute
    calls = []

    def meanwhile(profiles, config, progress=None):
        calls.append(len(profiles))
        if len(calls) == 1:  # someone gives their preferences while the engine computes
            peer_profile(organisation, cohort=COHORT)
        return engine(profiles, config, progress)

    monkeypatch.setattr(adapter, "formation_compute", meanwhile)

    assert services.formation_compute(formation_id=formation.pk, version=1) == "done"

    assert calls == [4, 5]
    formation.refresh_from_db()
    assert formation.stats["placed"] == 5 and formation.groups.count() == 1


def test_people_who_keep_changing_leave_the_formation_in_review_with_the_reason(
    organisation, coordinator, monkeypatch
):
    cohort(organisation, 4)
    formation = ask(organisation, coordinator)
    engine = adapter.formation_compute

    def always(profiles, config, progress=None):
        peer_profile(organisation, cohort=COHORT)
        return engine(profiles, config, progress)

    monkeypatch.setattr(adapter, "formation_compute", always)

    assert services.formation_compute(formation_id=formation.pk, version=1) == "moving"

    formation.refresh_from_db()
    assert formation.status == GroupFormation.Status.REVIEW and formation.error == "moving"
    assert not formation.groups.exists() and formation.version == 2


def test_a_crash_during_a_rerun_keeps_the_groups_under_review(
    organisation, coordinator, monkeypatch
):
    cohort(organisation, 8)
    formation = computed(
        services.formation_run,
        organisation=organisation,
        cohort=COHORT,
        target_size=4,
        by=coordinator,
    )
    before = sorted(formation.groups.values_list("pk", flat=True))
    formation = services.formation_rerun(formation=formation, by=coordinator, expected_version=2)
    # the current groups stay, read-only, while the engine computes
    assert formation.status == GroupFormation.Status.RUNNING
    assert sorted(formation.groups.values_list("pk", flat=True)) == before

    def crash(profiles, config, progress=None):
        raise RuntimeError("CP-SAT is gone")

    monkeypatch.setattr(adapter, "formation_compute", crash)

    assert services.formation_compute(formation_id=formation.pk, version=3) == "crashed"

    formation.refresh_from_db()
    assert formation.status == GroupFormation.Status.REVIEW and formation.error == "crashed"
    assert sorted(formation.groups.values_list("pk", flat=True)) == before
    assert "a échoué" in str(services.COMPUTE_ERRORS["crashed"])
    # the next run clears the error
    monkeypatch.undo()
    formation = computed(
        services.formation_rerun, formation=formation, by=coordinator, expected_version=4
    )
    assert formation.error == "" and formation.stats["placed"] == 8


def test_too_few_people_left_when_it_computes(organisation, coordinator):
    people = cohort(organisation, 3)
    formation = ask(organisation, coordinator)
    people[0].peer_profiles.update(seeking=False)

    assert services.formation_compute(formation_id=formation.pk, version=1) == "too_few"

    formation.refresh_from_db()
    assert formation.status == GroupFormation.Status.REVIEW and formation.error == "too_few"


def test_people_left_out_by_a_formation_in_review_are_not_late_joiners(organisation, coordinator):
    cohort(organisation, 4)
    left_out = peer_profile(organisation, cohort=COHORT, availability=1).user
    computed(
        services.formation_run,
        organisation=organisation,
        cohort=COHORT,
        target_size=4,
        by=coordinator,
    )

    assert left_out.pk not in set(seekers(organisation).values_list("user_id", flat=True))
    outsider = peer_profile(organisation, cohort="Ailleurs").user
    assert outsider.pk in set(seekers(organisation).values_list("user_id", flat=True))


def test_the_computation_writes_its_stage_and_progress_for_the_page(
    organisation, coordinator, monkeypatch
):
    cohort(organisation, 4)
    formation = ask(organisation, coordinator)
    assert (formation.stage, formation.progress) == (GroupFormation.Stage.QUEUED, 0)
    engine = adapter.formation_compute
    seen = []

    def watched(profiles, config, progress=None):
        def row():
            return GroupFormation.objects.values_list("stage", "progress").get(pk=formation.pk)

        seen.append(row())
        result = engine(profiles, config, progress)
        seen.append(row())
        return result

    monkeypatch.setattr(adapter, "formation_compute", watched)

    assert services.formation_compute(formation_id=formation.pk, version=1) == "done"

    # outside any transaction: the page's poll sees it while the engine computes
    assert seen == [(GroupFormation.Stage.COMPUTING, 5), (GroupFormation.Stage.COMPUTING, 95)]
    formation.refresh_from_db()
    assert formation.status == GroupFormation.Status.REVIEW
