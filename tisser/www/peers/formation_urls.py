"""The coordination's peer groups, mounted at /groupes/coordination/: forming groups first
(see `formation_views`), then late joiners and repairs (see `repair_views`)."""

from django.urls import path

from tisser.www.peers import formation_views as views
from tisser.www.peers import promotion_views, repair_views

urlpatterns = [
    path("", views.formations, name="formations"),
    path("formations/nouvelle/", views.formation_create, name="formation_create"),
    path("formations/<int:formation_id>/", views.formation_view, name="formation"),
    path("formations/<int:formation_id>/etat/", views.formation_status, name="formation_status"),
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
    # Promotions: who is in which (ADR 0023)
    path("promotions/", promotion_views.promotions, name="promotions"),
    path("promotions/nouvelle/", promotion_views.promotion_create, name="promotion_create"),
    path("promotions/placer/", promotion_views.promotion_place, name="promotion_place"),
    path(
        "promotions/<int:promotion_id>/renommer/",
        promotion_views.promotion_rename,
        name="promotion_rename",
    ),
    # Late joiners and repairs
    path("arrivees/", repair_views.arrivals, name="arrivals"),
    path(
        "arrivees/<int:profile_id>/placer/",
        repair_views.arrival_place,
        name="arrival_place",
    ),
    path("reajustements/", repair_views.repairs, name="repairs"),
    path(
        "reajustements/<int:group_id>/appliquer/",
        repair_views.repair_apply,
        name="repair_apply",
    ),
    path("groupes/<int:group_id>/terminer/", repair_views.group_end, name="group_end"),
]
