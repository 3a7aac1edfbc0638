"""Background tasks of peer groups, run by `manage.py tisser_worker` (immediately in unit tests):
safe to run twice (every message they queue has an idempotency key)."""

from django.conf import settings
from django.utils import translation
from django_tasks import task

from tisser.accounts.job_scope import counts_sum, organisation_ids
from tisser.accounts.models import Organisation
from tisser.peers.nudges import nudges_plan
from tisser.peers.repair_board import PER_PAGE, repairs_page
from tisser.peers.retention import peers_retention_apply
from tisser.peers.services.formation import formation_compute
from tisser.peers.services.preparation import checkin_reminders_plan


@task()
def peers_meetings_prepare_remind(organisation_id: int | None = None) -> dict[str, int]:
    """Daily: two days before a group's meeting, remind the members who have not added a
    success, a blocker or a question to its agenda yet; the organisation's groups (every
    organisation's, one after the other, without `organisation_id`)."""
    return {
        "reminded": sum(
            checkin_reminders_plan(organisation_id=pk) for pk in organisation_ids(organisation_id)
        )
    }


@task()
def peers_nudges_plan(organisation_id: int | None = None) -> dict[str, int]:
    """Daily: the check-in nudges before a period ends, the reciprocity nudges and the alerts
    about fading groups (see `tisser.peers.nudges`); the organisation's groups (every
    organisation's, one after the other, without `organisation_id`)."""
    return counts_sum(
        nudges_plan(organisation_id=pk) for pk in organisation_ids(organisation_id)
    ) or {"commitments": 0, "reciprocity": 0, "fading": 0}


@task()
def peers_repairs_prepare(organisation_id: int) -> int:
    """After a member leaves: the first page of the coordination's repairs computed for the
    new state of the groups, in the site's language, so that the coordinator who opens it
    reads stored proposals (see `tisser.peers.repair_board`). Safe to run twice: it only
    reads and fills the cache. Returns the number of groups to repair."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        page_obj, _ = repairs_page(organisation, page=1, per_page=PER_PAGE)
    return page_obj.paginator.count


@task()
def peers_formation_compute(formation_id: int, version: int) -> str:
    """On demand: the formation engine's run for a formation the coordination asked for (or
    asked to form again); see `tisser.peers.services.formation.formation_compute`."""
    return formation_compute(formation_id=formation_id, version=version)


@task()
def peers_retention_apply_task(organisation_id: int | None = None) -> dict:
    """Daily: delete the peer groups ended longer ago than their retention period (see
    `tisser.peers.retention`), of the organisation (of every organisation, one after the
    other, without `organisation_id`)."""
    reports = [
        peers_retention_apply(organisation_id=pk) for pk in organisation_ids(organisation_id)
    ]
    return {
        "groups": sum(report.groups for report in reports),
        "deleted": counts_sum(report.deleted for report in reports),
    }
