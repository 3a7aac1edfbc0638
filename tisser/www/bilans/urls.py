from django.urls import path

from tisser.www.bilans import views

app_name = "bilans"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("ouvrir/", views.bilan_open, name="open"),
    path("<int:bilan_id>/", views.detail, name="detail"),
    path("<int:bilan_id>/phase/", views.phase_advance, name="phase_advance"),
    path("<int:bilan_id>/entretiens/", views.sessions_plan, name="sessions_plan"),
    path("<int:bilan_id>/consentement/", views.consent_give, name="consent_give"),
]
