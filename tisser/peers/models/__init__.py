"""Peer groups: preferences, formations, groups and members, charter, commitments, help."""

from tisser.peers.models.choices import HelpKind, PeerMode, ProjectType, Rhythm, Stage
from tisser.peers.models.groups import GroupFormation, PeerGroup, PeerGroupMember
from tisser.peers.models.life import (
    DEFAULT_MEETINGS_PER_MONTH,
    MAX_COMMITMENTS_PER_PERIOD,
    Charter,
    CharterAgreement,
    Commitment,
    Contribution,
)
from tisser.peers.models.profiles import PeerProfile
from tisser.peers.models.promotions import Promotion

__all__ = [
    "DEFAULT_MEETINGS_PER_MONTH",
    "MAX_COMMITMENTS_PER_PERIOD",
    "Charter",
    "CharterAgreement",
    "Commitment",
    "Contribution",
    "GroupFormation",
    "HelpKind",
    "PeerGroup",
    "PeerGroupMember",
    "PeerMode",
    "PeerProfile",
    "ProjectType",
    "Promotion",
    "Rhythm",
    "Stage",
]
