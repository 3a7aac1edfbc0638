"""A consultant's professional record in their archive ("Mes données") and when they leave
(ADR 0019). The archive gives what they wrote and the names of their proofs (the files
themselves are theirs already and stay downloadable from their record); a departure removes
the whole record with its proofs: a consultant who left no longer runs the organisme's bilans,
and the audits to come look at those who do."""

from django.utils.translation import gettext_lazy as _

from tisser.core.departure_counts import Going, add_deleted
from tisser.core.personal_data import (
    register_departure,
    register_departure_goings,
    register_exporter,
)
from tisser.quality.models import (
    ConsultantMethod,
    ConsultantQualification,
    ConsultantRecord,
    ConsultantTraining,
)

COVERS = (
    "quality.ConsultantRecord",
    "quality.ConsultantQualification",
    "quality.ConsultantMethod",
    "quality.ConsultantTraining",
)


@register_exporter("consultant_records", covers=COVERS)
def consultant_records_personal_data(*, user) -> list[dict]:
    """One entry per organisme where the person is a consultant with a record."""
    memberships = user.memberships.filter(role="consultant").select_related("organisation")
    records = {
        record.membership_id: record
        for record in ConsultantRecord.objects.filter(membership__user=user)
    }

    def items(model, *fields):
        rows: dict[int, list] = {}
        for row in model.objects.filter(membership__user=user).values(
            "membership_id", *fields, "proof_name"
        ):
            rows.setdefault(row.pop("membership_id"), []).append(row)
        return rows

    qualifications = items(ConsultantQualification, "title", "awarding_body", "year")
    methods = items(ConsultantMethod, "name", "accredited_on", "expires_on")
    trainings = items(
        ConsultantTraining, "title", "provider", "started_on", "ended_on", "hours", "indicator"
    )
    result = []
    for membership in memberships:
        record = records.get(membership.pk)
        found = [qualifications, methods, trainings]
        if record is None and not any(membership.pk in rows for rows in found):
            continue
        result.append(
            {
                "organisation": membership.organisation.name,
                "years_in_guidance": record.years_in_guidance if record else None,
                "previous_roles": record.previous_roles if record else "",
                "summary": record.summary if record else "",
                "qualifications": qualifications.get(membership.pk, []),
                "methods": methods.get(membership.pk, []),
                "trainings": trainings.get(membership.pk, []),
            }
        )
    return result


@register_departure(
    "quality_consultant_records",
    label=_("Le dossier professionnel de consultant·e : diplômes, méthodes, formations"),
    covers=COVERS,
)
def consultant_records_departure(*, user) -> dict[str, int]:
    counts: dict[str, int] = {}
    for model in (ConsultantQualification, ConsultantMethod, ConsultantTraining, ConsultantRecord):
        add_deleted(counts, model.objects.filter(membership__user=user).delete())
    return counts


@register_departure_goings("quality_consultant_records")
def consultant_records_goings(*, user) -> list[Going]:
    return [
        Going(model.objects.filter(membership__user=user))
        for model in (
            ConsultantQualification,
            ConsultantMethod,
            ConsultantTraining,
            ConsultantRecord,
        )
    ]
