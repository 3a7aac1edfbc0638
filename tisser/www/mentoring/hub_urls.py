from django.urls import path

from tisser.www.mentoring import hub_views

urlpatterns = [path("", hub_views.home, name="home")]
