"""The complaint pages: the public form's guards (rate limit, honeypot, fill time), bad input
kept with French messages next to the fields, the member's form and follow-up, the
coordinator's list (constant queries) and steps."""

import time

import freezegun
import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import member
from tisser.core.enums import Role
from tisser.quality.models import Complaint, ComplaintKind, ComplaintStatus
from tisser.quality.services import complaints as service
from tisser.www.quality.spam import (
    FILL_MIN_SECONDS,
    PUBLIC_FORM_RATE,
    stamp_issue,
    stamp_refusal,
)


def public_data(**overrides):
    data = {
        "relation": "employer",
        "name": "Sophie Lambert",
        "email": "sophie@example.org",
        "kind": ComplaintKind.COMPLAINT,
        "subject": "Attestation en retard",
        "description": "Reçue trois semaines après la fin du bilan.",
        "stamp": stamp_issue(time.time() - 30),
        "site_web": "",
    }
    data.update(overrides)
    return data


def public_url(organisation):
    return reverse("quality_public:complaint", args=[organisation.slug])


def test_the_public_form_records_the_complaint_and_sends_the_receipt(
    client, organisation, django_capture_on_commit_callbacks
):
    page = client.get(public_url(organisation))
    assert page.status_code == 200
    assert 'class="honeypot"' in page.content.decode()
    assert "style=" not in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(public_url(organisation), public_data())

    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.public_email == "sophie@example.org"
    assert complaint.status == ComplaintStatus.RECEIVED
    assert len(mail.outbox) == 1


def test_a_filled_honeypot_looks_sent_and_records_nothing(client, organisation):
    response = client.post(public_url(organisation), public_data(site_web="http://spam.example"))
    assert response.status_code == 302
    assert not Complaint.objects.exists()
    assert not mail.outbox


@pytest.mark.parametrize(
    "make_stamp",
    [
        stamp_issue,
        lambda: "",
        lambda: "forged:stamp",
        lambda: stamp_issue(time.time() - 3 * 24 * 3600),
    ],
    ids=["too-fast", "missing", "forged", "too-old"],
)
def test_a_post_too_fast_or_without_a_good_stamp_is_refused_and_kept(
    client, organisation, make_stamp
):
    # A stopped clock: the post comes at the very instant the form was shown (a first
    # request in a process may take longer than the minimum fill time).
    with freezegun.freeze_time():
        stamp = make_stamp()
        response = client.post(public_url(organisation), public_data(stamp=stamp))

    assert response.status_code == 400
    assert not Complaint.objects.exists()
    text = response.content.decode()
    assert "Votre saisie est conservée" in text
    assert "Reçue trois semaines après la fin du bilan." in text
    # A fresh stamp to try again: good once the minimum fill time has passed (under the stopped
    # clock it may be the very stamp refused for being too fast, so compare what it says).
    fresh = response.context["form"].data["stamp"]
    assert stamp_refusal(fresh, now=time.time() + FILL_MIN_SECONDS) == ""


def test_the_rate_limit_answers_429_and_keeps_the_text(client, organisation):
    allowed = int(PUBLIC_FORM_RATE.split("/")[0])
    for number in range(allowed):
        assert (
            client.post(public_url(organisation), public_data(subject=f"n°{number}")).status_code
            == 302
        )
    response = client.post(public_url(organisation), public_data(subject="Encore une"))

    assert response.status_code == 429
    assert "Trop de messages" in response.content.decode()
    assert 'value="Encore une"' in response.content.decode()
    assert Complaint.objects.count() == allowed


def test_bad_input_is_kept_with_french_messages_next_to_the_fields(client, organisation):
    response = client.post(
        public_url(organisation),
        public_data(name="", email="pas-une-adresse", relation="", subject=""),
    )

    assert response.status_code == 400
    text = response.content.decode()
    assert 'id="id_email_error"' in text
    assert "Cette adresse e-mail ne semble pas valide" in text
    assert "Indiquez votre nom" in text
    assert "Dites-nous qui vous êtes" in text
    assert "Donnez un objet" in text
    assert "Reçue trois semaines après la fin du bilan." in text


def test_an_unknown_organisme_is_404(client, db):
    assert client.get(reverse("quality_public:complaint", args=["inconnu"])).status_code == 404


def test_a_member_raises_one_and_follows_it(client, people, organisation):
    client.force_login(people["beneficiary"])
    home = client.get(reverse("beneficiary:home")).content.decode()
    assert reverse("quality:complaint_raise") in home

    empty = client.post(reverse("quality:complaint_raise"), {"subject": "", "description": "x"})
    assert empty.status_code == 400
    assert "Choisissez : réclamation ou difficulté." in empty.content.decode()
    assert "Donnez un objet" in empty.content.decode()

    response = client.post(
        reverse("quality:complaint_raise"),
        {"kind": ComplaintKind.DIFFICULTY, "subject": "Horaires", "description": "Trop tôt."},
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("quality:my_complaint", args=[complaint.pk])

    service.complaint_progress(
        coordinator=people["coordinator"],
        complaint=complaint,
        step=service.ANSWER,
        expected_version=complaint.version,
        answer="Des créneaux du soir dès janvier.",
        internal_notes="Ne pas montrer",
    )
    page = client.get(reverse("quality:my_complaint", args=[complaint.pk])).content.decode()
    assert "Des créneaux du soir dès janvier." in page
    assert "Ne pas montrer" not in page
    # The coordinators' page is not theirs.
    assert client.get(reverse("quality:complaint", args=[complaint.pk])).status_code == 404


def test_the_bilans_consultant_does_not_see_the_complaint(client, people, organisation):
    complaint = service.complaint_raise(
        author=people["beneficiary"],
        organisation=organisation,
        kind=ComplaintKind.COMPLAINT,
        subject="Mon consultant",
        description="…",
    )
    client.force_login(people["consultant"])
    assert client.get(reverse("quality:my_complaint", args=[complaint.pk])).status_code == 404
    assert client.get(reverse("quality:complaint", args=[complaint.pk])).status_code == 404


def test_the_coordinator_acknowledges_answers_and_closes(client, people, organisation):
    complaint = service.complaint_raise(
        author=people["mentor"],
        organisation=organisation,
        kind=ComplaintKind.COMPLAINT,
        subject="Pas de réponse",
        description="…",
    )
    client.force_login(people["coordinator"])
    url = reverse("quality:complaint", args=[complaint.pk])
    page = client.get(url).content.decode()
    assert "Accuser réception" in page
    assert f"?reclamation={complaint.pk}" in page

    client.post(url, {"step": "acknowledge", "version": 1, "answer": "", "internal_notes": ""})
    refused = client.post(
        url, {"step": "answer", "version": 2, "answer": "", "internal_notes": "n"}
    )
    assert refused.status_code == 400
    assert "Écrivez la réponse" in refused.content.decode()
    client.post(url, {"step": "answer", "version": 2, "answer": "Voici.", "internal_notes": "n"})
    client.post(url, {"step": "close", "version": 3, "internal_notes": "n"})
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.CLOSED
    assert complaint.answer == "Voici."


def test_a_stale_version_shows_the_conflict_and_keeps_the_text(client, people, organisation):
    complaint = service.complaint_raise(
        author=people["mentor"],
        organisation=organisation,
        kind=ComplaintKind.COMPLAINT,
        subject="Pas de réponse",
        description="…",
    )
    service.complaint_progress(
        coordinator=people["coordinator"],
        complaint=complaint,
        step=service.NOTES,
        expected_version=1,
        internal_notes="Notes de l'autre onglet",
    )
    client.force_login(people["coordinator"])
    response = client.post(
        reverse("quality:complaint", args=[complaint.pk]),
        {"step": "notes", "version": 1, "answer": "", "internal_notes": "Mes notes"},
    )
    assert response.status_code == 409
    text = response.content.decode()
    assert "Notes de l&#x27;autre onglet" in text and "Mes notes" in text


def _grow(people, organisation, count):
    for number in range(count):
        service.complaint_raise(
            author=people["mentor"] if number % 2 else people["beneficiary"],
            organisation=organisation,
            kind=ComplaintKind.COMPLAINT,
            subject=f"Réclamation {number}",
            description="…",
        )
    for number in range(count // 2):
        service.complaint_receive(
            organisation=organisation,
            kind=ComplaintKind.DIFFICULTY,
            name="Quelqu'un",
            email=f"p{number}@example.org",
            relation="funder",
            subject=f"Publique {number}",
            description="…",
        )


@pytest.mark.parametrize("count", [1, 12])
def test_the_coordinators_list_reads_a_constant_number_of_queries(
    client, people, organisation, django_assert_max_num_queries, count
):
    _grow(people, organisation, count)
    client.force_login(people["coordinator"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("quality:complaints"))
    assert response.status_code == 200
    assert response.content.decode().count("Réclamation ") >= count
    with django_assert_max_num_queries(12):
        filtered = client.get(
            reverse("quality:complaints"), {"status": "received", "overdue": "on"}
        )
    assert filtered.status_code == 200


def test_another_coordinators_complaint_is_404(client, people, organisation):
    complaint = service.complaint_raise(
        author=people["mentor"],
        organisation=organisation,
        kind=ComplaintKind.COMPLAINT,
        subject="x",
        description="y",
    )
    client.force_login(member(Role.COORDINATOR))
    assert client.get(reverse("quality:complaint", args=[complaint.pk])).status_code == 404
