from django.urls import path

from tisser.www.consultant import views

app_name = "consultant"
urlpatterns = [
    path("", views.home, name="home"),
    path("beneficiaires/<int:user_id>/parcours/", views.story, name="story"),
]
