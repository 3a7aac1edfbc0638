"""A person who leaves (ADR 0019): their mentor profile or needs, the requests they sent or
received, the conflicts declared about them, the matching proposals made for them, and the
mentorships they took part in with everything written in them and their meetings. The other
member loses that shared space too: a mentorship cannot be kept with one of its two people
erased, and the person who left is told nothing."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tisser.core.departure_counts import Going, add_deleted
from tisser.core.personal_data import register_departure, register_departure_goings
from tisser.meetings.models import MeetingSeries
from tisser.mentoring.models import (
    DeclaredConflict,
    MenteeProfile,
    MentorProfile,
    Mentorship,
    MentorshipRequest,
    RoundProposal,
)


@register_departure(
    "mentoring",
    label=_(
        "Le mentorat : profil de mentor ou souhaits de mentorat, demandes, mentorats avec leur "
        "charte, objectifs, nouvelles, avis et rencontres"
    ),
    covers=(
        "mentoring.MentorProfile",
        "mentoring.MenteeProfile",
        "mentoring.MentorshipRequest",
        "mentoring.Mentorship",
        "mentoring.Agreement",
        "mentoring.Goal",
        "mentoring.ProgressUpdate",
        "mentoring.Feedback",
        "mentoring.DeclaredConflict",
        "mentoring.RoundProposal",
    ),
)
def mentoring_departure(*, user) -> dict[str, int]:
    counts: dict[str, int] = {}
    mentorships = Mentorship.objects.filter(Q(mentee=user) | Q(mentor__user=user))
    series_ids = list(mentorships.exclude(series=None).values_list("series_id", flat=True))
    add_deleted(counts, mentorships.delete())
    add_deleted(counts, MeetingSeries.objects.filter(pk__in=series_ids).delete())
    add_deleted(
        counts, MentorshipRequest.objects.filter(Q(mentee=user) | Q(mentor__user=user)).delete()
    )
    add_deleted(
        counts, DeclaredConflict.objects.filter(Q(mentee=user) | Q(mentor__user=user)).delete()
    )
    add_deleted(counts, RoundProposal.objects.filter(mentee=user).delete())
    add_deleted(counts, MenteeProfile.objects.filter(user=user).delete())
    add_deleted(counts, MentorProfile.objects.filter(user=user).delete())
    return counts


@register_departure_goings("mentoring")
def mentoring_goings(*, user) -> list[Going]:
    mentorships = Mentorship.objects.filter(Q(mentee=user) | Q(mentor__user=user))
    return [
        Going(mentorships),
        Going(
            MeetingSeries.objects.filter(
                pk__in=mentorships.exclude(series=None).values("series_id")
            )
        ),
        Going(MentorshipRequest.objects.filter(Q(mentee=user) | Q(mentor__user=user))),
        Going(DeclaredConflict.objects.filter(Q(mentee=user) | Q(mentor__user=user))),
        Going(RoundProposal.objects.filter(mentee=user)),
        Going(MenteeProfile.objects.filter(user=user)),
        Going(MentorProfile.objects.filter(user=user)),
    ]
