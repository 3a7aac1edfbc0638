"""Every table of the programme's outcomes, in the order the coordinator's page and its CSV show
them: the closed loop (isolation, network, loneliness, response rates: `loop`), then the
programme's activity (mentorships, groups, commitments, enquêtes, bilans, satisfaction:
`activity`)."""

from datetime import datetime

from tisser.accounts.models import Organisation
from tisser.outcomes.activity import activity_tables
from tisser.outcomes.period import Period
from tisser.outcomes.tables import Table


def programme_tables(organisation: Organisation, period: Period, *, now: datetime) -> list[Table]:
    try:
        from tisser.outcomes import loop  # type: ignore[attr-defined]
    except ImportError:  # TEMPORARY until loop.py lands on main
        loop_tables: list[Table] = []
    else:
        loop_tables = loop.loop_tables(organisation, period, now=now)
    return [*loop_tables, *activity_tables(organisation, period, now=now)]
