from django.urls import path

from tisser.www.coordinator import failures, views

app_name = "coordinator"
urlpatterns = [
    path("", views.home, name="home"),
    path("envois-en-echec/", failures.failed_deliveries, name="failures"),
]
