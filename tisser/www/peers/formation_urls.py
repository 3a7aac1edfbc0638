"""The coordination's peer groups, under /groupes/coordination/."""

from django.urls import path

from tisser.www.peers import repair_views

urlpatterns = [
    # Late joiners and repairs (see `repair_views`)
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
