from django.urls import include, path

app_name = "mentoring"
urlpatterns = [
    path("", include("tisser.www.mentoring.hub_urls")),
    path("", include("tisser.www.mentoring.profiles_urls")),
    path("", include("tisser.www.mentoring.requests_urls")),
    path("coordination/tours/", include("tisser.www.mentoring.rounds_urls")),
    path("", include("tisser.www.mentoring.space_urls")),
]
