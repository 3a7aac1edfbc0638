from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.mentoring.space_rows import agreement_data, signed, start
from tisser.meetings.models import Occurrence
from tisser.mentoring import services
from tisser.mentoring.models import Agreement, Feedback, Goal, Mentorship, ProgressUpdate


def agreement_post(**overrides) -> dict:
    day = timezone.localdate() + timedelta(days=10)
    data = {
        "goals_summary": "Tester le métier",
        "mentee_expectations": "Des conseils",
        "mentor_commitment": "",
        "meetings_per_month": "1",
        "meeting_minutes": "60",
        "duration_months": "6",
        "confidentiality": "Entre nous.",
        "first_meeting_date": day.isoformat(),
        "first_meeting_time": "18:30",
        "first_meeting_mode": "video",
        "first_meeting_place": "https://visio.example.org/a",
        "version": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("who", ["mentee", "mentor"])
def test_both_members_open_the_space_and_the_agreement(client, organisation, who):
    mentorship = start(organisation)
    client.force_login(mentorship.mentee if who == "mentee" else mentorship.mentor.user)

    space = client.get(reverse("mentoring:mentorship", args=[mentorship.pk]))
    agreement = client.get(reverse("mentoring:agreement", args=[mentorship.pk]))

    assert space.status_code == agreement.status_code == 200
    assert "Écrire la charte" in space.content.decode()
    assert "Ce qui se dit dans nos rencontres reste entre nous" in agreement.content.decode()


def test_the_coordination_of_the_organisation_gets_a_404_on_the_space(client, organisation, people):
    mentorship = start(organisation)
    client.force_login(people["coordinator"])

    response = client.get(reverse("mentoring:mentorship", args=[mentorship.pk]))

    assert response.status_code == 404


def test_writing_then_signing_the_agreement_in_the_browser_plans_the_meetings(client, organisation):
    mentorship = start(organisation)
    client.force_login(mentorship.mentee)
    url = reverse("mentoring:agreement", args=[mentorship.pk])

    saved = client.post(url, agreement_post())
    client.post(reverse("mentoring:agreement_sign", args=[mentorship.pk]), {"version": "1"})
    client.force_login(mentorship.mentor.user)
    signed_response = client.post(
        reverse("mentoring:agreement_sign", args=[mentorship.pk]), {"version": "1"}, follow=True
    )

    assert saved.status_code == 302
    mentorship.refresh_from_db()
    assert mentorship.agreement.is_signed and mentorship.series is not None
    page = signed_response.content.decode()
    assert "signée par vous deux" in page
    first = mentorship.series.occurrences.order_by("start").first()
    assert reverse("meetings:occurrence", args=[first.pk]) in page


def test_an_agreement_changed_meanwhile_keeps_what_was_typed(client, organisation):
    mentorship = start(organisation)
    services.agreement_save(
        actor=mentorship.mentor.user,
        mentorship=mentorship,
        data=agreement_data(goals_summary="Version du mentor"),
        expected_version=None,
    )
    client.force_login(mentorship.mentee)

    response = client.post(
        reverse("mentoring:agreement", args=[mentorship.pk]),
        agreement_post(goals_summary="Ma version à moi", version=""),
    )

    page = response.content.decode()
    assert response.status_code == 409
    assert "Ma version à moi" in page and "Version du mentor" in page
    assert Agreement.objects.get().goals_summary == "Version du mentor"


def test_a_past_first_meeting_is_refused_next_to_its_field(client, organisation):
    mentorship = start(organisation)
    client.force_login(mentorship.mentee)

    response = client.post(
        reverse("mentoring:agreement", args=[mentorship.pk]),
        agreement_post(first_meeting_date="2020-01-01", goals_summary="Gardé"),
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_first_meeting_date_error"' in page
    assert "Gardé" in page


def test_goals_are_added_and_edited_with_a_version_check(client, organisation):
    mentorship = start(organisation)
    client.force_login(mentorship.mentee)

    empty = client.post(
        reverse("mentoring:goal_add", args=[mentorship.pk]),
        {"goal-title": "", "goal-success_criteria": "Gardé"},
    )
    client.post(
        reverse("mentoring:goal_add", args=[mentorship.pk]),
        {"goal-title": "Deux enquêtes", "goal-success_criteria": "Faites avant mars"},
    )
    goal = Goal.objects.get()
    stale = client.post(
        reverse("mentoring:goal_edit", args=[goal.pk]),
        {
            "goal-title": "Trois enquêtes",
            "goal-status": "in_progress",
            "goal-version": "0",
        },
    )
    edited = client.post(
        reverse("mentoring:goal_edit", args=[goal.pk]),
        {"goal-title": "Trois enquêtes", "goal-status": "achieved", "goal-version": "1"},
    )

    assert empty.status_code == 400 and "Gardé" in empty.content.decode()
    assert stale.status_code == 409
    assert edited.status_code == 302
    goal.refresh_from_db()
    assert (goal.title, goal.status) == ("Trois enquêtes", Goal.Status.ACHIEVED)


def test_both_members_choose_the_type_of_their_message_and_the_feed_shows_it(client, organisation):
    mentorship = start(organisation)
    url = reverse("mentoring:update_add", args=[mentorship.pk])
    client.force_login(mentorship.mentee)
    client.post(url, {"update-kind": "question", "update-text": "Quel salon visiter ?"})
    client.force_login(mentorship.mentor.user)

    form = client.get(reverse("mentoring:mentorship", args=[mentorship.pk])).content.decode()
    untyped = client.post(url, {"update-text": "Courage"})
    sent = client.post(
        url, {"update-kind": "encouragement", "update-text": "Courage !"}, follow=True
    )
    page = sent.content.decode()

    for value in ("encouragement", "question", "thanks", "update"):
        assert f'value="{value}"' in form
    assert untyped.status_code == 400
    assert "Choisissez le type de message." in untyped.content.decode()
    assert "Courage" in untyped.content.decode()  # nothing typed is lost
    assert list(ProgressUpdate.objects.values_list("kind", flat=True).order_by("pk")) == [
        "question",
        "encouragement",
    ]
    assert "Votre encouragement est envoyé" in page
    assert "Quel salon visiter ?" in page and "Courage !" in page


def test_feedback_asks_a_rating_in_a_fieldset_and_is_given_once(client, organisation):
    mentorship = start(organisation)
    client.force_login(mentorship.mentee)
    url = reverse("mentoring:feedback", args=[mentorship.pk, "day_30"])

    closed = client.get(url)
    Mentorship.objects.filter(pk=mentorship.pk).update(
        started_at=timezone.now() - timedelta(days=31)
    )
    form = client.get(url)
    missing = client.post(url, {"going_well": "L'écoute"})
    given = client.post(url, {"rating": "5", "going_well": "L'écoute"})
    again = client.get(url)

    assert "s'ouvre le" in closed.content.decode()
    assert "<legend>" in form.content.decode()
    assert missing.status_code == 400 and "L&#x27;écoute" in missing.content.decode()
    assert 'id="id_rating_error"' in missing.content.decode()
    assert given.status_code == 302
    assert "5 sur 5" in again.content.decode()
    assert Feedback.objects.get().rating == 5


def test_the_feedback_form_says_who_reads_it_and_that_holds(client, organisation, people):
    # Given a mentor's 30-day feedback with comments.
    mentorship = start(organisation)
    Mentorship.objects.filter(pk=mentorship.pk).update(
        started_at=timezone.now() - timedelta(days=31)
    )
    mentor = mentorship.mentor.user
    url = reverse("mentoring:feedback", args=[mentorship.pk, "day_30"])
    client.force_login(mentor)
    form = unescape(client.get(url).content.decode())
    client.post(url, {"rating": "4", "to_improve": "Se voir plus souvent"})
    space = client.get(reverse("mentoring:mentorship", args=[mentorship.pk])).content.decode()

    # The form says what becomes of it, without "read only by you" alone.
    assert "Votre avis n'est lu que par vous" not in form
    assert "Vos commentaires ne sont lus que par vous" in form
    assert "L'autre personne ne voit rien de votre avis" in form
    assert "note moyenne de l'organisme que voit la coordination" in form
    assert "à partir de 5 personnes" in form and "à partir de 5 personnes" in space
    # The mentee sees nothing of it, the coordination no comment and no mean under 5 people.
    client.force_login(mentorship.mentee)
    assert "Se voir plus souvent" not in client.get(url).content.decode()
    client.force_login(people["coordinator"])
    health = client.get(reverse("mentoring:health")).content.decode()
    assert "Se voir plus souvent" not in health and "4 / 5" not in health
    assert "masqué" in health


def test_an_unknown_feedback_stage_is_a_404(client, organisation):
    mentorship = start(organisation)
    client.force_login(mentorship.mentee)

    response = client.get(reverse("mentoring:feedback", args=[mentorship.pk, "day_60"]))

    assert response.status_code == 404


def test_closing_leads_to_the_end_feedback(client, organisation):
    mentorship = signed(organisation)
    client.force_login(mentorship.mentor.user)

    empty = client.post(
        reverse("mentoring:close", args=[mentorship.pk]),
        {"close-version": mentorship.version, "close-summary": ""},
    )
    asked = client.post(
        reverse("mentoring:close", args=[mentorship.pk]),
        {"close-version": mentorship.version, "close-summary": "Projet lancé"},
    )
    mentorship.refresh_from_db()
    assert mentorship.status == Mentorship.Status.ACTIVE
    response = client.post(
        reverse("mentoring:close", args=[mentorship.pk]),
        {"close-version": mentorship.version, "close-summary": "Projet lancé", "confirmed": "oui"},
    )

    assert empty.status_code == 400
    asked_page = asked.content.decode()
    assert asked.status_code == 200
    assert "Terminer le mentorat avec" in asked_page and "Oui, terminer le mentorat" in asked_page
    assert 'name="close-summary" value="Projet lancé"' in asked_page
    assert response.status_code == 302
    assert response["Location"] == reverse("mentoring:feedback", args=[mentorship.pk, "end"])
    mentorship.refresh_from_db()
    assert mentorship.status == Mentorship.Status.ENDED


def test_extending_from_the_space(client, organisation):
    mentorship = start(organisation)
    client.force_login(mentorship.mentee)

    stale = client.post(
        reverse("mentoring:extend", args=[mentorship.pk]),
        {"extend-version": "0", "extend-months": "2"},
    )
    response = client.post(
        reverse("mentoring:extend", args=[mentorship.pk]),
        {"extend-version": "1", "extend-months": "2"},
    )

    assert stale.status_code == 400
    assert 'name="extend-version" value="1"' in stale.content.decode()
    assert response.status_code == 302
    mentorship.refresh_from_db()
    assert mentorship.extended_times == 1


def test_the_health_page_shows_ratings_not_texts_in_bounded_queries(
    client, organisation, people, django_assert_max_num_queries
):
    mentorships = [signed(organisation) for _ in range(4)]
    # The finding: one mentor's private 2/5 was shown as the mentorship's "note moyenne".
    Feedback.objects.create(
        mentorship=mentorships[0],
        author=mentorships[0].mentor.user,
        stage=Feedback.Stage.DAY_30,
        rating=2,
        going_well="Texte privé",
    )
    client.force_login(people["coordinator"])

    with django_assert_max_num_queries(13):
        response = client.get(reverse("mentoring:health"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "2,0 / 5" not in page and "2.0 / 5" not in page
    assert "« masqué » : moins de 5 personnes" in page and "(masqué)" in page
    assert "Texte privé" not in page
    assert page.count("<tr>") == 5

    for mentorship in mentorships[:3]:  # five more people: the first five are counted
        for author in (mentorship.mentee, mentorship.mentor.user):
            if not Feedback.objects.filter(author=author).exists():
                Feedback.objects.create(
                    mentorship=mentorship, author=author, stage=Feedback.Stage.DAY_30, rating=4
                )
    page = client.get(reverse("mentoring:health")).content.decode()
    assert "3,6 / 5" in page or "3.6 / 5" in page
    assert "(5 personnes)" in page


def test_my_network_lists_my_mentorships(client, organisation):
    mentorship = start(organisation)
    client.force_login(mentorship.mentee)

    page = client.get(reverse("network:home")).content.decode()

    assert "Mes mentorats" in page
    assert reverse("mentoring:mentorship", args=[mentorship.pk]) in page
    assert mentorship.mentor.user.get_full_name() in page


def test_the_health_page_says_meetings_held_in_real_french_plurals(client, organisation, people):
    mentorship = signed(organisation)
    occurrences = list(mentorship.series.occurrences.order_by("start"))
    planned = len(occurrences) - 1
    client.force_login(people["coordinator"])

    def hold(occurrence, days_ago):
        end = timezone.now() - timedelta(days=days_ago)
        Occurrence.objects.filter(pk=occurrence.pk).update(start=end - timedelta(hours=1), end=end)

    hold(occurrences[0], 40)
    page = " ".join(client.get(reverse("mentoring:health")).content.decode().split())
    assert f"1 tenue / {planned} à venir" in page
    assert '<span class="figure">1</span> mentorat en cours' in page

    hold(occurrences[1], 10)
    page = " ".join(client.get(reverse("mentoring:health")).content.decode().split())
    assert f"2 tenues / {planned - 1} à venir" in page


def test_the_health_page_queries_do_not_grow_with_the_mentorships(client, organisation, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = [signed(organisation) for _ in range(3)]
    client.force_login(people["coordinator"])
    url = reverse("mentoring:health")

    def queries() -> tuple[int, str]:
        client.get(url)  # the first request after signing in writes the session
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured), " ".join(response.content.decode().split())

    small, _page = queries()
    now = timezone.now()
    Mentorship.objects.bulk_create(
        [
            Mentorship(
                organisation=organisation,
                mentee=first[0].mentee,
                mentor=first[0].mentor,
                origin=Mentorship.Origin.ROUND,
                status=Mentorship.Status.ENDED,
                started_at=now - timedelta(days=300),
                planned_end=(now - timedelta(days=100)).date(),
                ended_at=now - timedelta(days=100),
                last_activity_at=now - timedelta(days=100),
            )
            for _ in range(60)
        ]
    )
    grown, page = queries()

    assert small == grown
    assert "Page 1 sur 2" in page and page.count("<tr>") == 51
    assert '<span class="figure">3</span> mentorats en cours' in page
