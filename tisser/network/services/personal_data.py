"""A person's network in their personal-data export, and its erasure.

The network is the person's own (contacts are third parties they chose to record): it is
part of what they take away (`network_personal_data`, JSON-ready) and is erased whole
with them (`network_erase`): contacts, enquêtes-métiers with their steps, questions and
notes, weekly snapshots, the sharing choice, the report of the last contacts import. Both
are registered in `tisser.core.personal_data` (imported from `NetworkConfig.ready()`)."""

import itertools
from collections.abc import Iterator

from django.db import transaction

from tisser.accounts.models import User
from tisser.core.audit import audit_record
from tisser.core.personal_data import leave_out, register_eraser, register_exporter
from tisser.network.models import (
    Contact,
    ContactImport,
    HowKnown,
    InformationalInterview,
    InterviewNote,
    InterviewQuestion,
    NetworkSharing,
    NetworkSnapshot,
    Stage,
    StageEvent,
)


def _labels(choices) -> dict[str, str]:
    """Each choice's label in the active language, translated once per export rather than
    once per row (`get_FOO_display` hashes every choice on every call)."""
    return {value: str(label) for value, label in choices}


CONTACT_COLUMNS = (
    "id",
    "first_name",
    "last_name",
    "job_title",
    "company",
    "metier__code_rome",
    "metier__libelle",
    "sector",
    "how_known",
    "introduced_by_id",
    "channel",
    "email",
    "phone",
    "link",
    "notes",
    "created_at",
    "updated_at",
)


def _contact(row: dict, how_known_labels: dict[str, str]) -> dict:
    """One contact of the archive, from its `CONTACT_COLUMNS` (no model instance: a network
    of thousands of contacts is read as plain rows)."""
    return {
        "id": row["id"],
        "first_name": row["first_name"],
        "last_name": row["last_name"],
        "job_title": row["job_title"],
        "company": row["company"],
        "metier": (
            {"code_rome": row["metier__code_rome"], "libelle": row["metier__libelle"]}
            if row["metier__code_rome"] is not None
            else None
        ),
        "sector": row["sector"],
        "how_known": row["how_known"],
        "how_known_label": how_known_labels.get(row["how_known"], row["how_known"]),
        "introduced_by": row["introduced_by_id"],
        "channel": row["channel"],
        "email": row["email"],
        "phone": row["phone"],
        "link": row["link"],
        "notes": row["notes"],
        "created_at": row["created_at"].isoformat(),
        "updated_at": row["updated_at"].isoformat(),
    }


INTERVIEW_COLUMNS = (
    "id",
    "contact_id",
    "metier__code_rome",
    "project_id",
    "stage",
    "stage_changed_at",
    "meeting_at",
    "outcome",
    "takeaways",
    "about_me",
    "verdict",
    "created_at",
)


def _interview(row: dict, stage_labels: dict[str, str], parts: dict) -> dict:
    """One enquête of the archive from its `INTERVIEW_COLUMNS`, with its steps, questions
    and notes (`parts`: each list by enquête id)."""
    return {
        "id": row["id"],
        "contact": row["contact_id"],
        "metier": row["metier__code_rome"],
        "project": row["project_id"],
        "stage": row["stage"],
        "stage_label": stage_labels.get(row["stage"], row["stage"]),
        "stage_changed_at": row["stage_changed_at"].isoformat(),
        "meeting_at": row["meeting_at"].isoformat() if row["meeting_at"] else None,
        "outcome": row["outcome"],
        "takeaways": row["takeaways"],
        "about_me": row["about_me"],
        "verdict": row["verdict"],
        "created_at": row["created_at"].isoformat(),
        "steps": parts["steps"].get(row["id"], []),
        "questions": parts["questions"].get(row["id"], []),
        "notes": parts["notes"].get(row["id"], []),
    }


def _interviews(owner: User, stage_labels: dict[str, str]) -> Iterator[dict]:
    """`owner`'s enquêtes, `EXPORT_CHUNK` at a time: one query for the chunk's rows, one
    for each of its steps, questions and notes."""
    rows = (
        InformationalInterview.objects.owned_by(owner)
        .order_by("pk")
        .values(*INTERVIEW_COLUMNS)
        .iterator(chunk_size=EXPORT_CHUNK)
    )
    while chunk := list(itertools.islice(rows, EXPORT_CHUNK)):
        ids = [row["id"] for row in chunk]
        parts: dict[str, dict[int, list]] = {"steps": {}, "questions": {}, "notes": {}}
        for interview_id, stage, at in (
            StageEvent.objects.filter(interview_id__in=ids)
            .order_by("at", "id")
            .values_list("interview_id", "stage", "at")
        ):
            parts["steps"].setdefault(interview_id, []).append(
                {"stage": stage, "at": at.isoformat()}
            )
        for key, model, order in (
            ("questions", InterviewQuestion, ("position", "id")),
            ("notes", InterviewNote, ("theme",)),
        ):
            for interview_id, theme, text in (
                model.objects.filter(interview_id__in=ids)
                .order_by(*order)
                .values_list("interview_id", "theme", "text")
            ):
                parts[key].setdefault(interview_id, []).append({"theme": theme, "text": text})
        for row in chunk:
            yield _interview(row, stage_labels, parts)


NETWORK_MODELS = (
    "network.Contact",
    "network.InformationalInterview",
    "network.StageEvent",
    "network.InterviewQuestion",
    "network.InterviewNote",
    "network.NetworkSnapshot",
    "network.NetworkSharing",
    "network.ContactImport",
)

leave_out(
    {
        "network.ContactCeiling": (
            "How many contacts the person may hold, a figure the organisation's coordination "
            "sets on their membership (audited): an administrative bound, not something the "
            "person wrote; it goes with the membership."
        ),
    }
)


# Rows read from the database at once by the export (contacts, enquêtes with their steps).
EXPORT_CHUNK = 500


def network_personal_data_rows(*, owner: User) -> dict:
    """Everything of `owner`'s network, JSON-ready; contacts and enquêtes as iterators that
    read their rows `EXPORT_CHUNK` at a time (the archive streams them), whatever the
    network's size: a constant number of queries per chunk."""
    contacts = Contact.objects.owned_by(owner).order_by("pk").values(*CONTACT_COLUMNS)
    snapshots = NetworkSnapshot.objects.owned_by(owner).order_by("week")
    sharing = NetworkSharing.objects.filter(owner=owner).first()
    how_known_labels, stage_labels = _labels(HowKnown.choices), _labels(Stage.choices)
    return {
        "contacts": (
            _contact(row, how_known_labels) for row in contacts.iterator(chunk_size=EXPORT_CHUNK)
        ),
        "informational_interviews": _interviews(owner, stage_labels),
        "snapshots": [
            {
                "week": snapshot.week.isoformat(),
                "contacts": snapshot.contacts,
                "interviews_done": snapshot.interviews_done,
                "referrals": snapshot.referrals,
                "sectors": snapshot.sectors,
            }
            for snapshot in snapshots
        ],
        "shared_with_consultant": bool(sharing and sharing.with_consultant),
        "contact_imports": [
            {
                "filename": job.filename,
                "status": job.status,
                "created_at": job.created_at.isoformat(),
                "error": job.error,
                "report": job.report,
            }
            for job in ContactImport.objects.visible_to(owner).defer("content")
        ],
    }


def network_personal_data(*, owner: User) -> dict:
    """Everything of `owner`'s network, as JSON-ready data (lists), for their personal-data
    export."""
    return {
        key: list(value) if isinstance(value, Iterator) else value
        for key, value in network_personal_data_rows(owner=owner).items()
    }


def network_erase(*, owner: User) -> dict[str, int]:
    """Delete `owner`'s whole network; how many rows of each model went ("network.Contact":
    12, …). The audit entry keeps only these counts, nothing about the contacts."""
    deleted: dict[str, int] = {}
    with transaction.atomic():
        for queryset in (
            InformationalInterview.objects.filter(owner=owner),
            Contact.objects.filter(owner=owner),
            NetworkSnapshot.objects.filter(owner=owner),
            NetworkSharing.objects.filter(owner=owner),
            ContactImport.objects.filter(owner=owner),
        ):
            for label, count in queryset.delete()[1].items():
                deleted[label] = deleted.get(label, 0) + count
        audit_record(actor=None, action="network.erase", target=owner, data=deleted)
    return deleted


@register_exporter("network", covers=NETWORK_MODELS)
def _export(*, user: User) -> dict:
    return network_personal_data_rows(owner=user)


@register_eraser("network", covers=NETWORK_MODELS)
def _erase(*, user: User) -> dict[str, int]:
    return network_erase(owner=user)


# What goes when the person leaves (ADR 0019).
from tisser.network import departure  # noqa: E402, F401
