"""Mentor profiles, mentee needs and the coordination's mentor pool (namespace "mentoring")."""

from django.urls import path

from tisser.www.mentoring import profiles_views as views

urlpatterns = [
    path("mon-profil-mentor/", views.mentor_profile, name="mentor_profile"),
    path("mon-profil-mentor/envoyer/", views.mentor_profile_submit, name="mentor_profile_submit"),
    path("mon-profil-mentor/pause/", views.mentor_profile_pause, name="mentor_profile_pause"),
    path("mes-besoins/", views.mentee_needs, name="mentee_needs"),
    path("coordination/mentors/", views.pool, name="pool"),
    path("coordination/mentors/<int:profile_id>/", views.pool_profile, name="pool_profile"),
    path(
        "coordination/mentors/<int:profile_id>/relecture/",
        views.pool_profile_review,
        name="pool_profile_review",
    ),
    path("coordination/mentores/", views.mentees, name="mentees"),
    path(
        "coordination/mentores/<int:profile_id>/promotion/",
        views.mentee_cohort,
        name="mentee_cohort",
    ),
    path("coordination/incompatibilites/", views.conflicts, name="conflicts"),
    path(
        "coordination/incompatibilites/<int:conflict_id>/supprimer/",
        views.conflict_delete,
        name="conflict_delete",
    ),
]
