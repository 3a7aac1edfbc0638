"""Bilans, invitations and answers in the states the appraisal tests need."""

from django.utils import timezone

from tests.bilans.paperwork_helpers import convention_written
from tests.factories import member
from tisser.bilans import services as bilans
from tisser.bilans.models import Bilan, Funding, Phase
from tisser.core.enums import Role
from tisser.quality.models import Audience
from tisser.quality.services.appraisals import (
    InvitationDraft,
    appraisal_answer_by_link,
    appraisal_invitation_create,
    appraisal_link_issue,
    field_name,
    questionnaire_of,
    questions_asked,
)


def ended_bilan(consultant, *, funding=Funding.CPF, convention=False) -> Bilan:
    """A bilan of a new beneficiary of `consultant`'s organisation, ended (test set-up: the
    phases themselves are the bilans tests' business)."""
    organisation = consultant.memberships.get().organisation
    beneficiary = member(
        Role.BENEFICIARY,
        organisation,
        invited_by=consultant,
        user__first_name="Camille",
        user__last_name="Roussel",
    )
    bilan = bilans.bilan_open(consultant=consultant, beneficiary=beneficiary, funding=funding)
    if convention:
        convention_written(bilan)
    Bilan.objects.filter(pk=bilan.pk).update(status=Phase.CLOSED, closed_at=timezone.now())
    bilan.refresh_from_db()
    return bilan


def answers_for(organisation, audience, values) -> dict:
    questions = questions_asked(questionnaire_of(organisation=organisation, audience=audience))
    return {field_name(q): v for q, v in zip(questions, values, strict=False)}


def invited(coordinator, bilan, *, email="rh@entreprise.example", audience=Audience.EMPLOYER):
    return appraisal_invitation_create(
        actor=coordinator, bilan=bilan, draft=InvitationDraft(audience=audience, email=email)
    )


def answered(coordinator, bilan, *, email, values, audience=Audience.EMPLOYER):
    """An invitation sent to `email` and answered with `values` (in the questions' order)."""
    invitation = invited(coordinator, bilan, email=email, audience=audience)
    _invitation, token = appraisal_link_issue(invitation_id=invitation.pk)
    return appraisal_answer_by_link(
        raw_token=token, answers=answers_for(bilan.organisation, audience, values)
    )
