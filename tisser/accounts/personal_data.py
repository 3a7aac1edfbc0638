"""A person's personal data, as one JSON archive they can download ("Mes données").

What the person wrote or answered about themself, and what is kept about them: the account,
memberships, isolation checks and inventories, their bilans as beneficiary with every
working document, their professional network, their mentoring (profile or needs, requests,
mentorships and what they wrote in them) and their peer groups (preferences, groups,
commitments, help given and received). Not included: what colleagues wrote in
their professional role (a consultant's private notes), which the person may request from
their organisme."""

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from tisser.accounts.models import User
from tisser.core.audit import audit_record

ARCHIVE_VERSION = 1


def _rows(queryset, *fields: str) -> list[dict]:
    return list(queryset.values(*fields))


def _bilan(bilan) -> dict:
    from tisser.bilans.models import SynthesisDocument

    synthesis = SynthesisDocument.objects.filter(bilan=bilan).first()
    projects = []
    for project in bilan.projects.prefetch_related("targets", "steps", "checks").order_by("pk"):
        projects.append(
            {
                "title": project.title,
                "kind": project.kind,
                "preferred": project.preferred,
                "motivation": project.motivation,
                "targets": [m.code_rome for m in project.targets.all()],
                "checklist": [
                    {"item": c.item, "status": c.status, "note": c.note}
                    for c in project.checks.all()
                ],
                "steps": [
                    {"title": s.title, "due_on": s.due_on, "status": s.status}
                    for s in project.steps.all()
                ],
            }
        )
    aspirations = getattr(bilan, "aspirations", None)
    return {
        "organisation": bilan.organisation.name,
        "consultant": bilan.consultant.get_full_name(),
        "funding": bilan.funding,
        "status": bilan.status,
        "opened_at": bilan.opened_at,
        "closed_at": bilan.closed_at,
        "consent": {
            "text_version": bilan.consent.text_version,
            "accepted_at": bilan.consent.accepted_at,
        }
        if hasattr(bilan, "consent")
        else None,
        "experiences": [
            {
                "kind": e.kind,
                "title": e.title,
                "organisation": e.organisation_name,
                "started_on": e.started_on,
                "ended_on": e.ended_on,
                "description": e.description,
                "fiches": [m.code_rome for m in e.fiches.all()],
            }
            for e in bilan.experiences.prefetch_related("fiches").order_by("pk")
        ],
        "achievements": _rows(
            bilan.achievements.order_by("pk"), "title", "situation", "action", "result"
        ),
        "portfolio": _rows(
            bilan.portfolio.order_by("pk"),
            "kind",
            "code_ogr",
            "label",
            "level",
            "preference",
            "evidence",
        ),
        "aspirations": {
            name: getattr(aspirations, name)
            for name in ("mobility", "income", "time", "health", "work_setting", "other")
        }
        if aspirations
        else {},
        "shortlist": _rows(bilan.shortlist.order_by("pk"), "metier__code_rome", "note", "status"),
        "projects": projects,
        "synthesis": {
            "circumstances": synthesis.circumstances,
            "competences": synthesis.competences,
            "projects": synthesis.projects,
            "status": synthesis.status,
            "validated_at": synthesis.validated_at,
            "your_comment": synthesis.beneficiary_comment,
        }
        if synthesis
        else None,
        "satisfaction": _rows(
            bilan.satisfaction_responses.order_by("pk"),
            "moment",
            "answers",
            "comment",
            "created_at",
        ),
    }


def personal_data_export(*, user: User) -> dict:
    """Everything about `user` that belongs in their archive (see the module docstring)."""
    from tisser.assessments.models import InventoryResponse, IsolationCheck
    from tisser.bilans.models import Bilan
    from tisser.mentoring.personal_data import mentoring_personal_data
    from tisser.network.services.personal_data import network_personal_data
    from tisser.peers.personal_data import peers_personal_data

    data = {
        "archive": {"version": ARCHIVE_VERSION, "created_at": timezone.now()},
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "preferred_language": user.preferred_language,
            "date_joined": user.date_joined,
        },
        "memberships": _rows(
            user.memberships.order_by("pk"), "organisation__name", "role", "is_active"
        ),
        "isolation_checks": _rows(
            IsolationCheck.objects.filter(user=user).order_by("pk"),
            "moment",
            "version",
            "answers",
            "scores",
            "created_at",
        ),
        "inventories": _rows(
            InventoryResponse.objects.filter(user=user).order_by("pk"),
            "kind",
            "version",
            "answers",
            "scores",
            "created_at",
        ),
        "bilans": [
            _bilan(bilan)
            for bilan in Bilan.objects.filter(beneficiary=user)
            .select_related("organisation", "consultant")
            .order_by("pk")
        ],
        "network": network_personal_data(owner=user),
        "mentoring": mentoring_personal_data(user=user),
        "peer_groups": peers_personal_data(user=user),
    }
    audit_record(actor=user, action="personal_data.export", target=user)
    return data


def personal_data_json(*, user: User) -> bytes:
    import json

    return json.dumps(
        personal_data_export(user=user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
    ).encode()
