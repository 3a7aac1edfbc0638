"""The coordinator's Qualiopi pages and the spaces where anyone raises a complaint
(issue #18), under /qualite/."""

from django.urls import path

from tisser.www.quality import consultants

app_name = "quality"
urlpatterns: list = [
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
]
