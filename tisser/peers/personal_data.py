"""The peer groups part of a person's archive ("Mes données"): their preferences (the
declared characteristic included: it is theirs), their groups, their commitments and
check-ins, the charters they agreed to and the help they gave or received."""

from django.db.models import Q

from tisser.accounts.models import User
from tisser.mentoring.models import availability_labels
from tisser.peers.models import (
    CharterAgreement,
    Commitment,
    Contribution,
    PeerGroupMember,
    PeerProfile,
)


def peers_personal_data(*, user: User) -> dict:
    preferences = [
        {
            "organisation": profile.organisation.name,
            "seeking": profile.seeking,
            "availability": availability_labels(profile.availability),
            "stage": profile.stage,
            "project_type": profile.project_type,
            "sectors": list(profile.sectors.order_by("code").values_list("libelle", flat=True)),
            "rhythm": profile.rhythm,
            "mode": profile.mode,
            "departement": profile.departement,
            "languages": profile.languages,
            "attribute": profile.attribute,
            "avoid_isolation": profile.avoid_isolation,
            "cohort": profile.cohort,
            "introduction": profile.introduction,
        }
        for profile in PeerProfile.objects.filter(user=user).select_related("organisation")
    ]
    return {
        "preferences": preferences,
        "groups": list(
            PeerGroupMember.objects.filter(user=user)
            .order_by("pk")
            .values(
                "group__name",
                "group__status",
                "status",
                "joined_at",
                "accepted_at",
                "left_at",
                "leave_reason",
            )
        ),
        "charter_agreements": list(
            CharterAgreement.objects.filter(user=user)
            .order_by("pk")
            .values("charter__group__name", "version", "agreed_at")
        ),
        "commitments": list(
            Commitment.objects.filter(user=user)
            .order_by("pk")
            .values(
                "group__name",
                "period_start",
                "period_end",
                "text",
                "outcome",
                "comment",
                "checked_in_at",
            )
        ),
        "help": [
            {
                "group": item.group.name,
                "direction": "given" if item.giver_id == user.pk else "received",
                "with": (item.receiver if item.giver_id == user.pk else item.giver).first_name,
                "kind": item.kind,
                "description": item.description,
                "created_at": item.created_at,
            }
            for item in Contribution.objects.filter(Q(giver=user) | Q(receiver=user))
            .select_related("group", "giver", "receiver")
            .order_by("pk")
        ],
    }
