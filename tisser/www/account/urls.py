from django.urls import path

from tisser.www.account import views

app_name = "account"
urlpatterns = [
    path("profil/", views.profile, name="profile"),
    path("mes-donnees.json", views.data_export, name="data_export"),
    path("effacer-mon-reseau/", views.network_erase, name="network_erase"),
]
