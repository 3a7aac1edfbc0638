from django.urls import path

from tisser.www.coordinator import (
    bilan_list,
    bilans,
    bpf,
    contact_ceilings,
    cpf,
    departures,
    failures,
    identity,
    outcomes,
    suggestions,
    views,
)

app_name = "coordinator"
urlpatterns = [
    path("", views.home, name="home"),
    path("identite/", identity.identity_edit, name="identity"),
    path("identite/logo/", identity.identity_logo, name="identity_logo"),
    path("envois-en-echec/", failures.failed_deliveries, name="failures"),
    path("bilans/", bilans.bilans_overview, name="bilans"),
    # The programme's outcomes: the closed loop and the activity, for a period (issue #17)
    path("resultats/", outcomes.outcomes, name="outcomes"),
    path("resultats.csv", outcomes.outcomes_csv, name="outcomes_csv"),
    # What people keep of the compétences suggested for their réussites (ADR 0040)
    path("suggestions/", suggestions.suggestions, name="suggestions"),
    path("suggestions.csv", suggestions.suggestions_csv, name="suggestions_csv"),
    path("bilans/indicateurs.csv", bilans.bilans_overview_csv, name="bilans_csv"),
    # The organisme's bilans one by one, their hand-over, the consultants of record (ADR 0021)
    path("bilans/liste/", bilan_list.bilan_list_view, name="bilan_list"),
    path("bilans/<int:bilan_id>/", bilan_list.bilan_manage, name="bilan"),
    path("bilans/<int:bilan_id>/confier/", bilan_list.bilan_hand_over, name="bilan_hand_over"),
    path("beneficiaires/", bilan_list.beneficiaries, name="beneficiaries"),
    path(
        "beneficiaires/<int:membership_id>/consultant/",
        bilan_list.beneficiary_consultant,
        name="beneficiary_consultant",
    ),
    path("cpf/", cpf.cpf_dossiers, name="cpf"),
    path("cpf/service-fait/", cpf.service_fait, name="cpf_service_fait"),
    path("cpf/service-fait.csv", cpf.service_fait_csv, name="cpf_service_fait_csv"),
    path("cpf/<int:bilan_id>/", cpf.cpf_dossier, name="cpf_dossier"),
    path("bpf/", bpf.bpf, name="bpf"),
    path("bpf.csv", bpf.bpf_csv, name="bpf_csv"),
    path("plafonds-de-contacts/", contact_ceilings.contact_ceilings, name="contact_ceilings"),
    path(
        "plafonds-de-contacts/<int:membership_id>/",
        contact_ceilings.contact_ceiling_edit,
        name="contact_ceiling",
    ),
    path("departs/", departures.departures, name="departures"),
    path(
        "departs/<int:membership_id>/effacer/",
        departures.departure_erase,
        name="departure_erase",
    ),
]
