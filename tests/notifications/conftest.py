from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

PARIS = ZoneInfo("Europe/Paris")
# A Monday morning, far from any change of daylight-saving time.
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=PARIS)


@pytest.fixture
def clock():
    """Time stands still at NOW; `clock.move_to(moment)` jumps."""
    with freeze_time(NOW) as frozen:
        yield frozen


@pytest.fixture
def group(people, clock):
    """A peer group organised by the mentor, with the beneficiary and another participant."""
    from tests.factories import member
    from tests.notifications.helpers import series_create
    from tisser.core.enums import Role

    peer = member(Role.BENEFICIARY, people["beneficiary"].memberships.first().organisation)
    return series_create(
        organiser=people["mentor"],
        participants=[people["beneficiary"], peer],
        first_start=NOW,
    )
