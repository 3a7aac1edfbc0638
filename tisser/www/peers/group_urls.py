"""A participant's peer groups (see `group_views`)."""

from django.urls import path

from tisser.www.peers import group_views as views

urlpatterns = [
    path("", views.home, name="home"),
    path("mes-preferences/", views.preferences, name="preferences"),
    path("<int:group_id>/", views.group_detail, name="group"),
    path("<int:group_id>/rejoindre/", views.accept, name="accept"),
    path("<int:group_id>/quitter/", views.leave, name="leave"),
    path("<int:group_id>/charte/", views.charter, name="charter"),
    path("<int:group_id>/charte/accord/", views.charter_agree, name="charter_agree"),
    path(
        "<int:group_id>/rencontres/<int:occurrence_id>/preparer/",
        views.prepare,
        name="prepare",
    ),
]
