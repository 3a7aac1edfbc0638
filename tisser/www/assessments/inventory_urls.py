from django.urls import path

from tisser.www.assessments import inventory_views as views

app_name = "inventories"
urlpatterns = [
    path("interets/", views.interests, name="interests"),
    path("interets/repondre/", views.interests_take, name="interests_take"),
    path("interets/<int:response_id>/", views.interests_result, name="interests_result"),
    path("interets/beneficiaire/<int:user_id>/", views.interests_for, name="interests_for"),
    path("valeurs/", views.values_mine, name="values"),
    path("valeurs/repondre/", views.values_take, name="values_take"),
    path("valeurs/<int:response_id>/", views.values_result, name="values_result"),
    path("valeurs/beneficiaire/<int:user_id>/", views.values_for, name="values_for"),
]
