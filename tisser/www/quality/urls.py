"""The coordinator's Qualiopi pages and the spaces where anyone raises a complaint
(issue #18), under /qualite/."""

from django.urls import path

from tisser.www.quality import disability, indicators

app_name = "quality"
urlpatterns: list = [
    # The indicator map and the organisme's own documents (ADR 0033)
    path("", indicators.indicator_map, name="indicators"),
    path("documents/", indicators.documents, name="documents"),
    path("documents/<int:document_id>/", indicators.document_edit, name="document"),
    path(
        "documents/<int:document_id>/fichier/",
        indicators.document_file,
        name="document_file",
    ),
    path(
        "documents/<int:document_id>/supprimer/",
        indicators.document_delete,
        name="document_delete",
    ),
    # Indicator 26: the référent handicap and counts of adaptations
    path("handicap/", disability.disability, name="disability"),
    path("handicap/chiffres.csv", disability.disability_csv_download, name="disability_csv"),
]
