from django.urls import path

from tisser.www.bilans import followup_views, session_views, synthesis_views, views

app_name = "bilans"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("ouvrir/", views.bilan_open, name="open"),
    path("<int:bilan_id>/", views.detail, name="detail"),
    path("<int:bilan_id>/phase/", views.phase_advance, name="phase_advance"),
    path("<int:bilan_id>/entretiens/", views.sessions_plan, name="sessions_plan"),
    path("<int:bilan_id>/consentement/", views.consent_give, name="consent_give"),
    # Document de synthèse, convention, attestation de présence
    path("<int:bilan_id>/synthese/", synthesis_views.synthesis_edit, name="synthesis_edit"),
    path(
        "<int:bilan_id>/synthese/soumettre/",
        synthesis_views.synthesis_submit,
        name="synthesis_submit",
    ),
    path(
        "<int:bilan_id>/synthese/reprendre/",
        synthesis_views.synthesis_withdraw,
        name="synthesis_withdraw",
    ),
    path("<int:bilan_id>/synthese/pdf/", synthesis_views.synthesis_pdf, name="synthesis_pdf"),
    path(
        "<int:bilan_id>/synthese/pdf/etat/",
        synthesis_views.synthesis_pdf_status,
        name="synthesis_pdf_status",
    ),
    path("<int:bilan_id>/ma-synthese/", synthesis_views.synthesis_mine, name="synthesis_mine"),
    path(
        "<int:bilan_id>/ma-synthese/renvoyer/",
        synthesis_views.synthesis_return,
        name="synthesis_return",
    ),
    path(
        "<int:bilan_id>/ma-synthese/valider/",
        synthesis_views.synthesis_validate,
        name="synthesis_validate",
    ),
    path(
        "<int:bilan_id>/ma-synthese/partages/",
        synthesis_views.synthesis_share_create,
        name="synthesis_share_create",
    ),
    path(
        "partages/<int:share_id>/retirer/",
        synthesis_views.synthesis_share_revoke,
        name="synthesis_share_revoke",
    ),
    path(
        "synthese-partagee/<str:token>/",
        synthesis_views.synthesis_shared,
        name="synthesis_shared",
    ),
    path(
        "synthese-partagee/<str:token>/pdf/",
        synthesis_views.synthesis_shared_pdf,
        name="synthesis_shared_pdf",
    ),
    path("<int:bilan_id>/convention/", synthesis_views.convention_edit, name="convention_edit"),
    path("<int:bilan_id>/convention/pdf/", synthesis_views.convention_pdf, name="convention_pdf"),
    path(
        "<int:bilan_id>/attestation-de-presence/",
        synthesis_views.attestation_pdf,
        name="attestation_pdf",
    ),
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
