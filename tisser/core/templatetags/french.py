"""French typography in templates (ADR 0027), loaded everywhere (settings TEMPLATES
"builtins"): ``{{ name|de }}`` « d'Amandine », ``{{ name|que }}`` « qu'Hugo », and
``{{ day|date_fr:"j N Y" }}`` « 1er déc. 2026 » (see tisser.core.french and tisser.core.dates), and
``count counter=hours|plural_count`` for a decimal count (« 1,5 heure »), and
``{{ text|quotes_bound }}`` for a stored text whose « » must not wrap alone.

In a translated sentence, pass the phrase and let the translation carry its preposition::

    {% blocktranslate with de_name=bilan.beneficiary|de %}Bilan {{ de_name }}{% endblocktranslate %}
"""

from django import template

from tisser.core import french
from tisser.core.templatetags.french_dates import register as dates_register

register = template.Library()
register.filters.update(dates_register.filters)


@register.filter(is_safe=False)
def de(value) -> str:
    """« d'Amandine », « de Yanis » in French; the name alone in another language."""
    return french.de(value)


@register.filter(is_safe=False)
def que(value) -> str:
    """« qu'Amandine », « que Yanis » in French; the name alone in another language."""
    return french.que(value)


@register.filter(is_safe=False)
def plural_count(value) -> int:
    """The whole number a decimal takes its plural form from (see tisser.core.french)."""
    return french.plural_count(value)


@register.filter(is_safe=False)
def quotes_bound(value) -> str:
    """Non-breaking spaces inside French quotes (see tisser.core.french)."""
    return french.quotes_bound("" if value is None else str(value))
