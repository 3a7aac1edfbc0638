"""The coordinator's Qualiopi pages and the spaces where anyone raises a complaint
(issue #18), under /qualite/."""

from django.urls import path

from tisser.www.quality import exports

app_name = "quality"
urlpatterns: list = [
    path("export/", exports.exports, name="exports"),
    path("export/<int:export_id>/etat/", exports.export_status, name="export_status"),
    path("export/<int:export_id>/archive.zip", exports.export_download, name="export_download"),
]
