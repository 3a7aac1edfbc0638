from decimal import Decimal

import pytest
from django.utils import translation

from tisser.bilans.services import hours_text


@pytest.mark.parametrize(
    ("hours", "text"),
    [(24, "24"), (Decimal("24.50"), "24,5"), (Decimal("1.25"), "1,25"), (Decimal("0"), "0")],
)
def test_hours_are_written_the_french_way_without_useless_zeros(hours, text):
    with translation.override("fr"):
        assert hours_text(hours) == text


@pytest.mark.parametrize("hours", [Decimal("NaN"), Decimal("Infinity")])
def test_a_value_that_is_no_number_of_hours_is_refused_by_name(hours):
    # Decimal's exponent is then a letter ("n", "F"), which used to fail as a bad operand.
    with pytest.raises(ValueError, match="Not a number of hours"):
        hours_text(hours)
