"""The coordinator's Qualiopi pages and the spaces where anyone raises a complaint
(issue #18), under /qualite/."""

from django.urls import path

from tisser.www.quality import appraisals

app_name = "quality"
urlpatterns: list = [
    # Appraisals by the stakeholders (indicator 30)
    path("appreciations/", appraisals.results, name="appraisals"),
    path("appreciations/inviter/", appraisals.invite, name="appraisal_invite"),
    path(
        "appreciations/invitations/<int:invitation_id>/relancer/",
        appraisals.invitation_resend,
        name="appraisal_invitation_resend",
    ),
    path(
        "appreciations/questionnaires/<str:audience>/",
        appraisals.questionnaire,
        name="appraisal_questionnaire",
    ),
    path(
        "appreciations/questions/<int:question_id>/",
        appraisals.question_edit,
        name="appraisal_question_edit",
    ),
    path(
        "appreciations/bilans/<int:bilan_id>/",
        appraisals.consultant_appraisal,
        name="appraisal_consultant",
    ),
]
