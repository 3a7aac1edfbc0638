"""The coordinator's Qualiopi pages and the spaces where anyone raises a complaint
(issue #18), under /qualite/."""

from django.urls import path

from tisser.www.quality import publication

app_name = "quality"
urlpatterns: list = [
    path("publication/", publication.publication, name="publication"),
    path("publication/publier/", publication.publication_publish, name="publication_publish"),
    path(
        "publication/apercu/<str:page>/",
        publication.publication_preview,
        name="publication_preview",
    ),
]
