"""« 1er » for the first of the month, in French only, whatever the format."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from tisser.core.dates import first_day_format, french_date


@pytest.mark.parametrize(
    ("day", "fmt", "expected"),
    [
        (date(2027, 6, 1), "l j F Y", "mardi 1er juin 2027"),
        (date(2027, 6, 2), "l j F Y", "mercredi 2 juin 2027"),
        (date(2026, 12, 1), "j N Y", "1er déc. 2026"),
        (date(2026, 12, 7), "j N Y", "7 déc. 2026"),
        (date(2027, 6, 1), "DATE_FORMAT", "1er juin 2027"),
        (date(2027, 6, 11), "DATE_FORMAT", "11 juin 2027"),
        (date(2027, 6, 1), "d/m/Y", "01/06/2027"),
    ],
)
def test_french_dates_say_1er_on_the_first_of_the_month(day, fmt, expected):
    with translation.override("fr"):
        assert french_date(day, fmt) == expected


def test_english_keeps_a_plain_1():
    with translation.override("en"):
        assert french_date(date(2027, 6, 1), "j F Y") == "1 June 2027"


def test_an_escaped_j_stays_a_letter():
    assert first_day_format(r"\j j F") == r"\j j\e\r F"


def test_the_template_filter_uses_the_local_day():
    # 23:30 UTC on 31 May is already 1 June in Paris.
    moment = timezone.make_aware(datetime(2027, 5, 31, 23, 30), UTC)
    template = Template('{% load french_dates %}{{ moment|date_fr:"l j F Y, H:i" }}')

    with translation.override("fr"):
        assert template.render(Context({"moment": moment})) == "mardi 1er juin 2027, 01:30"
        assert (
            Template("{% load french_dates %}{{ nothing|date_fr }}").render(
                Context({"nothing": None})
            )
            == ""
        )


def test_a_misspelt_format_name_is_an_error_not_garbage():
    with pytest.raises(ValueError, match="DATETINE_FORNAT"):
        french_date(date(2026, 12, 7), "DATETINE_FORNAT")
