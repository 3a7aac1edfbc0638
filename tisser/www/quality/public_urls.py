"""What an organisme publishes, reachable without an account (issue #18), under
/organismes/<slug>/; and the page an invited employer or funder gives its appraisal from."""

from django.urls import path

from tisser.www.quality import appraisals, public

app_name = "quality_public"
urlpatterns: list = [
    path("<slug:slug>/reclamation/", public.public_complaint, name="complaint"),
    path("<slug:slug>/reclamation/envoyee/", public.public_complaint_sent, name="complaint_sent"),
    path("appreciation/<str:token>/", appraisals.public_appraisal, name="appraisal"),
]
