"""Evidence for Qualiopi indicator 32 (« mesures d'amélioration continue »): how much of what
Tisser suggests for the réussites people keep (ADR 0040), a measure the organisation reads to
judge and improve a tool of its bilans. One line on the indicator map, under the small-numbers
rule (`tisser.outcomes.suggestions`), with a link to the coordinator's page for the same
span. One query whatever the organisation's size."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tisser.outcomes.suggestions import acceptance_table
from tisser.quality.evidence import EvidenceLine, Span, register


def suggestion_lines(organisation, span: Span) -> list[EvidenceLine]:
    url = (
        reverse("coordinator:suggestions")
        + "?"
        + urlencode({"du": span.first_day.isoformat(), "au": span.last_day.isoformat()})
    )
    table = acceptance_table(organisation, span.first_day, span.last_day)
    if not table.rows:
        return [EvidenceLine(_("Aucune décision sur une suggestion de compétence"), url)]
    decisions, kept = table.rows[-1].cells
    if not decisions.shown:
        return [
            EvidenceLine(
                _("Suggestions de compétences : moins de 5 personnes ont décidé, chiffres masqués"),
                url,
            )
        ]
    count = int(decisions.value or 0)
    return [
        EvidenceLine(
            ngettext(
                "Suggestions de compétences : %(count)s décision, %(kept)s gardées",
                "Suggestions de compétences : %(count)s décisions, %(kept)s gardées",
                count,
            )
            % {"count": count, "kept": kept.text},
            url,
        )
    ]


register("suggestions", indicators=(32,), lines=suggestion_lines)
