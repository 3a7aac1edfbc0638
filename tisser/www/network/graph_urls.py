"""The network view, gathered into the "network" namespace by `tisser.www.network.urls`."""

from django.urls import path

from tisser.www.network import graph_views

urlpatterns = [
    path("carte/", graph_views.graph, name="graph"),
    path("beneficiaire/<int:user_id>/carte/", graph_views.graph_for, name="graph_for"),
]
