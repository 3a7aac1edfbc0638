from django.urls import path

from tisser.www.public import views

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("donnees-personnelles/", views.privacy, name="privacy"),
]
