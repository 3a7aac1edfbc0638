"""The bilan pages of the beneficiary and the consultant read each record once (the
synthèse, the preliminary record, the phase transitions), whatever the bilan holds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.bilans.helpers import advance_to, entretiens, held, open_bilan
from tisser.bilans.models import Phase


def _read(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in context.captured_queries]


def _from(queries, table):
    return [sql for sql in queries if f'FROM "{table}"' in sql]


@pytest.mark.parametrize("who", ["beneficiary", "consultant"])
def test_the_bilan_page_reads_each_record_once_and_does_not_grow(client, people, who):
    bilan = advance_to(open_bilan(people["consultant"], people["beneficiary"]), Phase.INVESTIGATION)
    url = (
        reverse("bilans:mine")
        if who == "beneficiary"
        else reverse("bilans:detail", args=[bilan.pk])
    )
    client.force_login(people[who])
    client.get(url)  # the first request of a session does its own bookkeeping
    entretiens(bilan, count=1, days=2)
    small = _read(client, url)

    occurrences = entretiens(bilan, count=6, days=30)
    for days_ago, occurrence in enumerate(occurrences[:3], start=1):
        held(occurrence, days_ago=days_ago)
    grown = _read(client, url)

    assert len(grown) == len(small)
    for table in (
        "bilans_synthesisdocument",
        "bilans_preliminaryrecord",
        "bilans_phasetransition",
    ):
        assert len(_from(grown, table)) <= 1, table
