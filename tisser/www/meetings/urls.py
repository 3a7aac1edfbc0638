from django.urls import path

from tisser.www.meetings import feed, views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("series/nouvelle/", views.series_create, name="series_create"),
    path("series/<int:series_id>/", views.series_detail, name="series"),
    path("series/<int:series_id>/calendrier.ics", views.series_ics, name="series_ics"),
    path("series/<int:series_id>/terminer/", views.series_end, name="series_end"),
    path("<int:occurrence_id>/", views.occurrence_detail, name="occurrence"),
    path("<int:occurrence_id>/rencontre.ics", views.occurrence_ics, name="occurrence_ics"),
    path("<int:occurrence_id>/deplacer/", views.occurrence_move, name="occurrence_move"),
    path("<int:occurrence_id>/annuler/", views.occurrence_cancel, name="occurrence_cancel"),
    path("<int:occurrence_id>/ordre-du-jour/", views.agenda_add, name="agenda_add"),
    path("ordre-du-jour/<int:item_id>/deplacer/", views.agenda_move, name="agenda_move"),
    path("ordre-du-jour/<int:item_id>/supprimer/", views.agenda_delete, name="agenda_delete"),
    path("<int:occurrence_id>/compte-rendu/", views.notes_save, name="notes_save"),
    path("<int:occurrence_id>/actions/", views.action_add, name="action_add"),
    path("actions/<int:action_id>/", views.action_toggle, name="action_toggle"),
    path("<int:occurrence_id>/presences/", views.attendance_record, name="attendance"),
    path("<int:occurrence_id>/emargement/", views.attendance_confirm, name="attendance_confirm"),
    path("calendrier/", feed.feed_manage, name="feed"),
    path("calendrier/<str:token>.ics", feed.feed_ics, name="feed_ics"),
]
