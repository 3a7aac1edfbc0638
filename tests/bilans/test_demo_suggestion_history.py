"""The demo's history of decisions on suggestions (ADR 0040): enough fictional bilans that the
coordinator's acceptance page shows figures on a fresh `make run`, written once."""

from datetime import timedelta

from django.utils import timezone

from tests.factories import OrganisationFactory
from tisser.bilans.demo import SUGGESTION_HISTORY_BILANS, suggestion_history_demo
from tisser.bilans.models import SuggestionDecision
from tisser.outcomes.suggestions import acceptance_table


def test_the_demo_history_fills_the_acceptance_page_once(db):
    organisation = OrganisationFactory()

    written = suggestion_history_demo(organisation)

    decisions = SuggestionDecision.objects.filter(organisation=organisation)
    assert written == decisions.count() > 0
    assert decisions.values("contributor").distinct().count() == SUGGESTION_HISTORY_BILANS
    today = timezone.localdate()
    table = acceptance_table(organisation, today - timedelta(days=365), today)
    labels = [row.label for row in table.rows]
    assert labels[0] == "1re suggestion" and labels[-1] == "Toutes les suggestions"
    assert all(cell.value is not None for row in table.rows for cell in row.cells)
    # The first suggestions are kept more often than the later ones.
    first, second = (row.cells[1].value for row in table.rows[:2])
    assert first > second

    assert suggestion_history_demo(organisation) == 0
    assert decisions.count() == written
