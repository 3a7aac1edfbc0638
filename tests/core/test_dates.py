"""« 1er » for the first of the month, in French only, whatever the format."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from tisser.core.dates import FRENCH_MONTH_ABBREVIATIONS, french_date, french_format


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


def test_an_escaped_token_stays_a_letter():
    assert french_format(r"\j j F \N", date(2027, 6, 1)) == r"\j j\e\r F \N"
    with translation.override("fr"):
        assert french_date(date(2027, 6, 1), r"\j\M j M") == "jM 1er juin"


@pytest.mark.parametrize("token", ["N", "M", "b"])
def test_french_month_abbreviations_whatever_the_token(token):
    with translation.override("fr"):
        written = [french_date(date(2026, month, 7), f"j {token} Y") for month in range(1, 13)]
    assert written == [
        "7 janv. 2026",
        "7 févr. 2026",
        "7 mars 2026",
        "7 avr. 2026",
        "7 mai 2026",
        "7 juin 2026",
        "7 juil. 2026",
        "7 août 2026",
        "7 sept. 2026",
        "7 oct. 2026",
        "7 nov. 2026",
        "7 déc. 2026",
    ]
    assert len(set(FRENCH_MONTH_ABBREVIATIONS)) == 12


def test_english_keeps_its_own_abbreviations():
    with translation.override("en"):
        assert french_date(date(2026, 7, 7), "j N Y") == "7 July 2026"
        assert french_date(date(2026, 12, 7), "j N Y") == "7 Dec. 2026"


def test_a_date_and_a_time_say_a_in_french_only():
    moment = datetime(2027, 6, 1, 14, 30)
    with translation.override("fr"):
        assert french_date(moment, "DATETIME_FORMAT") == "1er juin 2027 à 14:30"
        assert french_date(moment, "l j F Y à H:i") == "mardi 1er juin 2027 à 14:30"
    with translation.override("en"):
        assert "à" not in french_date(moment, "DATETIME_FORMAT")
        assert french_date(moment, "l j F Y à H:i") == "Tuesday 1 June 2027, 14:30"


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
