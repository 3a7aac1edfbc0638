from django.urls import path

from tisser.www.invitations import views

app_name = "invitations"
urlpatterns = [
    path("", views.invitation_list, name="list"),
    path("<int:invitation_id>/annuler/", views.invitation_revoke_view, name="revoke"),
    path("<int:invitation_id>/renvoyer/", views.invitation_resend_view, name="resend"),
]
