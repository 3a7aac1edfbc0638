"""How the pages fetch a complaint or an improvement action by id: through `visible_to`, so
that someone else's answers 404."""

from django.shortcuts import get_object_or_404

from tisser.quality.models import Complaint, ImprovementAction


def access_complaint(user, complaint_id: int) -> Complaint:
    """A complaint its author or a coordinator of its organisation opens; 404 for anyone
    else (the consultant of the bilan it is about included)."""
    return get_object_or_404(
        Complaint.objects.visible_to(user).select_related("organisation", "author", "bilan"),
        pk=complaint_id,
    )


def access_complaint_authored(user, complaint_id: int) -> Complaint:
    """A complaint `user` raised, for its follow-up page; 404 for any other."""
    return get_object_or_404(
        Complaint.objects.filter(author=user).select_related("organisation"), pk=complaint_id
    )


def access_complaint_coordinated(user, complaint_id: int) -> Complaint:
    """A complaint of an organisation `user` coordinates; 404 otherwise (its author
    included: they have their own page)."""
    coordinated = user.memberships.coordinated_organisation_ids()
    return get_object_or_404(
        Complaint.objects.filter(organisation_id__in=coordinated).select_related(
            "organisation", "author", "bilan__beneficiary"
        ),
        pk=complaint_id,
    )


def access_improvement_action(user, action_id: int) -> ImprovementAction:
    return get_object_or_404(
        ImprovementAction.objects.visible_to(user).select_related("complaint", "owner"),
        pk=action_id,
    )
