"""Matching rounds of the coordination, mounted at /mentorat/coordination/tours/ under the
"mentoring" namespace."""

from django.urls import path

from tisser.www.mentoring import rounds_views as views

urlpatterns = [
    path("", views.rounds, name="rounds"),
    path("nouveau/", views.round_create, name="round_create"),
    path("<int:round_id>/", views.round_view, name="round"),
    path(
        "<int:round_id>/propositions/<int:proposal_id>/",
        views.proposal_decide,
        name="proposal_decide",
    ),
    path(
        "<int:round_id>/propositions/<int:proposal_id>/choisir/",
        views.proposal_choose,
        name="proposal_choose",
    ),
    path("<int:round_id>/tout-accepter/", views.round_accept_all, name="round_accept_all"),
    path("<int:round_id>/publier/", views.round_publish, name="round_publish"),
    path("<int:round_id>/abandonner/", views.round_discard, name="round_discard"),
]
