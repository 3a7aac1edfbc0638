"""The mentoring part of a bilan's anonymous outcome figures (`tisser.bilans.outcome_figures`):
whether the person has had a mentor (a mentorship begun in the bilan's organisation since the
bilan opened), in one query for a batch of bilans."""

from collections.abc import Sequence

from tisser.bilans.models import Bilan
from tisser.bilans.outcome_figures import register
from tisser.mentoring.models import Mentorship


def _figures(bilans: Sequence[Bilan]) -> dict[int, dict[str, int | bool | str | None]]:
    started: dict[tuple[int, int], list] = {}
    for mentee_id, organisation_id, started_at in Mentorship.objects.filter(
        mentee_id__in={bilan.beneficiary_id for bilan in bilans},
        organisation_id__in={bilan.organisation_id for bilan in bilans},
    ).values_list("mentee_id", "organisation_id", "started_at"):
        started.setdefault((mentee_id, organisation_id), []).append(started_at)
    return {
        bilan.pk: {
            "had_mentor": any(
                at >= bilan.opened_at
                for at in started.get((bilan.beneficiary_id, bilan.organisation_id), ())
            )
        }
        for bilan in bilans
    }


register(["had_mentor"], _figures)
