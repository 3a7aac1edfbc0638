from django.urls import path

from tisser.www.metiers import views

app_name = "metiers"
urlpatterns = [
    path("", views.search, name="search"),
    path("<str:code_rome>/", views.fiche, name="fiche"),
]
