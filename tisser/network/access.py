"""How pages fetch a contact, an enquête-métier or an interview guide (ADR 0008).

Every helper starts from `visible_to` and ends in `get_object_or_404`: someone else's
contact or enquête, or another organisation's guide, answers 404."""

from django.shortcuts import get_object_or_404

from tisser.network.models import Contact, GuideQuestion, InformationalInterview, InterviewGuide


def access_contact(user, contact_id: int) -> Contact:
    """A contact of `user`'s own network: only its owner opens it (their consultant reads
    shared networks through the beneficiary's summary, not contact by contact)."""
    return get_object_or_404(
        Contact.objects.visible_to(user)
        .filter(owner=user)
        .select_related("metier", "introduced_by", "organisation"),
        pk=contact_id,
    )


def access_interview(user, interview_id: int) -> InformationalInterview:
    """An enquête-métier `user` may read: their own, or one of a beneficiary who invited
    them as consultant and shares their network (`OwnedQuerySet.visible_to`)."""
    return get_object_or_404(
        InformationalInterview.objects.visible_to(user).select_related(
            "contact", "metier", "project", "owner"
        ),
        pk=interview_id,
    )


def access_own_interview(user, interview_id: int) -> InformationalInterview:
    """An enquête-métier of `user`'s own: only its owner prepares, leads and writes it up."""
    return get_object_or_404(
        InformationalInterview.objects.visible_to(user)
        .filter(owner=user)
        .select_related(
            "contact", "contact__introduced_by", "contact__metier", "metier", "project", "owner"
        ),
        pk=interview_id,
    )


def access_guide(user, guide_id: int) -> InterviewGuide:
    """An interview guide of `user`'s organisation (`InterviewGuide.objects.visible_to`:
    its coordinators and consultants, and its beneficiaries while the guide is active)."""
    return get_object_or_404(
        InterviewGuide.objects.visible_to(user).select_related("organisation"), pk=guide_id
    )


def access_guide_question(user, question_id: int) -> GuideQuestion:
    """A question of a guide `user` may see (`access_guide`)."""
    return get_object_or_404(
        GuideQuestion.objects.filter(
            guide__in=InterviewGuide.objects.visible_to(user)
        ).select_related("guide__organisation"),
        pk=question_id,
    )
