from django.urls import path

from tisser.www.safety import views

app_name = "safety"
urlpatterns = [
    path("", views.help_page, name="help"),
    path("ma-situation/", views.situation, name="situation"),
    path("demandes/<int:concern_id>/", views.concern, name="concern"),
    path("demandes/<int:concern_id>/retirer/", views.concern_withdraw, name="concern_withdraw"),
]
