"""Suggestions, mentors' profiles as a mentee reads them, requests and their answers, under
the mentoring namespace (see `urls.py`)."""

from django.urls import path

from tisser.www.mentoring import requests_views as views

urlpatterns = [
    path("suggestions/", views.suggestions, name="suggestions"),
    path("mentors/<int:profile_id>/", views.mentor_detail, name="mentor_detail"),
    path("mentors/<int:profile_id>/demande/", views.request_create, name="request_create"),
    path("demandes/", views.request_list, name="requests"),
    path("demandes/<int:request_id>/", views.request_detail, name="request_detail"),
    path("demandes/<int:request_id>/accepter/", views.request_accept, name="request_accept"),
    path("demandes/<int:request_id>/decliner/", views.request_decline, name="request_decline"),
    path("demandes/<int:request_id>/retirer/", views.request_withdraw, name="request_withdraw"),
]
