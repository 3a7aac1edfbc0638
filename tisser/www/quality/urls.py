"""The coordinator's Qualiopi pages and the spaces where anyone raises a complaint
(issue #18), under /qualite/."""

from django.urls import path

from tisser.www.quality import disability

app_name = "quality"
urlpatterns: list = [
    # Indicator 26: the référent handicap and counts of adaptations
    path("handicap/", disability.disability, name="disability"),
    path("handicap/chiffres.csv", disability.disability_csv_download, name="disability_csv"),
]
