"""What an organisme publishes, reachable without an account (issue #18), under
/organismes/<slug>/."""

from django.urls import path

from tisser.www.quality import public

app_name = "quality_public"
urlpatterns: list = [
    path("<slug:slug>/offre/", public.offer, name="offer"),
    path("<slug:slug>/resultats/", public.results, name="results"),
]
