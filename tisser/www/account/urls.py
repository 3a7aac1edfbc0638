from django.urls import path

from tisser.www.account import views

app_name = "account"
urlpatterns = [path("profil/", views.profile, name="profile")]
