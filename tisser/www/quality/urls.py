"""The coordinator's Qualiopi pages and the spaces where anyone raises a complaint
(issue #18), under /qualite/."""

from django.urls import path  # noqa: F401

app_name = "quality"
urlpatterns: list = []
