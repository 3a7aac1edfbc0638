from django.urls import path

from tisser.www.coordinator import views

app_name = "coordinator"
urlpatterns = [path("", views.home, name="home")]
