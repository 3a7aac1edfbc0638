"""The appraisal pages: the coordinator's results, questionnaires and invitations, the
consultant's appraisal of a bilan, and the employer's page from its link (no account)."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.core.test_no_secret_in_clear import places_holding, run_queued_tasks, token_in
from tests.quality.appraisal_helpers import answered, answers_for, ended_bilan, invited
from tisser.quality.models import Appraisal, AppraisalAnswer, AppraisalInvitation, Audience
from tisser.quality.services import appraisals as service

pytestmark = pytest.mark.django_db

FIVE = (4, 4, 4, "yes", "")


def link_of(invitation) -> str:
    _same, token = service.appraisal_link_issue(invitation_id=invitation.pk)
    return reverse("quality_public:appraisal", args=[token])


def test_the_results_say_why_a_figure_is_withheld_and_show_one_from_five(client, people):
    bilan = ended_bilan(people["consultant"])
    for index in range(5):
        answered(people["coordinator"], bilan, email=f"e{index}@example.org", values=FIVE)
    answered(
        people["coordinator"],
        bilan,
        email="f@example.org",
        values=(1, 4, 4, "no", "Trop lent"),
        audience=Audience.FUNDER,
    )
    client.force_login(people["coordinator"])
    page = client.get(reverse("quality:appraisals")).content.decode()
    assert "Moyenne : <strong>4,0</strong> / 5, sur les réponses de 5 personnes." in page
    assert "1 réponse : masqué, moins de 5 personnes ont répondu" in page
    assert (
        "Trop lent" in page and bilan.beneficiary.last_name not in page.split("Trop lent")[0][-400:]
    )
    # A note of 1/5 opens an improvement action.
    assert "/qualite/actions/nouvelle/?origine=appreciation&amp;reference=" in page
    assert "Satisfaction moyenne par question" in page


def _results_queries(client) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(reverse("quality:appraisals")).status_code == 200
    return len(context.captured_queries)


def test_the_results_read_as_many_queries_small_or_grown(client, people):
    client.force_login(people["coordinator"])
    bilan = ended_bilan(people["consultant"])
    answered(people["coordinator"], bilan, email="a@example.org", values=FIVE)
    _results_queries(client)  # the first reading creates the default questionnaires
    small = _results_queries(client)
    for index in range(8):
        answered(people["coordinator"], bilan, email=f"g{index}@example.org", values=FIVE)
        invited(people["coordinator"], ended_bilan(people["consultant"]), email=f"w{index}@x.org")
    assert _results_queries(client) == small
    assert small <= 30


def test_the_coordinator_adds_a_question_and_an_empty_one_is_refused(client, people):
    client.force_login(people["coordinator"])
    url = reverse("quality:appraisal_questionnaire", args=["funder"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"version": 1, "text": "", "kind": "rating"})
    assert response.status_code == 400
    assert "Écrivez la question." in response.content.decode()
    response = client.post(url, {"version": 1, "text": "Délais respectés ?", "kind": "yes_no"})
    assert response.status_code == 302
    # A page built before that edit: refused, what was typed is kept.
    response = client.post(url, {"version": 1, "text": "Autre question", "kind": "text"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "modifié entre-temps" in page and 'value="Autre question"' in page


def test_a_reworded_question_from_the_page_keeps_old_answers(client, people, organisation):
    bilan = ended_bilan(people["consultant"])
    answered(people["coordinator"], bilan, email="a@example.org", values=FIVE)
    questionnaire = service.questionnaire_of(organisation=organisation, audience=Audience.EMPLOYER)
    question = service.questions_asked(questionnaire)[1]
    client.force_login(people["coordinator"])
    response = client.post(
        reverse("quality:appraisal_question_edit", args=[question.pk]),
        {"version": questionnaire.version, "action": "reword", "text": "Nos échanges"},
    )
    assert response.status_code == 302
    assert AppraisalAnswer.objects.get(question=question).question_text == question.text
    page = client.get(reverse("quality:appraisals")).content.decode()
    assert "Nos échanges" in page and "formulation précédente" in page


def test_the_coordinator_invites_an_employer_and_a_bad_address_is_named(client, people):
    bilan = ended_bilan(people["consultant"])
    client.force_login(people["coordinator"])
    url = reverse("quality:appraisal_invite")
    response = client.post(
        url,
        {
            "bilan": bilan.pk,
            "audience": "employer",
            "email": "pas-une-adresse",
            "recipient_name": "ACME",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Cette adresse e-mail n&#x27;est pas valide" in page and 'value="ACME"' in page
    response = client.post(
        url, {"bilan": bilan.pk, "audience": "employer", "email": "rh@acme.example"}
    )
    assert response.status_code == 302
    assert AppraisalInvitation.objects.get().email == "rh@acme.example"


def test_the_employer_answers_once_from_the_link_without_an_account(client, people):
    bilan = ended_bilan(people["consultant"])
    url = link_of(invited(people["coordinator"], bilan))
    page = client.get(url)
    assert page.status_code == 200 and page["Cache-Control"] == "private, no-store"
    text = page.content.decode()
    assert bilan.organisation.name in text and "Camille R." in text and "Roussel" not in text
    response = client.post(url, {})
    assert response.status_code == 400
    assert "Choisissez une note de 1 à 5." in response.content.decode()
    values = answers_for(bilan.organisation, Audience.EMPLOYER, (5, 4, 3, "yes", "Merci"))
    response = client.post(url, values)
    assert response.status_code == 200 and "Merci pour votre avis" in response.content.decode()
    assert Appraisal.objects.get().audience == Audience.EMPLOYER
    gone = client.get(url)
    assert gone.status_code == 410 and "déjà été donné" in gone.content.decode()
    assert client.post(url, values).status_code == 410
    assert Appraisal.objects.count() == 1


def test_an_expired_link_says_so(client, people):
    invitation = invited(people["coordinator"], ended_bilan(people["consultant"]))
    url = link_of(invitation)
    AppraisalInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    response = client.get(url)
    assert response.status_code == 410 and "Ce lien a expiré" in response.content.decode()


def test_the_public_page_slows_down_a_flood(client, settings):
    codes = {
        client.get(reverse("quality_public:appraisal", args=["x" * 40])).status_code
        for _ in range(35)
    }
    assert codes == {404, 429}


def test_the_consultant_appraises_an_ended_bilan_from_its_page(client, people, organisation):
    bilan = ended_bilan(people["consultant"])
    client.force_login(people["consultant"])
    detail = client.get(reverse("bilans:detail", args=[bilan.pk])).content.decode()
    url = reverse("quality:appraisal_consultant", args=[bilan.pk])
    assert url in detail
    assert client.get(url).status_code == 200
    values = answers_for(organisation, Audience.CONSULTANT, FIVE)
    assert client.post(url, values).status_code == 302
    assert "Vous avez donné votre appréciation" in client.get(url).content.decode()
    assert client.post(url, values).status_code == 302
    assert Appraisal.objects.filter(audience=Audience.CONSULTANT).count() == 1
    assert (
        "Votre appréciation : donnée le"
        in client.get(reverse("bilans:detail", args=[bilan.pk])).content.decode()
    )


def test_an_appraisal_token_lives_in_its_email_only(
    client, people, caplog, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    bilan = ended_bilan(people["consultant"])
    client.force_login(people["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("quality:appraisal_invite"),
            {"bilan": bilan.pk, "audience": "funder", "email": "qualite@opco.example"},
        )
    assert response.status_code == 302
    assert run_queued_tasks() == 1
    [email] = mail.outbox
    token = token_in(email.body, "quality_public:appraisal")
    assert re.fullmatch(r"[A-Za-z0-9_\-]{40,}", token)
    assert service.appraisal_invitation_resolve(raw_token=token).email == "qualite@opco.example"
    assert places_holding(token, caplog) == []


def test_the_coordinator_reminds_an_employer_with_a_new_link(
    client, people, django_capture_on_commit_callbacks
):
    bilan = ended_bilan(people["consultant"])
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invited(people["coordinator"], bilan)
    first = mail.outbox[-1].body
    client.force_login(people["coordinator"])
    url = reverse("quality:appraisal_invitation_resend", args=[invitation.pk])
    # Just sent: not again within the hour.
    response = client.post(url, follow=True)
    assert "vous pourrez la renvoyer dans une heure" in response.content.decode()
    assert len(mail.outbox) == 1
    AppraisalInvitation.objects.filter(pk=invitation.pk).update(
        sent_at=timezone.now() - timedelta(hours=2)
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert "Relance envoyée à rh@entreprise.example" in response.content.decode()
    assert len(mail.outbox) == 2
    old = token_in(first, "quality_public:appraisal")
    new = token_in(mail.outbox[-1].body, "quality_public:appraisal")
    assert client.get(reverse("quality_public:appraisal", args=[old])).status_code == 404
    assert client.get(reverse("quality_public:appraisal", args=[new])).status_code == 200
    # Answered: nothing left to remind.
    service.appraisal_answer_by_link(
        raw_token=new, answers=answers_for(bilan.organisation, Audience.EMPLOYER, FIVE)
    )
    response = client.post(url, follow=True)
    assert "n&#x27;attend plus de réponse" in response.content.decode()
