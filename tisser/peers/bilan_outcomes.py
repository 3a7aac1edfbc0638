"""The peer groups' part of a bilan's anonymous outcome figures
(`tisser.bilans.outcome_figures`): whether the person has joined a peer group of the bilan's
organisation since the bilan opened, and the name of their promotion (the programme's figures
are read per promotion). Two queries for a batch of bilans."""

from collections.abc import Sequence

from tisser.bilans.models import Bilan
from tisser.bilans.outcome_figures import register
from tisser.peers.models import PeerGroupMember, PeerProfile


def _figures(bilans: Sequence[Bilan]) -> dict[int, dict[str, int | bool | str | None]]:
    people = {bilan.beneficiary_id for bilan in bilans}
    organisations = {bilan.organisation_id for bilan in bilans}
    joined: dict[tuple[int, int], list] = {}
    for user_id, organisation_id, accepted_at in PeerGroupMember.objects.filter(
        user_id__in=people,
        group__organisation_id__in=organisations,
        accepted_at__isnull=False,
    ).values_list("user_id", "group__organisation_id", "accepted_at"):
        joined.setdefault((user_id, organisation_id), []).append(accepted_at)
    cohorts = {
        (user_id, organisation_id): cohort
        for user_id, organisation_id, cohort in PeerProfile.objects.filter(
            user_id__in=people, organisation_id__in=organisations
        ).values_list("user_id", "organisation_id", "cohort")
    }
    return {
        bilan.pk: {
            "had_group": any(
                at >= bilan.opened_at
                for at in joined.get((bilan.beneficiary_id, bilan.organisation_id), ())
            ),
            "promotion": cohorts.get((bilan.beneficiary_id, bilan.organisation_id), ""),
        }
        for bilan in bilans
    }


register(["had_group", "promotion"], _figures)
