"""The coordinator's Qualiopi pages and the spaces where anyone raises a complaint
(issue #18), under /qualite/."""

from django.urls import path

from tisser.www.quality import (
    appraisals,
    complaints,
    consultants,
    disability,
    exports,
    improvements,
    indicators,
    publication,
)

app_name = "quality"
urlpatterns: list = [
    # The indicator map and the organisme's own documents (ADR 0033)
    path("", indicators.indicator_map, name="indicators"),
    path("documents/", indicators.documents, name="documents"),
    path("documents/<int:document_id>/", indicators.document_edit, name="document"),
    path(
        "documents/<int:document_id>/fichier/",
        indicators.document_file,
        name="document_file",
    ),
    path(
        "documents/<int:document_id>/supprimer/",
        indicators.document_delete,
        name="document_delete",
    ),
    # Indicator 26: the référent handicap and counts of adaptations
    path("handicap/", disability.disability, name="disability"),
    path("handicap/chiffres.csv", disability.disability_csv_download, name="disability_csv"),
    # Complaints and difficulties (31), improvement actions (32), ADR 0034
    path("signaler/", complaints.complaint_raise, name="complaint_raise"),
    path("signaler/<int:complaint_id>/", complaints.my_complaint, name="my_complaint"),
    path("reclamations/", complaints.complaint_list, name="complaints"),
    path("reclamations/<int:complaint_id>/", complaints.complaint_detail, name="complaint"),
    path("actions/", improvements.action_list, name="actions"),
    path("actions/nouvelle/", improvements.action_create, name="action_new"),
    path("actions/<int:action_id>/", improvements.action_edit, name="action"),
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
    # Consultants' records (indicators 21 and 22)
    path("mon-dossier/", consultants.consultant_record_mine, name="consultant_record_mine"),
    path("consultants/", consultants.consultant_list, name="consultant_list"),
    path(
        "consultants/<int:membership_id>/",
        consultants.consultant_record,
        name="consultant_record",
    ),
    path(
        "consultants/<int:membership_id>/dossier.pdf",
        consultants.consultant_record_download,
        name="consultant_record_pdf",
    ),
    path(
        "consultants/<int:membership_id>/experience/",
        consultants.consultant_profile_edit,
        name="consultant_profile_edit",
    ),
    path(
        "consultants/<int:membership_id>/<slug:kind>/ajouter/",
        consultants.consultant_item_add,
        name="consultant_item_add",
    ),
    path(
        "consultants/<int:membership_id>/<slug:kind>/<int:item_id>/",
        consultants.consultant_item_edit,
        name="consultant_item_edit",
    ),
    path(
        "consultants/<int:membership_id>/<slug:kind>/<int:item_id>/retirer/",
        consultants.consultant_item_delete,
        name="consultant_item_delete",
    ),
    path(
        "consultants/<int:membership_id>/<slug:kind>/<int:item_id>/justificatif/",
        consultants.consultant_item_proof,
        name="consultant_item_proof",
    ),
    # The public offer and results pages (indicators 1 and 2, ADR 0038)
    path("publication/", publication.publication, name="publication"),
    path("publication/publier/", publication.publication_publish, name="publication_publish"),
    path(
        "publication/apercu/<str:page>/",
        publication.publication_preview,
        name="publication_preview",
    ),
    # The auditor's export (ADR 0039)
    path("export/", exports.exports, name="exports"),
    path("export/<int:export_id>/etat/", exports.export_status, name="export_status"),
    path("export/<int:export_id>/archive.zip", exports.export_download, name="export_download"),
]
