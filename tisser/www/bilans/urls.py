from django.urls import path

from tisser.www.bilans import followup_views, session_views, views

app_name = "bilans"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("ouvrir/", views.bilan_open, name="open"),
    path("<int:bilan_id>/", views.detail, name="detail"),
    path("<int:bilan_id>/phase/", views.phase_advance, name="phase_advance"),
    path("<int:bilan_id>/entretiens/", views.sessions_plan, name="sessions_plan"),
    path("<int:bilan_id>/consentement/", views.consent_give, name="consent_give"),
    path("<int:bilan_id>/entretiens/liste/", session_views.sessions, name="sessions"),
    path(
        "<int:bilan_id>/entretiens/<int:occurrence_id>/notes/",
        session_views.session_note,
        name="session_note",
    ),
    path("<int:bilan_id>/entretien-de-suivi/", followup_views.followup, name="followup"),
    path(
        "<int:bilan_id>/entretien-de-suivi/reponse/",
        followup_views.followup_answer,
        name="followup_answer",
    ),
    path(
        "<int:bilan_id>/entretien-de-suivi/notes/",
        followup_views.followup_notes,
        name="followup_notes",
    ),
    path(
        "<int:bilan_id>/satisfaction/<slug:moment>/",
        followup_views.satisfaction_answer,
        name="satisfaction",
    ),
]
