from django.urls import include, path

app_name = "peers"
urlpatterns = [
    path("", include("tisser.www.peers.group_urls")),
    path("", include("tisser.www.peers.life_urls")),
    path("coordination/", include("tisser.www.peers.formation_urls")),
]
