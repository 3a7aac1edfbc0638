from django.urls import path

from tisser.www.coordinator import (
    bilans,
    bpf,
    contact_ceilings,
    cpf,
    departures,
    failures,
    identity,
    views,
)

app_name = "coordinator"
urlpatterns = [
    path("", views.home, name="home"),
    path("identite/", identity.identity_edit, name="identity"),
    path("identite/logo/", identity.identity_logo, name="identity_logo"),
    path("envois-en-echec/", failures.failed_deliveries, name="failures"),
    path("bilans/", bilans.bilans_overview, name="bilans"),
    path("bilans/indicateurs.csv", bilans.bilans_overview_csv, name="bilans_csv"),
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
