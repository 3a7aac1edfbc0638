"""Dates as French writes them: the first day of a month is « 1er » (« mardi 1er juin 2027 »),
every other day a plain number. Django's formats know no ordinal for French, so the day
token ``j`` of any format gains an escaped « er » when the day is 1 and French is active."""

from datetime import date

from django.utils import formats, translation

# Django's named formats ("DATE_FORMAT", …), resolved for the active language first.
_NAMED = frozenset(
    {
        "DATE_FORMAT",
        "DATETIME_FORMAT",
        "SHORT_DATE_FORMAT",
        "SHORT_DATETIME_FORMAT",
        "MONTH_DAY_FORMAT",
        "YEAR_MONTH_FORMAT",
    }
)


def first_day_format(format_string: str) -> str:
    """`format_string` with every unescaped day token ``j`` followed by an escaped « er »."""
    out = []
    escaped = False
    for char in format_string:
        out.append(char)
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "j":
            out.append(r"\e\r")
    return "".join(out)


def french_date(value: date | None, format_string: str = "DATE_FORMAT") -> str:
    """``formats.date_format`` with « 1er » for the first of the month in French. An aware
    datetime is formatted as given: callers pass the local time, as with date_format."""
    if value in (None, ""):
        return ""
    if format_string in _NAMED:
        format_string = formats.get_format(format_string)
    elif format_string.isupper() and "_" in format_string:
        # A misspelt name ("DATETINE_FORNAT") would otherwise print each letter as a format
        # character: a page full of garbage instead of a date.
        raise ValueError(f"unknown date format name: {format_string}")
    if value.day == 1 and (translation.get_language() or "").startswith("fr"):
        format_string = first_day_format(format_string)
    return formats.date_format(value, format_string)
