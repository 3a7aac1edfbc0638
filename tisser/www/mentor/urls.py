from django.urls import path

from tisser.www.mentor import views

app_name = "mentor"
urlpatterns = [path("", views.home, name="home")]
