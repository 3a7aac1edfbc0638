"""A group's life: commitments and check-ins, help given and received; the coordination's
health overview (see `life_views`)."""

from django.urls import path

from tisser.www.peers import life_views as views

urlpatterns = [
    path("<int:group_id>/engagements/", views.commitments, name="commitments"),
    path("<int:group_id>/engagements/ajouter/", views.commitment_add, name="commitment_add"),
    path("engagements/<int:commitment_id>/", views.commitment_edit, name="commitment_edit"),
    path(
        "engagements/<int:commitment_id>/bilan/",
        views.commitment_checkin,
        name="commitment_checkin",
    ),
    path("<int:group_id>/entraide/", views.help_page, name="help"),
    path("sante/", views.health, name="health"),
]
