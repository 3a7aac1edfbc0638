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
        from tisser.quality import daily_jobs, evidence_paperwork, personal_data  # noqa: F401
