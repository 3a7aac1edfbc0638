"""The mentoring part of a person's archive ("Mes données"): their mentor profile or needs,
the requests they sent or received, and their mentorships with what they wrote in them (the
other person's feedback stays theirs), the conflicts declared about them and the matching
proposals made for them. Registered from `MentoringConfig.ready()`."""

from django.db.models import Q

from tisser.accounts.models import User
from tisser.core.personal_data import leave_out, register_exporter
from tisser.mentoring.models import (
    DeclaredConflict,
    Feedback,
    MenteeProfile,
    MentorProfile,
    Mentorship,
    MentorshipRequest,
    ProgressUpdate,
    RoundProposal,
    availability_labels,
)


def _name(profile: MentorProfile | None) -> str | None:
    return profile.user.get_full_name() if profile else None


def _codes(queryset) -> list[str]:
    return list(queryset.order_by("code_rome").values_list("code_rome", flat=True))


@register_exporter(
    "mentoring",
    covers=(
        "mentoring.MentorProfile",
        "mentoring.MenteeProfile",
        "mentoring.MentorshipRequest",
        "mentoring.Mentorship",
        "mentoring.Agreement",
        "mentoring.Goal",
        "mentoring.ProgressUpdate",
        "mentoring.Feedback",
        "mentoring.DeclaredConflict",
        "mentoring.RoundProposal",
    ),
)
def mentoring_personal_data(*, user: User) -> dict:
    mentor_profiles = [
        {
            "organisation": profile.organisation.name,
            "status": profile.status,
            "paused_at": profile.paused_at,
            "headline": profile.headline,
            "career_path": profile.career_path,
            "reconversion": profile.reconversion,
            "motivation": profile.motivation,
            "current_fiches": _codes(profile.current_fiches),
            "past_fiches": _codes(profile.past_fiches),
            "skills": list(profile.skills.order_by("code_ogr").values_list("libelle", flat=True)),
            "help_offered": profile.help_offered,
            "capacity": profile.capacity,
            "availability": availability_labels(profile.availability),
            "languages": profile.languages,
            "mode": profile.mode,
            "departement": profile.departement,
            "employer": profile.employer,
            "review_note": profile.review_note,
        }
        for profile in MentorProfile.objects.filter(user=user).select_related("organisation")
    ]
    needs = [
        {
            "organisation": profile.organisation.name,
            "seeking": profile.seeking,
            "target_fiches": _codes(profile.target_fiches),
            "help_wanted": profile.help_wanted,
            "wishes": profile.wishes,
            "availability": availability_labels(profile.availability),
            "languages": profile.languages,
            "mode": profile.mode,
            "departement": profile.departement,
            "employer": profile.employer,
            "cohort": profile.cohort,
            "share_project": profile.share_project,
            "share_targets": profile.share_targets,
            "share_gap": profile.share_gap,
        }
        for profile in MenteeProfile.objects.filter(user=user).select_related("organisation")
    ]
    requests = [
        {
            "direction": "sent" if item.mentee_id == user.pk else "received",
            "mentee": item.mentee.get_full_name(),
            "mentor": item.mentor.user.get_full_name(),
            "message": item.message,
            "status": item.status,
            "sent_at": item.sent_at,
            "answered_at": item.answered_at,
            "answer": item.answer,
        }
        for item in MentorshipRequest.objects.filter(Q(mentee=user) | Q(mentor__user=user))
        .select_related("mentee", "mentor__user")
        .order_by("pk")
    ]
    mentorships = []
    for mentorship in (
        Mentorship.objects.filter(Q(mentee=user) | Q(mentor__user=user))
        .select_related("mentee", "mentor__user")
        .order_by("pk")
    ):
        agreement = getattr(mentorship, "agreement", None)
        mentorships.append(
            {
                "role": "mentee" if mentorship.mentee_id == user.pk else "mentor",
                "mentee": mentorship.mentee.get_full_name(),
                "mentor": mentorship.mentor.user.get_full_name(),
                "status": mentorship.status,
                "started_at": mentorship.started_at,
                "planned_end": mentorship.planned_end,
                "ended_at": mentorship.ended_at,
                "end_reason": mentorship.end_reason,
                "paused_at": mentorship.paused_at,
                "pause_reason": mentorship.pause_reason,
                "agreement": None
                if agreement is None
                else {
                    "goals_summary": agreement.goals_summary,
                    "mentee_expectations": agreement.mentee_expectations,
                    "mentor_commitment": agreement.mentor_commitment,
                    "confidentiality": agreement.confidentiality,
                    "duration_months": agreement.duration_months,
                    "mentee_signed_at": agreement.mentee_signed_at,
                    "mentor_signed_at": agreement.mentor_signed_at,
                },
                "goals": list(
                    mentorship.goals.order_by("position", "pk").values(
                        "title", "success_criteria", "status", "created_at"
                    )
                ),
                "my_messages": list(
                    ProgressUpdate.objects.filter(mentorship=mentorship, author=user)
                    .order_by("pk")
                    .values("kind", "text", "created_at")
                ),
                "my_feedback": list(
                    Feedback.objects.filter(mentorship=mentorship, author=user)
                    .order_by("pk")
                    .values("stage", "rating", "going_well", "to_improve", "created_at")
                ),
            }
        )
    return {
        "mentor_profiles": mentor_profiles,
        "needs": needs,
        "requests": requests,
        "mentorships": mentorships,
        # Conflicts of interest between the person (as mentee) and a mentor, whoever
        # declared them: they keep that mentor away from the person's proposals.
        "declared_conflicts": [
            {
                "mentor": conflict.mentor.user.get_full_name(),
                "reason": conflict.reason,
                "note": conflict.note,
                "created_at": conflict.created_at,
            }
            for conflict in DeclaredConflict.objects.filter(mentee=user)
            .select_related("mentor__user")
            .order_by("pk")
        ],
        "proposals": [
            {
                "proposed_mentor": _name(proposal.proposed_mentor),
                "mentor": _name(proposal.mentor),
                "explanation": proposal.explanation,
                "unmatched_reason": proposal.unmatched_reason,
                "decision": proposal.decision,
                "decided_at": proposal.decided_at,
            }
            for proposal in RoundProposal.objects.filter(mentee=user)
            .select_related("proposed_mentor__user", "mentor__user")
            .order_by("pk")
        ],
    }


leave_out(
    {
        "mentoring.MatchingRound": (
            "A matching round is the coordination's work file; what it proposed for the "
            "person is in the archive (mentoring.proposals)."
        ),
    }
)

# What goes when the person leaves (ADR 0019).
from tisser.mentoring import departure  # noqa: E402, F401
