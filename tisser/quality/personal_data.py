"""What the quality app holds about a person, for "Mes données" and the erasers: the complaints
and difficulties they raised from their space, with the organisme's answer (never the
coordinators' internal notes, which are the organisme's working notes)."""

from tisser.core.personal_data import leave_out, register_exporter
from tisser.quality.models import Complaint


@register_exporter("complaints", covers=("quality.Complaint",))
def complaints_personal_data(*, user) -> list[dict]:
    return [
        {
            "kind": str(complaint.get_kind_display()),
            "subject": complaint.subject,
            "description": complaint.description,
            "status": str(complaint.get_status_display()),
            "received_on": complaint.received_on,
            "acknowledged_on": complaint.acknowledged_on,
            "answered_on": complaint.answered_on,
            "closed_on": complaint.closed_on,
            "answer": complaint.answer,
        }
        for complaint in Complaint.objects.filter(author=user).order_by("pk")
    ]


leave_out(
    {
        "quality.AuditExport": (
            "An export for the auditor is the organisme's management record: it holds only "
            "who asked it (a coordinator, set to nothing if that person is erased) and when, "
            "and its archive is deleted after TISSER_EXPORT_KEEP_DAYS; the people named in the "
            "archive find their own paperwork in their bilan's archive."
        ),
        "quality.ImprovementAction": (
            "The organisme's log of its own improvements: its owner is named as a member of "
            "staff doing their job, not as a person the action is about."
        ),
        "quality.AppraisalInvitation": (
            "A request for an employer's or a funder's appraisal of the organisme's service: "
            "the address is the stakeholder's professional one, the link only a hash; it goes "
            "with the bilan it concerns."
        ),
        "quality.Appraisal": (
            "A stakeholder's appraisal of the organisme's service (Qualiopi indicator 30), not "
            "of the person: read only as aggregates under the small-numbers rule, it goes with "
            "the bilan it concerns."
        ),
        "quality.AppraisalAnswer": (
            "The answers of a stakeholder's appraisal of the service (see quality.Appraisal)."
        ),
        "quality.OrganismeDocument": (
            "The organisme's own documents (veilles, règlement intérieur, procedures): the "
            "organisation's work, not about the person; who keeps one up to date and who "
            "uploaded it are emptied when that person is erased."
        ),
    }
)
