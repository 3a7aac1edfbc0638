from django.urls import path

from tisser.www.coordinator import bilans, failures, views

app_name = "coordinator"
urlpatterns = [
    path("", views.home, name="home"),
    path("envois-en-echec/", failures.failed_deliveries, name="failures"),
    path("bilans/", bilans.bilans_overview, name="bilans"),
    path("bilans/indicateurs.csv", bilans.bilans_overview_csv, name="bilans_csv"),
]
