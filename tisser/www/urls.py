from django.urls import include, path

urlpatterns = [
    path("", include("tisser.www.public.urls")),
    path("compte/", include("tisser.www.account.urls")),
    path("metiers/", include("tisser.www.metiers.urls")),
    path("invitations/", include("tisser.www.invitations.urls")),
    path("notifications/", include("tisser.www.notifications.urls")),
    path("rencontres/", include("tisser.www.meetings.urls")),
    path("bilan/isolement/", include("tisser.www.assessments.urls")),
    path("bilan/", include("tisser.www.assessments.inventory_urls")),
    path("bilans/", include("tisser.www.bilans.urls")),
    path("reseau/", include("tisser.www.network.urls")),
    path("mentorat/", include("tisser.www.mentoring.urls")),
    path("groupes/", include("tisser.www.peers.urls")),
    path("beneficiaire/", include("tisser.www.beneficiary.urls")),
    path("conseiller/", include("tisser.www.consultant.urls")),
    path("mentor/", include("tisser.www.mentor.urls")),
    path("coordination/", include("tisser.www.coordinator.urls")),
    path("aide/", include("tisser.www.safety.urls")),
    # Qualiopi (issue #18): the coordinator's evidence, complaints, actions, appraisals…
    path("qualite/", include("tisser.www.quality.urls")),
    # …and what an organisme publishes, reachable without an account.
    path("organismes/", include("tisser.www.quality.public_urls")),
]
