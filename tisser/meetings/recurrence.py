"""Recurrence rules (RFC 5545 RRULE) for meeting series, expanded in the series' wall time.

A series meets "every other Tuesday at 18:00, Paris time": 18:00 is a wall-clock time, not a
UTC instant, so rules are expanded on naive local datetimes (python-dateutil) and only then
attached to the zone (zoneinfo). Across a daylight-saving change the wall-clock time stays
and the UTC offset moves.

Local times that do not exist or exist twice are resolved explicitly (see `local_to_aware`):

- a time inside the spring-forward gap (02:30 in Paris on the last Sunday of March) is
  shifted forward by the length of the gap (03:30 summer time);
- an ambiguous time of the autumn fall-back (02:30 on the last Sunday of October) takes the
  first of its two instants (fold=0, still on summer time).

Semantics of the first meeting: as RFC 5545 says of DTSTART, the first meeting of a series
is always an occurrence, and it counts towards COUNT, even when it does not match the rule
(a first meeting on a Wednesday with FREQ=WEEKLY;BYDAY=MO,TH); the rule then goes on from
there.
"""

from collections.abc import Iterator
from datetime import UTC, datetime, time
from itertools import islice
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrule as RRule
from dateutil.rrule import rrulestr
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.dates import WEEKDAYS as WEEKDAY_NAMES
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DEFAULT_TIMEZONE = "Europe/Paris"
# A guard for open-ended rules; callers pass their own (smaller) limit or an `until`.
DEFAULT_LIMIT = 5000

ALLOWED_FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
TOO_FREQUENT = ("SECONDLY", "MINUTELY", "HOURLY")
# The canonical order of the rule parts in a normalised rule (RFC 5545 §3.3.10 order).
PART_ORDER = (
    "FREQ",
    "INTERVAL",
    "BYMONTH",
    "BYWEEKNO",
    "BYYEARDAY",
    "BYMONTHDAY",
    "BYDAY",
    "BYSETPOS",
    "WKST",
    "COUNT",
    "UNTIL",
)
# The time of day comes from the first meeting; these parts would multiply or move it.
TIME_PARTS = ("BYHOUR", "BYMINUTE", "BYSECOND")
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# Longest month lengths, to refuse BYMONTH/BYMONTHDAY pairs that never happen (30 February):
# python-dateutil would search until the year 9999 before giving up.
MONTH_MAX_DAYS = dict(enumerate((31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31), start=1))


class RecurrencePreset(models.TextChoices):
    """The regularities people choose from; CUSTOM lets them write an RFC 5545 rule.

    MONTHLY repeats on the same weekday position as the first meeting ("the 2nd Tuesday"),
    not on the same day number: people's availability follows the week (a Tuesday evening
    is free, the 14th is not a habit), a fixed day number lands on weekends, and "the 31st"
    does not exist in seven months out of twelve, which RFC 5545 skips silently. A first
    meeting in the fifth week of its month becomes "the last <weekday>", so that no month
    is skipped either.
    """

    NONE = "none", gettext_lazy("Rencontre unique")
    WEEKLY = "weekly", gettext_lazy("Chaque semaine")
    FORTNIGHTLY = "fortnightly", gettext_lazy("Toutes les deux semaines")
    MONTHLY = "monthly", gettext_lazy("Une fois par mois")
    CUSTOM = "custom", gettext_lazy("Règle personnalisée (RFC 5545)")


def preset_rrule(preset: RecurrencePreset | str, first_start_local: datetime) -> str:
    """The rule of a preset, for a first meeting given in the series' wall time.

    NONE gives "" (a single meeting). The rule has no COUNT/UNTIL: the caller adds one.
    CUSTOM has no rule of its own: the person writes it (ValueError)."""
    preset = RecurrencePreset(preset)
    weekday = WEEKDAYS[first_start_local.weekday()]
    if preset == RecurrencePreset.NONE:
        return ""
    if preset == RecurrencePreset.WEEKLY:
        return f"FREQ=WEEKLY;BYDAY={weekday}"
    if preset == RecurrencePreset.FORTNIGHTLY:
        return f"FREQ=WEEKLY;INTERVAL=2;BYDAY={weekday}"
    if preset == RecurrencePreset.MONTHLY:
        position = (first_start_local.day - 1) // 7 + 1
        return f"FREQ=MONTHLY;BYDAY={-1 if position == 5 else position}{weekday}"
    raise ValueError("A custom rule is written by the person, not derived from a preset.")


def _monthly_place(position: int, weekday: int) -> str:
    name = str(WEEKDAY_NAMES[weekday])
    places = {
        1: _("le premier %(weekday)s du mois"),
        2: _("le deuxième %(weekday)s du mois"),
        3: _("le troisième %(weekday)s du mois"),
        4: _("le quatrième %(weekday)s du mois"),
        -1: _("le dernier %(weekday)s du mois"),
    }
    return places[position] % {"weekday": name}


def monthly_place(first_start_local: datetime) -> str:
    """Where MONTHLY puts the meetings of a series whose first one is `first_start_local`
    (« le troisième vendredi du mois »), as `preset_rrule` computes it."""
    position = (first_start_local.day - 1) // 7 + 1
    return _monthly_place(-1 if position == 5 else position, first_start_local.weekday())


def rhythm_label(rule: str) -> str:
    """The rhythm of a rule in words (« chaque semaine », « le troisième vendredi du
    mois »): the presets are named, any other rule is « règle personnalisée »."""
    if not rule:
        return _("rencontre unique")
    try:
        parts = _parse_parts(rule)
    except ValidationError:
        return _("règle personnalisée")
    freq, interval, byday = parts.get("FREQ"), parts.get("INTERVAL", "1"), parts.get("BYDAY", "")
    # Without BYDAY a weekly rule keeps the first meeting's weekday.
    if freq == "WEEKLY" and interval == "1" and byday in ("", *WEEKDAYS):
        return _("chaque semaine")
    if freq == "WEEKLY" and interval == "2" and byday in ("", *WEEKDAYS):
        return _("toutes les deux semaines")
    position, day = byday[:-2], byday[-2:]
    if freq == "MONTHLY" and interval == "1" and day in WEEKDAYS and position in MONTHLY_PLACES:
        return _monthly_place(int(position), WEEKDAYS.index(day))
    return _("règle personnalisée")


MONTHLY_PLACES = ("1", "2", "3", "4", "-1")


def _invalid() -> ValidationError:
    return ValidationError(
        _(
            "Cette règle de récurrence n'est pas valide. Exemple de règle attendue : "
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=10."
        ),
        code="invalid",
    )


def _parse_parts(text: str) -> dict[str, str]:
    """The rule parts of `text`, upper-cased, without the optional "RRULE:" prefix."""
    text = text.strip().upper()
    if "\n" in text or "\r" in text:
        raise _invalid()
    text = text.removeprefix("RRULE:")
    parts: dict[str, str] = {}
    for chunk in filter(None, (c.strip() for c in text.split(";"))):
        name, sep, value = chunk.partition("=")
        name, value = name.strip(), value.strip().replace(" ", "")
        if not sep or not value or name in parts:
            raise _invalid()
        parts[name] = value
    return parts


def _check_parts(parts: dict[str, str]) -> None:
    freq = parts.get("FREQ")
    if freq in TOO_FREQUENT:
        raise ValidationError(
            _(
                "Une rencontre ne peut pas se répéter plus d'une fois par jour : "
                "choisissez une fréquence quotidienne (DAILY), hebdomadaire (WEEKLY), "
                "mensuelle (MONTHLY) ou annuelle (YEARLY)."
            ),
            code="too_frequent",
        )
    if freq not in ALLOWED_FREQUENCIES:
        raise _invalid()
    if any(name in parts for name in TIME_PARTS):
        raise ValidationError(
            _(
                "L'heure des rencontres est celle de la première : retirez BYHOUR, "
                "BYMINUTE et BYSECOND de la règle."
            ),
            code="time_parts",
        )
    unknown = set(parts) - set(PART_ORDER)
    if unknown:
        raise _invalid()
    if "COUNT" in parts and "UNTIL" in parts:
        raise ValidationError(
            _(
                "Indiquez soit un nombre de rencontres (COUNT), soit une date de fin (UNTIL), "
                "mais pas les deux."
            ),
            code="count_and_until",
        )
    for name in ("COUNT", "INTERVAL"):
        if name in parts and (not parts[name].isdigit() or int(parts[name]) < 1):
            raise _invalid()
    if _never_happens(parts):
        raise _no_occurrence()


def _never_happens(parts: dict[str, str]) -> bool:
    """True for BYMONTH/BYMONTHDAY combinations that no calendar ever has (31 April)."""
    if "BYMONTH" not in parts or "BYMONTHDAY" not in parts:
        return False
    try:
        months = [int(m) for m in parts["BYMONTH"].split(",")]
        days = [int(d) for d in parts["BYMONTHDAY"].split(",")]
    except ValueError:
        return False  # dateutil reports the syntax error
    return all(abs(day) > MONTH_MAX_DAYS.get(month, 31) for month in months for day in days)


def _no_occurrence() -> ValidationError:
    return ValidationError(
        _(
            "Cette règle ne produit aucune rencontre : vérifiez les jours choisis "
            "et la date de fin."
        ),
        code="no_occurrence",
    )


def _normalise(parts: dict[str, str]) -> str:
    return ";".join(f"{name}={parts[name]}" for name in PART_ORDER if name in parts)


def _until_local(value: str, tz: ZoneInfo) -> datetime:
    """UNTIL as a naive wall time of the series' zone.

    RFC 5545 wants UNTIL in UTC ("…Z") when DTSTART has a zone; a floating date-time is read
    in the series' zone, and a bare date (not allowed by the RFC with a DATE-TIME start, but
    what people write) includes its whole day."""
    try:
        if len(value) == 8:
            return datetime.combine(datetime.strptime(value, "%Y%m%d").date(), time.max)
        if value.endswith("Z"):
            instant = datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            return instant.astimezone(tz).replace(tzinfo=None)
        return datetime.strptime(value, "%Y%m%dT%H%M%S")
    except ValueError:
        raise _invalid() from None


def _dateutil_rule(parts: dict[str, str], first_local: datetime, tz: ZoneInfo) -> RRule:
    """The dateutil rule on naive wall times; UNTIL is converted to the same wall time."""
    without_until = {name: value for name, value in parts.items() if name != "UNTIL"}
    try:
        rule = rrulestr(_normalise(without_until), dtstart=first_local)
    except (ValueError, TypeError, IndexError, KeyError):
        raise _invalid() from None
    if not isinstance(rule, RRule):
        raise _invalid()
    if "UNTIL" in parts:
        rule = rule.replace(until=_until_local(parts["UNTIL"], tz))
    return rule


def _zone(tz_name: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            _("Le fuseau horaire « %(name)s » est inconnu.") % {"name": tz_name},
            code="timezone",
        ) from None


def rrule_validate(
    rrule: str, *, first_start: datetime | None = None, tz_name: str = DEFAULT_TIMEZONE
) -> str:
    """The rule, normalised (upper case, no "RRULE:" prefix, parts in RFC order), or a
    ValidationError whose message, in French, says what to change.

    An empty rule is a single meeting and stays "". Rules without COUNT or UNTIL are fine
    (open-ended series are materialised up to a horizon). Refused: text that is not a rule,
    frequencies finer than daily, BYHOUR/BYMINUTE/BYSECOND (the time is the first
    meeting's), COUNT with UNTIL, and rules that produce no occurrence after `first_start`
    (now when not given), such as 30 February or an UNTIL already past."""
    if not rrule.strip():
        return ""
    parts = _parse_parts(rrule)
    _check_parts(parts)
    tz = _zone(tz_name)
    reference = (first_start or timezone.now()).astimezone(tz).replace(tzinfo=None)
    rule = _dateutil_rule(parts, reference.replace(microsecond=0), tz)
    if next(iter(rule), None) is None:
        raise _no_occurrence()
    return _normalise(parts)


def local_to_aware(wall: datetime, tz: ZoneInfo) -> datetime:
    """Attach `tz` to a naive wall time, resolving the times a DST change makes odd.

    With fold=0, zoneinfo (PEP 495) reads a wall time inside a spring-forward gap with the
    offset in force before the gap, so the round trip through UTC lands the same duration
    later on the new offset: the time is shifted forward by the gap (02:30 → 03:30 in Paris).
    An ambiguous wall time of the autumn fall-back takes fold=0: the first of its two
    instants, still on summer time."""
    return wall.replace(tzinfo=tz, fold=0).astimezone(UTC).astimezone(tz)


def _wall_times(first_local: datetime, rule_text: str, tz: ZoneInfo) -> Iterator[datetime]:
    yield first_local
    if not rule_text:
        return
    parts = _parse_parts(rule_text)
    rule = _dateutil_rule(parts, first_local, tz)
    count = int(parts["COUNT"]) if "COUNT" in parts else None
    produced = 1
    for wall in rule:
        if wall <= first_local:
            continue  # the first meeting is already out, matching the rule or not
        if count is not None and produced >= count:
            return
        produced += 1
        yield wall


def occurrence_starts(
    *,
    first_start: datetime,
    tz_name: str,
    rrule: str,
    until: datetime | None = None,
    limit: int = DEFAULT_LIMIT,
) -> list[datetime]:
    """The starts of a series, in order, as aware datetimes in UTC.

    The rule is expanded on the wall time of `first_start` in `tz_name` (18:00 stays 18:00
    across daylight-saving changes; see `local_to_aware` for times that do not exist or
    exist twice). A monthly rule on the 31st skips the months without one, as RFC 5545
    says. At most `limit` starts, none after `until` (aware) when given. The rule is
    expected to have gone through `rrule_validate`.

    UTC, not the series' zone: under PEP 495 an ambiguous local time never compares equal
    to a datetime of another zone, so a local start would never be found among the UTC
    values read back from the database. Convert with `.astimezone(zone)` to display."""
    if timezone.is_naive(first_start):
        raise ValueError("first_start must be an aware datetime")
    tz = _zone(tz_name)
    first_local = first_start.astimezone(tz).replace(tzinfo=None)
    starts: list[datetime] = []
    for wall in islice(_wall_times(first_local, rrule, tz), limit):
        start = local_to_aware(wall, tz).astimezone(UTC)
        if until is not None and start > until:
            break
        starts.append(start)
    return starts
