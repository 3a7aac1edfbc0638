"""The peer groups part of a person's archive ("Mes données"): their preferences (the
declared characteristic included: it is theirs), their groups, their commitments and
check-ins, the charters they agreed to and the help they gave or received. Registered from
`PeersConfig.ready()`."""

from django.db.models import Q

from tisser.accounts.models import User
from tisser.core.personal_data import leave_out, register_exporter
from tisser.mentoring.models import availability_labels
from tisser.peers.models import (
    CharterAgreement,
    Commitment,
    Contribution,
    GroupFormation,
    PeerGroupMember,
    PeerProfile,
)


@register_exporter(
    "peer_groups",
    covers=(
        "peers.PeerProfile",
        "peers.PeerGroupMember",
        "peers.CharterAgreement",
        "peers.Commitment",
        "peers.Contribution",
        "peers.GroupFormation",
    ),
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
    # A formation is the coordination's work file; what it says of the person is why they
    # were left out of the groups, if they were.
    left_out = [
        {"cohort": formation.cohort, "created_at": formation.created_at, "reason": item["reason"]}
        for formation in GroupFormation.objects.filter(
            organisation__in=PeerProfile.objects.filter(user=user).values("organisation")
        ).order_by("pk")
        for item in formation.unplaced
        if item.get("user") == user.pk
    ]
    return {
        "preferences": preferences,
        "left_out_of_formations": left_out,
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


leave_out(
    {
        "peers.Promotion": (
            "A promotion's name and who in the coordination created it: the coordination's "
            "work, not about the person; the link is emptied when that person is erased. "
            "The person's own promotion is in their preferences, exported above."
        ),
    }
)


# What goes when the person leaves (ADR 0019).
from tisser.peers import departure  # noqa: E402, F401
