"""A person's network in their personal-data export, and its erasure.

The network is the person's own (contacts are third parties they chose to record): it is
part of what they take away (`network_personal_data`, JSON-ready) and is erased whole
with them (`network_erase`): contacts, enquêtes-métiers with their steps, questions and
notes, weekly snapshots, the sharing choice, the report of the last contacts import. Both
are registered in `tisser.core.personal_data` (imported from `NetworkConfig.ready()`)."""

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
    NetworkSharing,
    NetworkSnapshot,
    Stage,
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


def _interview(interview: InformationalInterview, stage_labels: dict[str, str]) -> dict:
    return {
        "id": interview.pk,
        "contact": interview.contact_id,
        "metier": interview.metier.code_rome if interview.metier else None,
        "project": interview.project_id,
        "stage": interview.stage,
        "stage_label": stage_labels.get(interview.stage, interview.stage),
        "stage_changed_at": interview.stage_changed_at.isoformat(),
        "meeting_at": interview.meeting_at.isoformat() if interview.meeting_at else None,
        "outcome": interview.outcome,
        "takeaways": interview.takeaways,
        "about_me": interview.about_me,
        "verdict": interview.verdict,
        "created_at": interview.created_at.isoformat(),
        "steps": [
            {"stage": event.stage, "at": event.at.isoformat()} for event in interview.events.all()
        ],
        "questions": [
            {"theme": question.theme, "text": question.text}
            for question in interview.questions.all()
        ],
        "notes": [{"theme": note.theme, "text": note.text} for note in interview.notes.all()],
    }


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
    interviews = (
        InformationalInterview.objects.owned_by(owner)
        .select_related("metier")
        .prefetch_related("events", "questions", "notes")
        .order_by("pk")
    )
    snapshots = NetworkSnapshot.objects.owned_by(owner).order_by("week")
    sharing = NetworkSharing.objects.filter(owner=owner).first()
    how_known_labels, stage_labels = _labels(HowKnown.choices), _labels(Stage.choices)
    return {
        "contacts": (
            _contact(row, how_known_labels) for row in contacts.iterator(chunk_size=EXPORT_CHUNK)
        ),
        "informational_interviews": (
            _interview(interview, stage_labels)
            for interview in interviews.iterator(chunk_size=EXPORT_CHUNK)
        ),
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
