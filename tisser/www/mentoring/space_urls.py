"""The mentorship space and the coordination's health overview (see `space_views`)."""

from django.urls import path

from tisser.www.mentoring import space_views as views

urlpatterns = [
    path("relations/<int:mentorship_id>/", views.mentorship_detail, name="mentorship"),
    path("relations/<int:mentorship_id>/charte/", views.agreement, name="agreement"),
    path(
        "relations/<int:mentorship_id>/charte/signer/",
        views.agreement_sign,
        name="agreement_sign",
    ),
    path("relations/<int:mentorship_id>/objectifs/", views.goal_add, name="goal_add"),
    path("objectifs/<int:goal_id>/", views.goal_edit, name="goal_edit"),
    path("relations/<int:mentorship_id>/nouvelles/", views.update_add, name="update_add"),
    path("relations/<int:mentorship_id>/avis/<str:stage>/", views.feedback, name="feedback"),
    path("relations/<int:mentorship_id>/terminer/", views.close, name="close"),
    path("relations/<int:mentorship_id>/prolonger/", views.extend, name="extend"),
    path("relations/<int:mentorship_id>/pause/", views.pause, name="pause"),
    path("relations/<int:mentorship_id>/reprendre/", views.resume, name="resume"),
    path("coordination/sante/", views.health, name="health"),
]
