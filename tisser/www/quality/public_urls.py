"""What an organisme publishes, reachable without an account (issue #18), under
/organismes/<slug>/."""

from django.urls import path  # noqa: F401

app_name = "quality_public"
urlpatterns: list = []
