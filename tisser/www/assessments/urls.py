from django.urls import path

from tisser.www.assessments import views

app_name = "assessments"
urlpatterns = [
    path("", views.isolation_start, name="isolation_start"),
    path("<int:check_id>/", views.isolation_result, name="isolation_result"),
    path("historique/", views.isolation_history, name="isolation_history"),
    path("historique/effacer/", views.isolation_erase, name="isolation_erase"),
    path(
        "historique/<int:user_id>/",
        views.isolation_history_for,
        name="isolation_history_for",
    ),
]
