"""What an organisme publishes, reachable without an account (issue #18), under
/organismes/<slug>/."""

from django.urls import path

from tisser.www.quality import public

app_name = "quality_public"
urlpatterns = [
    path("<slug:slug>/reclamation/", public.public_complaint, name="complaint"),
    path("<slug:slug>/reclamation/envoyee/", public.public_complaint_sent, name="complaint_sent"),
]
