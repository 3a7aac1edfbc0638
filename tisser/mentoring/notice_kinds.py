"""The notices of mentoring: mentor profiles under review, requests, the mentorship's life."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tisser.notifications import kinds


class MentoringNotice(models.TextChoices):
    MENTOR_PROFILE_SUBMITTED = "mentor_profile_submitted", _("Profil de mentor à valider")
    MENTOR_PROFILE_REVIEWED = "mentor_profile_reviewed", _("Profil de mentor relu")
    MENTORING_REQUEST = "mentoring_request", _("Demande de mentorat reçue")
    MENTORING_REQUEST_REMINDER = "mentoring_request_reminder", _("Demande de mentorat en attente")
    MENTORING_REQUEST_ANSWERED = (
        "mentoring_request_answered",
        _("Réponse à une demande de mentorat"),
    )
    MENTORING_STARTED = "mentoring_started", _("Nouveau mentorat")
    MENTORING_UPDATE = "mentoring_update", _("Nouvelles du mentorat")
    MENTORING_FEEDBACK_DUE = "mentoring_feedback_due", _("Votre avis sur le mentorat")
    MENTORING_INACTIVE = "mentoring_inactive", _("Mentorat sans activité")
    MENTORING_PAUSED = "mentoring_paused", _("Mentorat en pause ou repris")
    MENTORING_ENDED = "mentoring_ended", _("Mentorat terminé")


# The notices that ask their recipient to act on an object; the services that act mark them
# done (`notifications.actions.resolve`, ADR 0024).
ACTION_KINDS = (
    MentoringNotice.MENTOR_PROFILE_SUBMITTED,
    MentoringNotice.MENTORING_REQUEST,
    MentoringNotice.MENTORING_REQUEST_REMINDER,
    MentoringNotice.MENTORING_FEEDBACK_DUE,
)

kinds.register(ACTION_KINDS, action=True)
kinds.register(kind for kind in MentoringNotice if kind not in ACTION_KINDS)
