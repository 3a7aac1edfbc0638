from django.urls import path

from tisser.www.bilans import investigation_views as tools
from tisser.www.bilans import views

app_name = "bilans"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("ouvrir/", views.bilan_open, name="open"),
    path("<int:bilan_id>/", views.detail, name="detail"),
    path("<int:bilan_id>/phase/", views.phase_advance, name="phase_advance"),
    path("<int:bilan_id>/entretiens/", views.sessions_plan, name="sessions_plan"),
    path("<int:bilan_id>/consentement/", views.consent_give, name="consent_give"),
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
