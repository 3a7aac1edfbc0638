"""Every table of the programme's outcomes, in the order the coordinator's page and its CSV show
them: the closed loop (isolation, loneliness, network, the loop itself, response rates:
`loop`), then the programme's activity (mentorships, groups, commitments, enquêtes, bilans,
satisfaction: `activity`)."""

from datetime import datetime

from tisser.accounts.models import Organisation
from tisser.outcomes.activity import activity_tables
from tisser.outcomes.loop import loop_tables
from tisser.outcomes.period import Period
from tisser.outcomes.tables import Table


def programme_tables(organisation: Organisation, period: Period, *, now: datetime) -> list[Table]:
    return [
        *loop_tables(organisation, period, now=now),
        *activity_tables(organisation, period, now=now),
    ]
