"""Issue 15, mentoring fixes (ADR 0025): pausing and resuming a mentorship with its meetings,
the coordination told when a member ends one, and a capacity that cannot silently drop under
the current mentees — with one computation of the places."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from tests.factories import member
from tests.mentoring.helpers import mentor_profile
from tests.mentoring.space_rows import signed, start
from tisser.core.enums import Role
from tisser.core.models import AuditEvent
from tisser.meetings import services as meetings
from tisser.meetings.models import Occurrence
from tisser.meetings.tasks import meetings_plan_ahead
from tisser.mentoring import services
from tisser.mentoring.health import health_rows
from tisser.mentoring.models import Mentorship
from tisser.mentoring.notice_kinds import MentoringNotice
from tisser.mentoring.overview import organisation_figures
from tisser.mentoring.places import mentor_places, organisation_places
from tisser.mentoring.services.profiles import MentorProfileData
from tisser.notifications.models import Notification


def _ahead(mentorship, status=Occurrence.Status.SCHEDULED):
    return mentorship.series.occurrences.filter(start__gt=timezone.now(), status=status)


# -- pause and resume ---------------------------------------------------------------------------


def test_a_pause_cancels_the_meetings_ahead_tells_the_other_and_keeps_the_place(organisation):
    mentorship = signed(organisation)
    planned = _ahead(mentorship).count()
    room = services.mentor_room(mentorship.mentor)
    assert planned >= 1

    paused, cancelled = services.mentorship_pause(
        actor=mentorship.mentor.user,
        mentorship=mentorship,
        reason="Déménagement ce mois-ci",
        expected_version=mentorship.version,
    )

    assert cancelled == planned
    assert paused.is_paused and paused.status == Mentorship.Status.ACTIVE
    assert not _ahead(mentorship).exists()
    assert services.mentor_room(mentorship.mentor) == room  # the place stays held
    told = Notification.objects.get(
        kind=MentoringNotice.MENTORING_PAUSED, recipient=mentorship.mentee, channel="in_app"
    )
    assert mentorship.mentor.user.get_full_name() in told.subject
    assert "Déménagement ce mois-ci" in told.body
    assert "annulée" in told.body
    assert not Notification.objects.filter(
        kind=MentoringNotice.MENTORING_PAUSED, recipient=mentorship.mentor.user
    ).exists()
    row = next(r for r in health_rows(organisation) if r.mentorship.pk == mentorship.pk)
    assert row.status_label == "En pause" and not row.inactive
    assert organisation_figures(organisation).paused_mentorships == 1
    assert AuditEvent.objects.filter(action="mentoring.mentorship_pause").exists()


def test_no_meeting_is_planned_during_a_pause_and_resuming_keeps_the_rhythm(organisation):
    mentorship = signed(organisation)
    slots = list(_ahead(mentorship).values_list("original_start", flat=True))
    services.mentorship_pause(
        actor=mentorship.mentee, mentorship=mentorship, reason="", expected_version=1
    )
    mentorship.refresh_from_db()

    # The daily planning runs during the pause: nothing new comes.
    with freeze_time(timezone.now() + timedelta(days=40)):
        meetings_plan_ahead.call()
    assert not _ahead(mentorship).exists()

    resumed, next_start = services.mentorship_resume(
        actor=mentorship.mentor.user, mentorship=mentorship, expected_version=mentorship.version
    )

    assert not resumed.is_paused
    again = list(_ahead(mentorship).values_list("original_start", flat=True))
    assert again[: len(slots)] == slots  # the same slots, the same rhythm
    assert next_start == slots[0]
    told = Notification.objects.get(
        kind=MentoringNotice.MENTORING_PAUSED, recipient=mentorship.mentee, channel="in_app"
    )
    assert "relance" in told.subject


def test_a_meeting_cancelled_on_its_own_before_the_pause_stays_cancelled(organisation):
    mentorship = signed(organisation)
    first = _ahead(mentorship).order_by("start").first()
    meetings.occurrence_cancel(actor=mentorship.mentor.user, occurrence=first)
    services.mentorship_pause(
        actor=mentorship.mentee, mentorship=mentorship, reason="", expected_version=1
    )
    mentorship.refresh_from_db()

    services.mentorship_resume(
        actor=mentorship.mentee, mentorship=mentorship, expected_version=mentorship.version
    )

    first.refresh_from_db()
    assert first.status == Occurrence.Status.CANCELLED


def test_pause_and_resume_use_the_mentorship_version_and_refuse_twice(organisation):
    mentorship = start(organisation)
    services.mentorship_pause(
        actor=mentorship.mentee, mentorship=mentorship, reason="", expected_version=1
    )

    with pytest.raises(services.StaleVersion):
        services.mentorship_resume(
            actor=mentorship.mentor.user, mentorship=mentorship, expected_version=1
        )
    with pytest.raises(ValidationError):
        services.mentorship_pause(
            actor=mentorship.mentee, mentorship=mentorship, reason="", expected_version=2
        )
    mentorship.refresh_from_db()
    assert mentorship.is_paused


def test_messages_still_go_during_a_pause(organisation):
    mentorship = start(organisation)
    services.mentorship_pause(
        actor=mentorship.mentee, mentorship=mentorship, reason="", expected_version=1
    )

    services.progress_update_post(
        actor=mentorship.mentor.user,
        mentorship=mentorship,
        kind="encouragement",
        text="Je pense à vous.",
    )

    assert Notification.objects.filter(
        kind=MentoringNotice.MENTORING_UPDATE, subject__contains="vous encourage"
    ).exists()


# -- ending tells the coordination --------------------------------------------------------------


def test_a_mentor_ending_alone_tells_the_coordination_by_name(organisation, people):
    mentorship = start(organisation)

    services.mentorship_close(
        actor=mentorship.mentor.user,
        mentorship=mentorship,
        summary="La personne a trouvé sa voie.",
        expected_version=1,
    )

    told = Notification.objects.get(kind=MentoringNotice.MENTORING_ENDED)
    assert told.recipient == people["coordinator"]
    assert mentorship.mentee.get_full_name() in told.subject
    assert mentorship.mentor.user.get_full_name() in told.subject
    assert mentorship.mentor.user.get_full_name() in told.body
    assert "trouvé sa voie" not in told.body  # management data only
    entry = AuditEvent.objects.get(action="mentoring.mentorship_close")
    assert entry.data["coordinators_told"] == 1


# -- capacity -----------------------------------------------------------------------------------


def _data(profile, **changes) -> MentorProfileData:
    fields = {
        "headline": profile.headline,
        "career_path": profile.career_path,
        "motivation": profile.motivation,
        "help_offered": profile.help_offered,
        "capacity": profile.capacity,
        "availability": profile.availability,
        "languages": profile.languages,
        "mode": "remote",
    }
    fields.update(changes)
    return MentorProfileData(**fields)


def test_capacity_under_the_current_mentees_needs_the_mentors_word(organisation):
    profile = mentor_profile(organisation, capacity=3)
    for _ in range(2):
        start(organisation, mentor=profile)
    profile.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        services.mentor_profile_save(
            user=profile.user,
            organisation=organisation,
            data=_data(profile, capacity=1),
            expected_version=profile.version,
        )
    assert "Vous accompagnez en ce moment 2 personnes" in str(refused.value)
    profile.refresh_from_db()
    assert profile.capacity == 3

    saved = services.mentor_profile_save(
        user=profile.user,
        organisation=organisation,
        data=_data(profile, capacity=1, capacity_acknowledged=True),
        expected_version=profile.version,
    )
    assert saved.capacity == 1
    assert mentor_places(saved) == mentor_places(saved).of(1, 2)
    assert (mentor_places(saved).free, mentor_places(saved).over) == (0, 1)
    assert services.mentor_room(saved) == 0
    # Saving other fields later does not ask again.
    again = services.mentor_profile_save(
        user=profile.user,
        organisation=organisation,
        data=_data(saved, headline="Menuisière"),
        expected_version=saved.version,
    )
    assert again.headline == "Menuisière"


def test_the_hub_and_the_pool_show_the_same_places(client, organisation, people):
    over = mentor_profile(organisation, capacity=2)
    for _ in range(2):
        start(organisation, mentor=over)
    over.capacity = 1
    over.save()
    mentor_profile(organisation, capacity=3)
    client.force_login(people["coordinator"])

    places = organisation_places(organisation)
    pool = client.get(reverse("mentoring:pool")).context["totals"]
    figures = organisation_figures(organisation)

    assert (places.capacity, places.current, places.free, places.over) == (4, 2, 3, 1)
    assert pool == places == figures.capacity
    hub = " ".join(client.get(reverse("mentoring:home")).content.decode().split())
    assert "3 places libres" in hub and "1 mentorat au-delà de la capacité" in hub


def test_the_profile_form_asks_for_the_acknowledgement_and_keeps_what_was_typed(
    client, organisation
):
    profile = mentor_profile(organisation, capacity=2)
    for _ in range(2):
        start(organisation, mentor=profile)
    client.force_login(profile.user)
    form = client.get(reverse("mentoring:mentor_profile")).context["form"]
    data = {k: v for k, v in form.initial.items() if v not in (None, [])}
    data |= {"capacity": "1", "headline": "Nouveau titre", "mode": "remote"}

    refused = client.post(reverse("mentoring:mentor_profile"), data)
    page = refused.content.decode()

    assert refused.status_code == 400
    assert "Vous accompagnez en ce moment 2 personnes" in page
    assert 'name="capacity_acknowledged"' in page
    assert "Nouveau titre" in page
    accepted = client.post(
        reverse("mentoring:mentor_profile"), data | {"capacity_acknowledged": "on"}
    )
    assert accepted.status_code == 302
    profile.refresh_from_db()
    assert profile.capacity == 1


def test_a_second_mentor_of_another_role_cannot_pause(client, organisation):
    mentorship = start(organisation)
    other = member(Role.MENTOR, organisation)
    client.force_login(other)

    answer = client.post(reverse("mentoring:pause", args=[mentorship.pk]), {"pause-version": 1})

    assert answer.status_code == 404
    mentorship.refresh_from_db()
    assert not mentorship.is_paused


def test_the_space_pauses_and_resumes_and_a_stale_page_is_told(client, organisation):
    mentorship = signed(organisation)
    client.force_login(mentorship.mentee)
    space = reverse("mentoring:mentorship", args=[mentorship.pk])

    asked = client.post(
        reverse("mentoring:pause", args=[mentorship.pk]),
        {"pause-version": mentorship.version, "pause-reason": "Formation intensive"},
    )
    asked_page = asked.content.decode()
    assert asked.status_code == 200
    assert "Mettre en pause le mentorat avec" in asked_page
    assert 'name="pause-reason" value="Formation intensive"' in asked_page
    mentorship.refresh_from_db()
    assert not mentorship.is_paused

    paused = client.post(
        reverse("mentoring:pause", args=[mentorship.pk]),
        {
            "pause-version": mentorship.version,
            "pause-reason": "Formation intensive",
            "confirmed": "oui",
        },
        follow=True,
    )
    stale = client.post(
        reverse("mentoring:pause", args=[mentorship.pk]),
        {
            "pause-version": mentorship.version,
            "pause-reason": "Deuxième onglet",
            "confirmed": "oui",
        },
    )
    mentorship.refresh_from_db()
    resumed = client.post(
        reverse("mentoring:resume", args=[mentorship.pk]),
        {"resume-version": mentorship.version},
        follow=True,
    )

    text = " ".join(paused.content.decode().split())
    assert paused.redirect_chain[-1][0] == space
    assert "Le mentorat est en pause ;" in text and "Formation intensive" in text
    assert "Reprendre le mentorat" in text
    assert stale.status_code == 400
    assert "modifié entre-temps" in stale.content.decode()
    assert "Deuxième onglet" in stale.content.decode()  # nothing typed is lost
    assert "Le mentorat reprend ;" in resumed.content.decode()
    assert "Prochaine rencontre" in resumed.content.decode()
    mentorship.refresh_from_db()
    assert not mentorship.is_paused
