"""Mon réseau: home, contacts, duplicates, the enquête pipeline and the consultant's view.
Gathered into the "network" namespace by `tisser/www/network/urls.py`."""

from django.urls import path

from tisser.www.network import contacts_views as views
from tisser.www.network import pipeline_views as pipeline

urlpatterns = [
    path("", views.home, name="home"),
    path("partage/", views.sharing_set, name="sharing_set"),
    path("fiches/choisir/", views.metier_picker, name="metier_picker"),
    path("contacts/", views.contact_list, name="contacts"),
    path("contacts/nouveau/", views.contact_create, name="contact_create"),
    path("contacts/doublons/", views.duplicates, name="duplicates"),
    path(
        "contacts/doublons/<int:keep_id>/<int:remove_id>/",
        views.contact_merge,
        name="contact_merge",
    ),
    path("contacts/<int:contact_id>/", views.contact_detail, name="contact"),
    path("contacts/<int:contact_id>/modifier/", views.contact_update, name="contact_update"),
    path("contacts/<int:contact_id>/supprimer/", views.contact_delete, name="contact_delete"),
    path("contacts/<int:contact_id>/enquete/", pipeline.interview_create, name="interview_create"),
    path("enquetes/", pipeline.interview_board, name="interviews"),
    path("enquetes/liste/", pipeline.interview_list, name="interview_list"),
    path("enquetes/<int:interview_id>/", pipeline.interview_detail, name="interview"),
    path(
        "enquetes/<int:interview_id>/etape/", pipeline.interview_advance, name="interview_advance"
    ),
    path(
        "enquetes/<int:interview_id>/annuler-etape/",
        pipeline.interview_undo,
        name="interview_undo",
    ),
    path(
        "enquetes/<int:interview_id>/suite/", pipeline.interview_outcome, name="interview_outcome"
    ),
    path("beneficiaire/<int:user_id>/", views.for_beneficiary, name="for_beneficiary"),
]
