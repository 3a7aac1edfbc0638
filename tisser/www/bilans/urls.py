from django.urls import path

from tisser.www.bilans import (
    adaptation_views,
    cpf_views,
    emargement_views,
    end_views,
    final_views,
    followup_views,
    paperwork_views,
    session_views,
    synthesis_views,
    views,
)
from tisser.www.bilans import exploration_views as exploration
from tisser.www.bilans import investigation_views as tools
from tisser.www.bilans import project_views as projects

app_name = "bilans"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("ouvrir/", views.bilan_open, name="open"),
    path("<int:bilan_id>/", views.detail, name="detail"),
    path("<int:bilan_id>/phase/", views.phase_advance, name="phase_advance"),
    path("<int:bilan_id>/entretiens/", views.sessions_plan, name="sessions_plan"),
    path("<int:bilan_id>/consentement/", views.consent_give, name="consent_give"),
    # How a bilan ends; its preliminary record
    path("<int:bilan_id>/terminer/", end_views.bilan_end, name="end"),
    path(
        "<int:bilan_id>/entretiens/annuler-a-venir/",
        end_views.sessions_cancel_future,
        name="sessions_cancel_future",
    ),
    path(
        "<int:bilan_id>/retirer-mon-consentement/",
        end_views.consent_withdraw,
        name="consent_withdraw",
    ),
    # A need for adaptation and the adaptations made (indicator 26)
    path("<int:bilan_id>/amenagements/", adaptation_views.adaptation, name="adaptation"),
    path(
        "<int:bilan_id>/amenagements/ajouter/",
        adaptation_views.adaptation_measure_add,
        name="adaptation_measure_add",
    ),
    path(
        "<int:bilan_id>/amenagements/retirer-un-amenagement/",
        adaptation_views.adaptation_measure_delete,
        name="adaptation_measure_delete",
    ),
    path(
        "<int:bilan_id>/amenagements/retirer/",
        adaptation_views.adaptation_withdraw,
        name="adaptation_withdraw",
    ),
    path("<int:bilan_id>/preliminaire/", end_views.preliminary_edit, name="preliminary_edit"),
    path(
        "<int:bilan_id>/mon-cadre-de-bilan/",
        end_views.preliminary_mine,
        name="preliminary_mine",
    ),
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
        "<int:bilan_id>/ma-synthese/observations/",
        synthesis_views.synthesis_observations,
        name="synthesis_observations",
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
    # Funding and its paperwork: convention (R6313-8), self-funded contract (L6353-3..7)
    path("<int:bilan_id>/financement/", paperwork_views.funding_edit, name="funding_edit"),
    path("<int:bilan_id>/convention/", paperwork_views.convention_edit, name="convention_edit"),
    path(
        "<int:bilan_id>/convention/signatures/",
        paperwork_views.convention_signatures,
        name="convention_signatures",
    ),
    path(
        "<int:bilan_id>/convention/accepter/",
        paperwork_views.convention_accept,
        name="convention_accept",
    ),
    path("<int:bilan_id>/convention/pdf/", paperwork_views.convention_pdf, name="convention_pdf"),
    path("<int:bilan_id>/contrat/", paperwork_views.contract_edit, name="contract_edit"),
    path(
        "<int:bilan_id>/contrat/signatures/",
        paperwork_views.contract_signatures,
        name="contract_signatures",
    ),
    path(
        "<int:bilan_id>/contrat/signer/",
        paperwork_views.contract_accept,
        name="contract_accept",
    ),
    path("<int:bilan_id>/contrat/pdf/", paperwork_views.contract_pdf, name="contract_pdf"),
    path("<int:bilan_id>/dossier-cpf/", cpf_views.cpf_dossier, name="cpf_dossier"),
    # The end of the bilan: final download, agreement to keep documents (R6313-7)
    path("<int:bilan_id>/fin-du-bilan/", final_views.final_download, name="final_download"),
    path(
        "<int:bilan_id>/fin-du-bilan/resultats-detailles.pdf",
        final_views.results_pdf,
        name="results_pdf",
    ),
    path(
        "<int:bilan_id>/fin-du-bilan/accords/<int:agreement_id>/retirer/",
        final_views.keep_agreement_withdraw,
        name="keep_agreement_withdraw",
    ),
    path(
        "<int:bilan_id>/attestation-de-presence/",
        synthesis_views.attestation_pdf,
        name="attestation_pdf",
    ),
    path("<int:bilan_id>/entretiens/liste/", session_views.sessions, name="sessions"),
    path(
        "<int:bilan_id>/feuille-d-emargement/",
        emargement_views.emargement,
        name="emargement_pdf",
    ),
    path(
        "<int:bilan_id>/entretiens/<int:occurrence_id>/confirmer/",
        emargement_views.entretien_confirm,
        name="entretien_confirm",
    ),
    path(
        "<int:bilan_id>/entretiens/non-planifie/",
        emargement_views.entretien_unplanned,
        name="entretien_unplanned",
    ),
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
