from django.urls import path

from tisser.www.bilans import exploration_views as exploration
from tisser.www.bilans import project_views as projects
from tisser.www.bilans import views

app_name = "bilans"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("ouvrir/", views.bilan_open, name="open"),
    path("<int:bilan_id>/", views.detail, name="detail"),
    path("<int:bilan_id>/phase/", views.phase_advance, name="phase_advance"),
    path("<int:bilan_id>/entretiens/", views.sessions_plan, name="sessions_plan"),
    path("<int:bilan_id>/consentement/", views.consent_give, name="consent_give"),
    # Exploration: pistes de métiers, gap analysis, shortlist
    path("<int:bilan_id>/pistes/", exploration.pistes, name="pistes"),
    path("<int:bilan_id>/pistes/chercher/", exploration.gap_search, name="gap_search"),
    path("<int:bilan_id>/pistes/<str:code_rome>/", exploration.gap, name="gap"),
    path(
        "<int:bilan_id>/pistes/<str:code_rome>/retenir/",
        exploration.fiche_shortlist,
        name="fiche_shortlist",
    ),
    path(
        "<int:bilan_id>/pistes/<str:code_rome>/ecarter/",
        exploration.fiche_dismiss,
        name="fiche_dismiss",
    ),
    path(
        "<int:bilan_id>/pistes/<str:code_rome>/reproposer/",
        exploration.fiche_restore,
        name="fiche_restore",
    ),
    path("ecart/<str:code_rome>/", exploration.gap_mine, name="gap_mine"),
    path("<int:bilan_id>/selection/", exploration.shortlist, name="shortlist"),
    path(
        "<int:bilan_id>/selection/<int:entry_id>/",
        exploration.shortlist_update,
        name="shortlist_update",
    ),
    path(
        "<int:bilan_id>/selection/<int:entry_id>/retirer/",
        exploration.shortlist_remove,
        name="shortlist_remove",
    ),
    # Projects
    path("<int:bilan_id>/projets/", projects.projects, name="projects"),
    path("<int:bilan_id>/projets/nouveau/", projects.project_create, name="project_create"),
    path("<int:bilan_id>/projets/<int:project_id>/", projects.project_detail, name="project"),
    path(
        "<int:bilan_id>/projets/<int:project_id>/modifier/",
        projects.project_update,
        name="project_update",
    ),
    path(
        "<int:bilan_id>/projets/<int:project_id>/supprimer/",
        projects.project_delete,
        name="project_delete",
    ),
    path(
        "<int:bilan_id>/projets/<int:project_id>/privilegier/",
        projects.project_prefer,
        name="project_prefer",
    ),
    path(
        "<int:bilan_id>/projets/<int:project_id>/faisabilite/<int:check_id>/",
        projects.check_update,
        name="project_check_update",
    ),
    path(
        "<int:bilan_id>/projets/<int:project_id>/etapes/",
        projects.step_add,
        name="project_step_add",
    ),
    path(
        "<int:bilan_id>/projets/<int:project_id>/etapes/<int:step_id>/",
        projects.step_update,
        name="project_step_update",
    ),
    path(
        "<int:bilan_id>/projets/<int:project_id>/etapes/<int:step_id>/fait/",
        projects.step_complete,
        name="project_step_complete",
    ),
    path(
        "<int:bilan_id>/projets/<int:project_id>/etapes/<int:step_id>/supprimer/",
        projects.step_remove,
        name="project_step_remove",
    ),
]
