"""The bilans part of a person's archive ("Mes données"): every bilan they had as
beneficiary with its convention, consent, phases, entretiens, working documents (parcours,
réussites, portfolio, aspirations, shortlist, projects), synthesis and who it was shared
with, satisfaction answers, follow-up, and the need for adaptation recorded with its
adaptations. Left out, with the reason below: what the consultant wrote in their
professional role and renderings of what is already here."""

from tisser.bilans.models import (
    Bilan,
    BilanAdaptation,
    CpfDossier,
    PreliminaryRecord,
    SynthesisDocument,
)
from tisser.bilans.services.contract import FIELDS as CONTRACT_FIELDS
from tisser.bilans.services.contract import SIGNATURE_FIELDS as CONTRACT_SIGNATURE_FIELDS
from tisser.bilans.services.convention import FIELDS as CONVENTION_FIELDS
from tisser.bilans.services.convention import SIGNATURE_FIELDS as CONVENTION_SIGNATURE_FIELDS
from tisser.bilans.services.preliminary import FIELDS as PRELIMINARY_FIELDS
from tisser.core.personal_data import leave_out, register_exporter


def _rows(queryset, *fields: str) -> list[dict]:
    return list(queryset.values(*fields))


def _projects(bilan) -> list[dict]:
    return [
        {
            "title": project.title,
            "kind": project.kind,
            "preferred": project.preferred,
            "motivation": project.motivation,
            "targets": [m.code_rome for m in project.targets.all()],
            "checklist": [
                {"item": c.item, "status": c.status, "note": c.note} for c in project.checks.all()
            ],
            "steps": [
                {"title": s.title, "due_on": s.due_on, "status": s.status}
                for s in project.steps.all()
            ],
        }
        for project in bilan.projects.prefetch_related("targets", "steps", "checks").order_by("pk")
    ]


def _synthesis(bilan) -> dict | None:
    synthesis = SynthesisDocument.objects.filter(bilan=bilan).first()
    if synthesis is None:
        return None
    return {
        "circumstances": synthesis.circumstances,
        "competences": synthesis.competences,
        "projects": synthesis.projects,
        "status": synthesis.status,
        "validated_at": synthesis.validated_at,
        "your_comment": synthesis.beneficiary_comment,
        "your_observations": synthesis.beneficiary_observations,
        "observations_at": synthesis.observations_at,
        # Who the person gave their synthesis to, and when it was downloaded; never the
        # link itself.
        "shares": [
            {
                "recipient_name": share.recipient_name,
                "recipient_email": share.recipient_email,
                "recipient_role": share.recipient_role,
                "recipient_organisation": share.recipient_organisation,
                "purpose": share.purpose,
                "to_cep": share.to_cep,
                "given_at": share.given_at,
                "revoked_at": share.revoked_at,
                "downloads": [download.at for download in share.downloads.order_by("at")],
            }
            for share in synthesis.shares.order_by("pk")
        ],
    }


def _convention(bilan) -> dict | None:
    convention = getattr(bilan, "convention", None)
    if convention is None:
        return None
    names = (
        *CONVENTION_FIELDS,
        *CONVENTION_SIGNATURE_FIELDS,
        "price_euros",
        "beneficiary_accepted_at",
        "updated_at",
    )
    return {name: getattr(convention, name) for name in names}


def _contract(bilan) -> dict | None:
    contract = getattr(bilan, "contract", None)
    if contract is None:
        return None
    names = (
        *CONTRACT_FIELDS,
        *CONTRACT_SIGNATURE_FIELDS,
        "price_euros",
        "beneficiary_accepted_at",
        "updated_at",
    )
    return {name: getattr(contract, name) for name in names}


def _followup(bilan) -> dict | None:
    followup = getattr(bilan, "followup", None)
    if followup is None:
        return None
    return {
        "status": followup.status,
        "start": followup.start,
        "duration_minutes": followup.duration_minutes,
        "mode": followup.mode,
        "location": followup.location,
        "message": followup.message,
        "proposed_at": followup.proposed_at,
        "answered_at": followup.answered_at,
        "decline_reason": followup.decline_reason,
        "done_at": followup.done_at,
    }


def _preliminary(bilan) -> dict | None:
    record = PreliminaryRecord.objects.filter(bilan=bilan).first()
    if record is None:
        return None
    return {
        **{name: getattr(record, name) for name in PRELIMINARY_FIELDS},
        "updated_at": record.updated_at,
        "acknowledged_at": record.acknowledged_at,
    }


def _adaptation(bilan) -> dict | None:
    """The need for adaptation the person or her consultant recorded, and what was done."""
    record = BilanAdaptation.objects.filter(bilan=bilan).first()
    if record is None:
        return None
    return {
        "need": record.need,
        "recorded_by": record.recorded_by,
        "consent_on": record.consent_on,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
        "measures": _rows(record.measures.order_by("pk"), "kind", "detail", "started_on"),
    }


def _bilan(bilan) -> dict:
    aspirations = getattr(bilan, "aspirations", None)
    return {
        "organisation": bilan.organisation.name,
        "consultant": bilan.consultant.get_full_name(),
        "funding": bilan.funding,
        "status": bilan.status,
        "opened_at": bilan.opened_at,
        "closed_at": bilan.closed_at,
        "outcome": bilan.outcome,
        "end_reason": bilan.end_reason,
        "end_note": bilan.end_note,
        "planned_hours": bilan.planned_hours,
        "hours_done": bilan.hours_done,
        "preliminary": _preliminary(bilan),
        "convention": _convention(bilan),
        "contract": _contract(bilan),
        "consent": {
            "text_version": bilan.consent.text_version,
            "accepted_at": bilan.consent.accepted_at,
            "withdrawn_at": bilan.consent.withdrawn_at,
        }
        if hasattr(bilan, "consent")
        else None,
        "phases": _rows(bilan.transitions.order_by("at", "pk"), "from_phase", "to_phase", "at"),
        "entretiens": _rows(
            bilan.sessions.order_by("pk"),
            "series__title",
            "series__first_start",
            "series__duration_minutes",
            "series__rrule",
            "unplanned_reason",
            "recorded_afterwards_at",
        ),
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
        "achievements": [
            {
                "title": a.title,
                "situation": a.situation,
                "action": a.action,
                "result": a.result,
                "suggested_competences": _rows(
                    a.suggestions.order_by("-score", "code_ogr"), "label", "status", "decided_at"
                ),
            }
            for a in bilan.achievements.order_by("pk")
        ],
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
            for name in ("mobility", "income", "time", "constraints", "work_setting", "other")
        }
        if aspirations
        else {},
        "shortlist": _rows(bilan.shortlist.order_by("pk"), "metier__code_rome", "note", "status"),
        "dismissed_fiches": _rows(
            bilan.dismissed_fiches.order_by("pk"), "metier__code_rome", "dismissed_at"
        ),
        "projects": _projects(bilan),
        "synthesis": _synthesis(bilan),
        "satisfaction": _rows(
            bilan.satisfaction_responses.order_by("pk"),
            "moment",
            "answers",
            "comment",
            "created_at",
        ),
        "followup": _followup(bilan),
        "keep_agreements": _rows(
            bilan.keep_agreements.order_by("pk"),
            "kinds",
            "need",
            "until",
            "given_at",
            "withdrawn_at",
        ),
        "final_downloads": _rows(bilan.final_downloads.order_by("pk"), "kind", "at"),
        "adaptation": _adaptation(bilan),
    }


@register_exporter(
    "bilans",
    covers=(
        "bilans.Bilan",
        "bilans.Convention",
        "bilans.Contract",
        "bilans.BilanConsent",
        "bilans.PhaseTransition",
        "bilans.PreliminaryRecord",
        "bilans.BilanSession",
        "bilans.Experience",
        "bilans.Achievement",
        "bilans.CompetenceSuggestion",
        "bilans.PortfolioItem",
        "bilans.Aspirations",
        "bilans.ShortlistEntry",
        "bilans.DismissedFiche",
        "bilans.Project",
        "bilans.ProjectCheck",
        "bilans.ProjectStep",
        "bilans.SynthesisDocument",
        "bilans.SynthesisShare",
        "bilans.SynthesisShareDownload",
        "bilans.SatisfactionResponse",
        "bilans.FollowUp",
        "bilans.KeepAgreement",
        "bilans.FinalDownload",
        "bilans.BilanAdaptation",
        "bilans.AdaptationMeasure",
    ),
)
def bilans_personal_data(*, user) -> list[dict]:
    return [
        _bilan(bilan)
        for bilan in Bilan.objects.filter(beneficiary=user)
        .select_related("organisation", "consultant")
        .order_by("pk")
    ]


leave_out(
    {
        "bilans.SessionNote": (
            "The consultant's private notes of an entretien, written in their professional "
            "role; the person may ask their organisme for them."
        ),
        "bilans.RenderedPdf": (
            "The last rendering of a bilan's attestation, émargement, convention, contract or "
            "detailed results, kept to serve it again while its content is unchanged; what it "
            "prints is in the archive and the person downloads the PDF from their bilan."
        ),
        "bilans.SynthesisPdf": (
            "A PDF rendering of the document de synthèse, whose text is in the archive; the "
            "person downloads the PDF itself from their bilan."
        ),
    }
)


@register_exporter("bilans_cpf", covers=("bilans.CpfDossier",))
def bilans_cpf_personal_data(*, user) -> list[dict]:
    """The CPF dossiers of the person's bilans: the number and dates the organisme declared
    to the Caisse des Dépôts about them."""
    return list(
        CpfDossier.objects.filter(bilan__beneficiary=user)
        .order_by("pk")
        .values(
            "bilan_id",
            "number",
            "planned_entry_on",
            "planned_exit_on",
            "entry_on",
            "entry_declared_on",
            "exit_declared_on",
            "service_fait_declared_on",
        )
    )


# What goes when the person leaves (ADR 0019).
from tisser.bilans import departure  # noqa: E402, F401
