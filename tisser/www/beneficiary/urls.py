from django.urls import path

from tisser.www.beneficiary import views

app_name = "beneficiary"
urlpatterns = [path("", views.home, name="home")]
