"""Dates as French writes them, through one function (`french_date`, and the ``|date_fr``
filter that calls it; ADR 0027):

- the first day of a month is « 1er » (« mardi 1er juin 2027 »), every other day a plain
  number: Django's formats know no ordinal for French, so the day token ``j`` gains an
  escaped « er » when the day is 1 and French is active;
- an abbreviated month is the one French typography uses (« janv. », « févr. », « juil. »,
  « déc. »), whatever token asks for it (``N``, ``M`` or ``b``): Django's French gives
  « jan. » and « fév. » for ``N``, « Jui » and « Jul » for ``M``;
- formats are written in French (« j F Y à H:i »); in another language the « à » between
  the date and the time becomes a comma (« 7 December 2026, 14:30 »);
- the named formats (``DATETIME_FORMAT``…) are the project's where it has its own
  (tisser.core.formats: « 7 décembre 2026 à 14:30 »), Django's otherwise."""

from datetime import date, timedelta

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

# The abbreviations of the Imprimerie nationale's Lexique (and of CLDR): four months are never
# shortened, the others keep their first syllable and the consonant after it.
FRENCH_MONTH_ABBREVIATIONS = (
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
)
_MONTH_ABBREVIATION_TOKENS = frozenset("NMb")


def _escaped(text: str) -> str:
    return "".join(f"\\{char}" for char in text)


def french_format(format_string: str, value: date) -> str:
    """`format_string` as French writes `value`: every unescaped day token ``j`` followed by
    an escaped « er » on the first of the month, every abbreviated-month token replaced by
    the escaped French abbreviation."""
    out = []
    escaped = False
    for char in format_string:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in _MONTH_ABBREVIATION_TOKENS:
            out.append(_escaped(FRENCH_MONTH_ABBREVIATIONS[value.month - 1]))
            continue
        elif char == "j" and value.day == 1:
            out.append(r"j\e\r")
            continue
        out.append(char)
    return "".join(out)


def french_date(value: date | None, format_string: str = "DATE_FORMAT") -> str:
    """``formats.date_format`` as French writes it (see above). An aware datetime is
    formatted as given: callers pass the local time, as with date_format."""
    if value in (None, ""):
        return ""
    if format_string in _NAMED:
        format_string = formats.get_format(format_string)
    elif format_string.isupper() and "_" in format_string:
        # A misspelt name ("DATETINE_FORNAT") would otherwise print each letter as a format
        # character: a page full of garbage instead of a date.
        raise ValueError(f"unknown date format name: {format_string}")
    if (translation.get_language() or "").startswith("fr"):
        format_string = french_format(format_string, value)
    else:
        format_string = format_string.replace(" à ", ", ")
    return formats.date_format(value, format_string)


def last_twelve_months(today: date) -> tuple[date, date]:
    """The period aggregate pages look at unless told otherwise: the last twelve months, today
    included, from the day after the same date a year ago (29 February → 1 March)."""
    try:
        year_ago = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        year_ago = today.replace(year=today.year - 1, day=28)
    return year_ago + timedelta(days=1), today
