from django.apps import AppConfig


class QualityConfig(AppConfig):
    """Qualiopi without the binders (issue #18): the indicators that apply to bilans and the
    evidence Tisser holds for each, complaints and improvement actions, stakeholders'
    appraisals, consultants' records, the public offer and results pages, and the auditor's
    export. It reads every app below it (the evidence is their normal work) and sits under the
    web layer, above `outcomes`, whose figures the public results page shows (ADR 0009)."""

    name = "tisser.quality"
    label = "quality"
    verbose_name = "Qualité (Qualiopi)"

    def ready(self) -> None:
        from tisser.quality import (  # noqa: F401
            consultant_evidence,
            consultant_personal_data,
            daily_jobs,
            demo_appraisals,
            demo_complaints,
            demo_consultants,
            demo_disability,
            demo_documents,
            demo_public,
            evidence_appraisals,
            evidence_bilans,
            evidence_complaints,
            evidence_disability,
            evidence_documents,
            evidence_paperwork,
            evidence_suggestions,
            notice_kinds,
            personal_data,
            public_evidence,
        )
