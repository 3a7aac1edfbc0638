"""The pages of suggestions and requests, as the mentee and the mentor see them."""

import html
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import member
from tests.mentoring.helpers import mentee_profile, mentor_profile
from tisser.core.enums import Role
from tisser.mentoring import services
from tisser.mentoring.models import Mentorship, MentorshipRequest

Status = MentorshipRequest.Status


@pytest.fixture
def pair(rome, organisation):
    mentor = mentor_profile(
        organisation, fiches=["A1901"], capacity=2, employer="Les Serres du Lac"
    )
    needs = mentee_profile(organisation, targets=["A1901"], share_targets=False)
    return needs, mentor


def send(needs, mentor, message="Bonjour, je vous écris pour mon projet."):
    return services.mentorship_request_create(mentee=needs.user, mentor=mentor, message=message)


def test_suggestions_explain_each_mentor_and_offer_to_write(client, pair, organisation):
    needs, mentor = pair
    other = mentee_profile(organisation, targets=["A1901"])
    send(other, mentor, "Message d'une autre personne mentorée")
    client.force_login(needs.user)

    page = client.get(reverse("mentoring:suggestions")).content.decode()

    assert mentor.user.get_full_name() in page
    assert "Pourquoi cette personne" in page
    assert "Métier proche de votre projet : 100 %" in page
    assert "Disponibilités en commun" in page and "mardi soir" in page
    assert reverse("mentoring:request_create", args=[mentor.pk]) in page
    assert other.user.get_full_name() not in page
    assert "autre personne mentorée" not in page
    assert "Les Serres du Lac" not in page


def test_suggestions_query_count_does_not_grow_with_the_mentors(
    client, rome, organisation, django_assert_max_num_queries
):
    needs = mentee_profile(organisation, targets=["A1901"])
    for _ in range(12):
        mentor_profile(organisation, fiches=["A1901", "A1902"])
    client.force_login(needs.user)
    client.get(reverse("mentoring:suggestions"))  # builds the process's cached pool

    # the same count with 1 mentor or 12: session, membership, needs, the pool's version and
    # places left, exclusions, the suggested mentors with their people and fiches, the
    # pending requests
    with django_assert_max_num_queries(16):
        response = client.get(reverse("mentoring:suggestions"))

    assert response.content.decode().count("Voir tout son profil") == 5


def test_without_needs_the_page_says_so_and_links_to_them(client, organisation):
    client.force_login(member(Role.BENEFICIARY, organisation))

    page = client.get(reverse("mentoring:suggestions")).content.decode()

    assert "pas encore décrit" in page
    assert 'href="/mentorat/mes-besoins/"' in page


def test_no_suggestion_says_whether_places_or_criteria_are_missing(client, rome, organisation):
    needs = mentee_profile(organisation, targets=["A1901"], languages=["de"])
    client.force_login(needs.user)
    url = reverse("mentoring:suggestions")

    no_mentor = client.get(url).content.decode()
    mentor_profile(organisation, fiches=["A1901"], languages=["fr"])
    narrow = client.get(url).content.decode()

    assert "n'a de place libre" in no_mentor
    assert "ne correspond à toutes vos conditions" in narrow


def test_a_mentor_profile_never_shows_the_employer(client, pair):
    needs, mentor = pair
    client.force_login(needs.user)

    page = client.get(reverse("mentoring:mentor_detail", args=[mentor.pk])).content.decode()

    assert mentor.career_path in page
    assert "Les Serres du Lac" not in page
    assert "2 places" in page


def test_the_request_form_is_prefilled_and_sending_notifies_the_mentor(client, pair):
    needs, mentor = pair
    needs.share_targets = True  # the draft may name the job they aim at
    needs.save(update_fields=["share_targets"])
    client.force_login(needs.user)
    url = reverse("mentoring:request_create", args=[mentor.pk])

    form = client.get(url)
    response = client.post(url, {"message": "Bonjour, mon message à moi."})

    assert (
        form.context["form"]["message"]
        .value()
        .startswith(f"Bonjour {mentor.user.first_name},\n\nje vous contacte parce que vous exercez")
    )
    sent = MentorshipRequest.objects.get()
    assert response.url == reverse("mentoring:request_detail", args=[sent.pk])
    assert sent.message == "Bonjour, mon message à moi."
    assert sent.explanation


def test_the_prefilled_request_keeps_a_target_job_the_mentee_does_not_share(client, pair):
    needs, mentor = pair
    assert not needs.share_targets
    client.force_login(needs.user)

    form = client.get(reverse("mentoring:request_create", args=[mentor.pk]))

    message = form.context["form"]["message"].value()
    assert message.startswith(f"Bonjour {mentor.user.first_name},\n\nje vous contacte parce que")
    assert needs.target_fiches.get().libelle not in message
    assert "métier que je vise" not in message


def test_a_refused_request_keeps_the_text_and_says_why(client, pair, organisation):
    needs, mentor = pair
    for _ in range(3):
        send(needs, mentor_profile(organisation, fiches=["A1901"]))
    client.force_login(needs.user)

    response = client.post(
        reverse("mentoring:request_create", args=[mentor.pk]),
        {"message": "Un texte travaillé longuement."},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "3 demandes en attente" in page
    assert "Un texte travaillé longuement." in page
    assert MentorshipRequest.objects.filter(mentor=mentor).count() == 0


def test_the_mentor_reads_only_what_was_shared_and_is_told_what_was_withheld(client, pair):
    needs, mentor = pair
    sent = send(needs, mentor)
    client.force_login(mentor.user)

    page = client.get(reverse("mentoring:request_detail", args=[sent.pk])).content.decode()

    assert needs.wishes in page
    assert "Cultivateur" not in page
    assert "partager mes métiers visés" in page
    assert "Accepter et commencer le mentorat" in page


def test_the_mentor_accepts_from_the_page(client, pair):
    needs, mentor = pair
    sent = send(needs, mentor)
    client.force_login(mentor.user)

    response = client.post(
        reverse("mentoring:request_accept", args=[sent.pk]), {"accept-answer": "Bienvenue !"}
    )

    mentorship = Mentorship.objects.get()
    assert response.url == reverse("mentoring:mentorship", args=[mentorship.pk])
    sent.refresh_from_db()
    assert sent.status == Status.ACCEPTED and sent.answer == "Bienvenue !"
    assert mentorship.request == sent


def test_a_mentor_without_a_place_is_told_so_and_the_request_stays_pending(
    client, pair, organisation
):
    needs, mentor = pair
    sent = send(needs, mentor)
    for _ in range(2):
        services.mentorship_start(
            mentee=member(Role.BENEFICIARY, organisation),
            mentor=mentor,
            origin=Mentorship.Origin.ROUND,
            by=member(Role.COORDINATOR, organisation),
        )
    client.force_login(mentor.user)

    response = client.post(
        reverse("mentoring:request_accept", args=[sent.pk]), {"accept-answer": "Bienvenue !"}
    )

    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "n'a plus de place" in page and "Bienvenue !" in page
    sent.refresh_from_db()
    assert sent.status == Status.PENDING


def test_declining_with_a_too_long_message_keeps_it(client, pair):
    needs, mentor = pair
    sent = send(needs, mentor)
    client.force_login(mentor.user)
    url = reverse("mentoring:request_decline", args=[sent.pk])

    too_long = client.post(url, {"decline-answer": "x" * 2001})
    declined = client.post(url, {"decline-answer": "Pas disponible ce trimestre."})

    assert "2000 au plus" in too_long.content.decode()
    assert declined.url == reverse("mentoring:requests")
    sent.refresh_from_db()
    assert sent.status == Status.DECLINED and sent.answer == "Pas disponible ce trimestre."


def test_the_mentee_withdraws_and_cannot_answer_their_own_request(client, pair):
    needs, mentor = pair
    sent = send(needs, mentor)
    client.force_login(needs.user)

    refused = client.post(reverse("mentoring:request_accept", args=[sent.pk]))
    withdrawn = client.post(reverse("mentoring:request_withdraw", args=[sent.pk]))

    assert refused.status_code == 404
    assert withdrawn.url == reverse("mentoring:requests")
    sent.refresh_from_db()
    assert sent.status == Status.WITHDRAWN


def test_an_expired_request_cannot_be_accepted_from_the_page(client, pair):
    needs, mentor = pair
    sent = send(needs, mentor)
    MentorshipRequest.objects.filter(pk=sent.pk).update(
        respond_by=timezone.now() - timedelta(hours=1)
    )
    client.force_login(mentor.user)

    response = client.post(reverse("mentoring:request_accept", args=[sent.pk]), follow=True)

    assert "ne peut plus être acceptée" in response.content.decode()
    assert not Mentorship.objects.exists()


def test_another_mentee_never_sees_a_request(client, pair, organisation):
    needs, mentor = pair
    sent = send(needs, mentor)
    client.force_login(mentee_profile(organisation).user)

    assert client.get(reverse("mentoring:request_detail", args=[sent.pk])).status_code == 404
    listed = client.get(reverse("mentoring:requests")).content.decode()
    assert needs.user.get_full_name() not in listed


def test_the_mentor_list_puts_pending_first_with_the_days_left(
    client, rome, organisation, django_assert_max_num_queries
):
    mentor = mentor_profile(organisation, fiches=["A1901"], capacity=5)
    answered = send(mentee_profile(organisation), mentor)
    services.mentorship_request_decline(mentorship_request=answered, by=mentor.user)
    waiting = [send(mentee_profile(organisation), mentor) for _ in range(4)]
    MentorshipRequest.objects.filter(pk=waiting[-1].pk).update(
        respond_by=timezone.now() + timedelta(days=2, hours=1)
    )
    client.force_login(mentor.user)

    with django_assert_max_num_queries(6):
        page = client.get(reverse("mentoring:requests")).content.decode()

    assert "encore 3 jours" in page and page.count("encore 7 jours") == 3
    first_waiting = page.index(waiting[-1].mentee.get_full_name())
    assert first_waiting < page.index(waiting[0].mentee.get_full_name())
    assert page.index("En attente de réponse") < first_waiting < page.index("Demandes passées")
    assert page.index("Demandes passées") < page.index(answered.mentee.get_full_name())
