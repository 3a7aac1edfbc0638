"""The coordinator's Qualiopi pages and the spaces where anyone raises a complaint
(issue #18), under /qualite/."""

from django.urls import path

from tisser.www.quality import complaints, improvements

app_name = "quality"
urlpatterns = [
    path("signaler/", complaints.complaint_raise, name="complaint_raise"),
    path("signaler/<int:complaint_id>/", complaints.my_complaint, name="my_complaint"),
    path("reclamations/", complaints.complaint_list, name="complaints"),
    path("reclamations/<int:complaint_id>/", complaints.complaint_detail, name="complaint"),
    path("actions/", improvements.action_list, name="actions"),
    path("actions/nouvelle/", improvements.action_create, name="action_new"),
    path("actions/<int:action_id>/", improvements.action_edit, name="action"),
]
