"""What an organisme publishes, reachable without an account (issue #18), under
/organismes/<slug>/; and the page an invited employer or funder gives its appraisal from."""

from django.urls import path

from tisser.www.quality import appraisals, public_complaints, public_pages

app_name = "quality_public"
urlpatterns: list = [
    path("<slug:slug>/reclamation/", public_complaints.public_complaint, name="complaint"),
    path(
        "<slug:slug>/reclamation/envoyee/",
        public_complaints.public_complaint_sent,
        name="complaint_sent",
    ),
    path("appreciation/<str:token>/", appraisals.public_appraisal, name="appraisal"),
    path("<slug:slug>/offre/", public_pages.offer, name="offer"),
    path("<slug:slug>/resultats/", public_pages.results, name="results"),
]
