"""The daily jobs registry: the apps plug their daily tasks in, the scheduler only iterates it."""

import inspect
from io import StringIO

from django.core.management import call_command
from django_tasks import task

from tisser.accounts.models import Organisation
from tisser.core import daily_jobs

calls = []


@task()
def recorded_daily_job(organisation_id: int | None = None) -> int:
    calls.append(organisation_id)
    return 1


def test_every_app_registers_its_daily_jobs_in_the_order_of_installed_apps():
    assert [job.path for job in daily_jobs.daily_jobs()] == [
        "tisser.meetings.tasks.meetings_inactivity_detect",
        "tisser.meetings.tasks.meetings_plan_ahead",
        "tisser.assessments.safety_jobs.safety_concerns_expire_task",
        "tisser.bilans.tasks.bilans_retention_apply",
        "tisser.bilans.tasks.bilans_followup_remind",
        "tisser.bilans.tasks.bilans_cpf_remind",
        "tisser.bilans.tasks.bilans_convention_remind",
        "tisser.bilans.isolation_retention.isolation_checks_retention_apply_task",
        "tisser.network.tasks.network_reminders_plan",
        "tisser.network.snapshot_tasks.network_snapshots_take",
        "tisser.network.tasks.contact_imports_prune_task",
        "tisser.mentoring.tasks.mentoring_followups_plan",
        "tisser.mentoring.tasks.mentoring_requests_remind",
        "tisser.mentoring.tasks.mentoring_retention_apply_task",
        "tisser.peers.tasks.peers_meetings_prepare_remind",
        "tisser.peers.tasks.peers_nudges_plan",
        "tisser.peers.tasks.peers_retention_apply_task",
        "tisser.quality.tasks.audit_exports_prune_task",
    ]


def test_registering_a_task_twice_keeps_one_job():
    before = daily_jobs.daily_jobs()

    daily_jobs.register(before[0].task, queued="Autre chose.")

    assert daily_jobs.daily_jobs() == before


def test_the_scheduler_queues_a_job_it_does_not_know_once_an_app_registers_it(db, monkeypatch):
    # given two organisations, and an app that registers one more daily job (the registry is
    # restored afterwards)
    first = Organisation.objects.create(name="Un", slug="un")
    second = Organisation.objects.create(name="Deux", slug="deux")
    monkeypatch.setattr(daily_jobs, "_jobs", dict(daily_jobs._jobs))
    daily_jobs.register(recorded_daily_job, queued="Tâche de test mise en file.")
    calls.clear()

    # when the scheduler makes one pass (tasks run at once in the tests)
    out = StringIO()
    call_command("notifications_run", "--once", stdout=out)

    # then the job ran once per organisation, and the scheduler said so with the app's own words
    assert calls == [first.pk, second.pk]
    assert "Tâche de test mise en file." in out.getvalue()


def test_every_daily_job_takes_an_optional_organisation():
    # The contract of tisser.core.daily_jobs: the scheduler queues one task per organisation.
    for job in daily_jobs.daily_jobs():
        parameters = inspect.signature(job.task.func).parameters
        # and a job that works one batch per task takes the cursor of its batch (job_scope)
        assert list(parameters) in (["organisation_id"], ["organisation_id", "after"]), job.path
        assert all(p.default is None for p in parameters.values()), job.path
