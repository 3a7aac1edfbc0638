from django.urls import path

from tisser.www.bilans import followup_views, session_views, synthesis_views, views
from tisser.www.bilans import investigation_views as tools

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
    # Investigation tools: the beneficiary edits, their consultant reads
    path("<int:bilan_id>/parcours/", tools.parcours, name="parcours"),
    path(
        "<int:bilan_id>/parcours/<int:experience_id>/",
        tools.experience_edit,
        name="experience_edit",
    ),
    path(
        "<int:bilan_id>/parcours/<int:experience_id>/supprimer/",
        tools.experience_delete,
        name="experience_delete",
    ),
    path(
        "<int:bilan_id>/parcours/<int:experience_id>/fiches/ajouter/",
        tools.experience_fiche_add,
        name="experience_fiche_add",
    ),
    path(
        "<int:bilan_id>/parcours/<int:experience_id>/fiches/retirer/",
        tools.experience_fiche_remove,
        name="experience_fiche_remove",
    ),
    path("<int:bilan_id>/reussites/", tools.achievements, name="achievements"),
    path(
        "<int:bilan_id>/reussites/<int:achievement_id>/",
        tools.achievement_edit,
        name="achievement_edit",
    ),
    path(
        "<int:bilan_id>/reussites/<int:achievement_id>/supprimer/",
        tools.achievement_delete,
        name="achievement_delete",
    ),
    path(
        "<int:bilan_id>/suggestions/<int:suggestion_id>/accepter/",
        tools.suggestion_accept,
        name="suggestion_accept",
    ),
    path(
        "<int:bilan_id>/suggestions/<int:suggestion_id>/ecarter/",
        tools.suggestion_reject,
        name="suggestion_reject",
    ),
    path("<int:bilan_id>/portefeuille/", tools.portfolio, name="portfolio"),
    path("<int:bilan_id>/portefeuille/ajouter/", tools.portfolio_add, name="portfolio_add"),
    path(
        "<int:bilan_id>/portefeuille/<int:item_id>/",
        tools.portfolio_item_edit,
        name="portfolio_item_edit",
    ),
    path(
        "<int:bilan_id>/portefeuille/<int:item_id>/retirer/",
        tools.portfolio_item_remove,
        name="portfolio_item_remove",
    ),
    path(
        "<int:bilan_id>/besoins-et-aspirations/",
        tools.aspirations,
        name="aspirations",
    ),
]
