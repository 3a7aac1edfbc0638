"""The coordination's peer groups, mounted at /groupes/coordination/ (see `formation_views`).
Forming groups first; late joiners and repairs after them."""

from django.urls import path

from tisser.www.peers import formation_views as views

urlpatterns = [
    path("", views.formations, name="formations"),
    path("formations/nouvelle/", views.formation_create, name="formation_create"),
    path("formations/<int:formation_id>/", views.formation_view, name="formation"),
    path("formations/<int:formation_id>/deplacer/", views.formation_move, name="formation_move"),
    path(
        "formations/<int:formation_id>/groupes/<int:group_id>/verrou/",
        views.formation_lock,
        name="formation_lock",
    ),
    path("formations/<int:formation_id>/refaire/", views.formation_rerun, name="formation_rerun"),
    path(
        "formations/<int:formation_id>/publier/", views.formation_publish, name="formation_publish"
    ),
    path(
        "formations/<int:formation_id>/abandonner/",
        views.formation_discard,
        name="formation_discard",
    ),
]
