from django.urls import path

from tisser.www.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:notification_id>/lu/", views.notification_read, name="read"),
    path("tout-lu/", views.notification_read_all, name="read_all"),
    path("badge/", views.badge, name="badge"),
    path("preferences/", views.preferences, name="preferences"),
]
