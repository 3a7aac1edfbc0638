from django.urls import path

from tisser.www.coordinator import bilans, contact_ceilings, failures, identity, views

app_name = "coordinator"
urlpatterns = [
    path("", views.home, name="home"),
    path("identite/", identity.identity_edit, name="identity"),
    path("identite/logo/", identity.identity_logo, name="identity_logo"),
    path("envois-en-echec/", failures.failed_deliveries, name="failures"),
    path("bilans/", bilans.bilans_overview, name="bilans"),
    path("bilans/indicateurs.csv", bilans.bilans_overview_csv, name="bilans_csv"),
    path("plafonds-de-contacts/", contact_ceilings.contact_ceilings, name="contact_ceilings"),
    path(
        "plafonds-de-contacts/<int:membership_id>/",
        contact_ceilings.contact_ceiling_edit,
        name="contact_ceiling",
    ),
]
