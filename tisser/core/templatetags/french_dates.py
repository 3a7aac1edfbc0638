"""``{{ value|date_fr:"l j F Y" }}``: Django's ``date`` filter, with « 1er » for the first of
the month (see tisser.core.dates)."""

from django import template

from tisser.core.dates import french_date

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def date_fr(value, arg=None):
    """Like ``|date``: an empty or non-date value gives an empty string."""
    if not hasattr(value, "day"):
        return ""
    try:
        return french_date(value, arg or "DATE_FORMAT")
    except AttributeError:
        return ""
