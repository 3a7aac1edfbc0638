"""Stakeholders' appraisals (Qualiopi indicator 30): questionnaires and their edits, the e-mail
link (single-use, expiring, hashed), the consultant's appraisal, and the results under the
small-numbers rule."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.quality.appraisal_helpers import answered, answers_for, ended_bilan, invited
from tisser.bilans.models import Funding
from tisser.core.errors import StaleVersion
from tisser.quality import evidence
from tisser.quality.appraisal_results import appraisal_results, covered
from tisser.quality.evidence import Span
from tisser.quality.models import (
    Appraisal,
    AppraisalAnswer,
    AppraisalInvitation,
    Audience,
    Question,
    QuestionKind,
    Questionnaire,
    appraisal_token_hash,
)
from tisser.quality.services import appraisals as service

pytestmark = pytest.mark.django_db

FIVE = (4, 4, 4, "yes", "")


def employer_result(people, organisation):
    results = appraisal_results(coordinator=people["coordinator"], organisation=organisation)
    return next(r for r in results if r.audience == Audience.EMPLOYER)


# --- Questionnaires --------------------------------------------------------------------------


def test_each_audience_gets_a_default_questionnaire_once(organisation):
    employer = service.questionnaire_of(organisation=organisation, audience=Audience.EMPLOYER)
    again = service.questionnaire_of(organisation=organisation, audience=Audience.EMPLOYER)
    assert employer.pk == again.pk
    texts = [q.text for q in service.questions_asked(employer)]
    assert "Le bilan a-t-il répondu aux attentes exprimées lors de la convention ?" in texts
    assert {q.kind for q in service.questions_asked(employer)} == set(QuestionKind.values)
    for audience in Audience:
        service.questionnaire_of(organisation=organisation, audience=audience)
    assert Questionnaire.objects.filter(organisation=organisation).count() == 3


def test_the_coordinator_adds_rewords_moves_and_retires_questions(people, organisation):
    coordinator = people["coordinator"]
    questionnaire = service.questionnaire_of(organisation=organisation, audience=Audience.FUNDER)
    first, second = service.questions_asked(questionnaire)[:2]
    added = service.question_add(
        coordinator=coordinator,
        questionnaire=questionnaire,
        expected_version=1,
        kind=QuestionKind.YES_NO,
        text="  Le dossier était-il   complet ?  ",
    )
    assert added.text == "Le dossier était-il complet ?"
    assert service.questions_asked(questionnaire)[-1] == added
    service.question_reword(
        coordinator=coordinator, question=first, expected_version=2, text="Délais tenus"
    )
    service.question_move(coordinator=coordinator, question=second, expected_version=3, up=True)
    assert service.questions_asked(questionnaire)[:2] == [second, first]
    service.question_retire(coordinator=coordinator, question=first, expected_version=4)
    asked = service.questions_asked(questionnaire)
    assert first not in asked and Question.objects.get(pk=first.pk).text == "Délais tenus"
    questionnaire.refresh_from_db()
    assert questionnaire.version == 5


def test_an_edit_from_an_old_page_is_refused_and_writes_nothing(people, organisation):
    questionnaire = service.questionnaire_of(organisation=organisation, audience=Audience.FUNDER)
    question = service.questions_asked(questionnaire)[0]
    service.question_reword(
        coordinator=people["coordinator"], question=question, expected_version=1, text="Un"
    )
    with pytest.raises(StaleVersion):
        service.question_reword(
            coordinator=people["coordinator"], question=question, expected_version=1, text="Deux"
        )
    assert Question.objects.get(pk=question.pk).text == "Un"


def test_only_a_coordinator_of_the_organisation_edits_questions(people, organisation):
    questionnaire = service.questionnaire_of(organisation=organisation, audience=Audience.FUNDER)
    question = service.questions_asked(questionnaire)[0]
    for role in ("consultant", "beneficiary", "mentor"):
        with pytest.raises(PermissionDenied):
            service.question_reword(
                coordinator=people[role], question=question, expected_version=1, text="X"
            )


def test_the_last_question_asked_stays(people, organisation):
    questionnaire = service.questionnaire_of(organisation=organisation, audience=Audience.FUNDER)
    questions = service.questions_asked(questionnaire)
    version = 1
    for question in questions[:-1]:
        service.question_retire(
            coordinator=people["coordinator"], question=question, expected_version=version
        )
        version += 1
    with pytest.raises(ValidationError):
        service.question_retire(
            coordinator=people["coordinator"], question=questions[-1], expected_version=version
        )


def test_rewording_a_question_keeps_the_wording_earlier_answers_answered(people, organisation):
    bilan = ended_bilan(people["consultant"])
    answered(people["coordinator"], bilan, email="a@example.org", values=FIVE)
    questionnaire = service.questionnaire_of(organisation=organisation, audience=Audience.EMPLOYER)
    question = service.questions_asked(questionnaire)[0]
    before = question.text
    service.question_reword(
        coordinator=people["coordinator"],
        question=question,
        expected_version=questionnaire.version,
        text="Le bilan a-t-il atteint ses objectifs ?",
    )
    answer = AppraisalAnswer.objects.get(question=question)
    assert answer.question_text == before
    item = employer_result(people, organisation).questions[0]
    assert item.question.text == "Le bilan a-t-il atteint ses objectifs ?"
    assert item.earlier_wordings == (before,)


# --- Invitations and their link ---------------------------------------------------------------


def test_an_invitation_stores_only_a_hash_and_its_link_works_once(people):
    bilan = ended_bilan(people["consultant"])
    invitation = invited(people["coordinator"], bilan)
    issued = service.appraisal_link_issue(invitation_id=invitation.pk)
    assert issued is not None
    _same, token = issued
    invitation.refresh_from_db()
    assert invitation.token_hash == appraisal_token_hash(token) and token not in str(
        AppraisalInvitation.objects.filter(pk=invitation.pk).values().get()
    )
    assert service.appraisal_invitation_resolve(raw_token=token) == invitation
    service.appraisal_answer_by_link(
        raw_token=token, answers=answers_for(bilan.organisation, Audience.EMPLOYER, FIVE)
    )
    with pytest.raises(service.AppraisalLinkGone):
        service.appraisal_invitation_resolve(raw_token=token)
    with pytest.raises(service.AppraisalLinkGone):
        service.appraisal_answer_by_link(
            raw_token=token, answers=answers_for(bilan.organisation, Audience.EMPLOYER, FIVE)
        )
    assert Appraisal.objects.filter(bilan=bilan).count() == 1
    assert service.appraisal_link_issue(invitation_id=invitation.pk) is None
    invitation.refresh_from_db()
    assert invitation.status == AppraisalInvitation.Status.ANSWERED


def test_a_link_expires_after_thirty_days(people):
    bilan = ended_bilan(people["consultant"])
    invitation = invited(people["coordinator"], bilan)
    assert invitation.expires_at - invitation.created_at == timedelta(days=service.LINK_DAYS)
    _same, token = service.appraisal_link_issue(invitation_id=invitation.pk)
    AppraisalInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(service.AppraisalLinkGone) as gone:
        service.appraisal_invitation_resolve(raw_token=token)
    assert gone.value.invitation.status == AppraisalInvitation.Status.EXPIRED
    assert service.appraisal_link_issue(invitation_id=invitation.pk) is None


def test_a_new_e_mail_replaces_the_previous_link_and_a_wrong_one_is_unknown(people):
    invitation = invited(people["coordinator"], ended_bilan(people["consultant"]))
    _same, first = service.appraisal_link_issue(invitation_id=invitation.pk)
    _same, second = service.appraisal_link_issue(invitation_id=invitation.pk)
    with pytest.raises(service.AppraisalLinkUnknown):
        service.appraisal_invitation_resolve(raw_token=first)
    with pytest.raises(service.AppraisalLinkUnknown):
        service.appraisal_invitation_resolve(raw_token="pas-un-lien")
    assert service.appraisal_invitation_resolve(raw_token=second) == invitation


def test_missing_answers_are_named_and_nothing_is_recorded(people):
    bilan = ended_bilan(people["consultant"])
    invitation = invited(people["coordinator"], bilan)
    _same, token = service.appraisal_link_issue(invitation_id=invitation.pk)
    with pytest.raises(ValidationError) as error:
        service.appraisal_answer_by_link(raw_token=token, answers={})
    questions = service.questions_asked(
        service.questionnaire_of(organisation=bilan.organisation, audience=Audience.EMPLOYER)
    )
    asked = {service.field_name(q) for q in questions if q.kind != QuestionKind.TEXT}
    assert set(error.value.message_dict) == asked
    assert not Appraisal.objects.exists()
    assert service.appraisal_invitation_resolve(raw_token=token) == invitation


def test_the_e_mail_task_sends_the_link_with_the_first_name_and_initial(
    people, django_capture_on_commit_callbacks
):
    bilan = ended_bilan(people["consultant"])
    with django_capture_on_commit_callbacks(execute=True):
        invited(people["coordinator"], bilan, email="RH@Entreprise.example")
    [email] = mail.outbox
    assert email.to == ["rh@entreprise.example"]
    assert "Camille R." in email.body and "Roussel" not in email.body
    assert "/organismes/appreciation/" in email.body


def test_a_consultant_invites_only_the_employer_of_a_bilan_of_theirs_with_a_convention(
    people, organisation
):
    consultant = people["consultant"]
    without = ended_bilan(consultant, funding=Funding.EMPLOYER)
    with pytest.raises(PermissionDenied):
        invited(consultant, without)
    with_convention = ended_bilan(consultant, funding=Funding.EMPLOYER, convention=True)
    assert invited(consultant, with_convention).created_by == consultant
    with pytest.raises(PermissionDenied):
        invited(consultant, with_convention, audience=Audience.FUNDER)
    for role in ("beneficiary", "mentor"):
        with pytest.raises(PermissionDenied):
            invited(people[role], with_convention)
    with pytest.raises(ValidationError):
        invited(people["coordinator"], with_convention, audience=Audience.CONSULTANT)


# --- The consultant's appraisal ---------------------------------------------------------------


def test_the_consultant_appraises_an_ended_bilan_once(people, organisation):
    consultant = people["consultant"]
    bilan = ended_bilan(consultant)
    values = answers_for(organisation, Audience.CONSULTANT, FIVE)
    service.consultant_appraisal_submit(consultant=consultant, bilan=bilan, answers=values)
    with pytest.raises(ValidationError):
        service.consultant_appraisal_submit(consultant=consultant, bilan=bilan, answers=values)
    assert Appraisal.objects.filter(bilan=bilan, audience=Audience.CONSULTANT).count() == 1


def test_the_consultant_waits_for_the_end_and_nobody_else_appraises(people, organisation):
    consultant = people["consultant"]
    bilan = ended_bilan(consultant)
    values = answers_for(organisation, Audience.CONSULTANT, FIVE)
    with pytest.raises(PermissionDenied):
        service.consultant_appraisal_submit(
            consultant=people["coordinator"], bilan=bilan, answers=values
        )
    bilan.status = "conclusion"
    with pytest.raises(ValidationError):
        service.consultant_appraisal_submit(consultant=consultant, bilan=bilan, answers=values)


# --- Results and the small-numbers rule -------------------------------------------------------


def test_no_figure_from_fewer_than_five_people(people, organisation):
    bilan = ended_bilan(people["consultant"])
    for index in range(4):
        answered(people["coordinator"], bilan, email=f"p{index}@example.org", values=FIVE)
    item = employer_result(people, organisation).questions[0]
    assert item.answered == 4 and item.withheld
    assert item.mean is not None and not item.mean.shown and item.distribution == ()
    # The same employer answering again (another employee's bilan) is not a fifth person.
    answered(people["coordinator"], bilan, email="p0@example.org", values=FIVE)
    assert employer_result(people, organisation).questions[0].withheld
    answered(people["coordinator"], bilan, email="p4@example.org", values=(2, 4, 4, "no", ""))
    item = employer_result(people, organisation).questions[0]
    assert not item.withheld and item.mean.shown and item.mean.over == 5
    assert item.mean.value == pytest.approx((4 * 5 + 2) / 6)
    # Notes: 5 people gave 4 (shown), one gave 2 (hidden, and so is no other count to hide).
    counts = dict(item.distribution)
    assert counts["4"] is None and counts["2"] is None
    assert item.low_count == 1
    yes_no = employer_result(people, organisation).questions[3]
    assert dict(yes_no.distribution) == {"Oui": None, "Non": None}


def test_covered_stops_at_the_last_fifth_person():
    answers = [("a", 1), ("b", 2), ("a", 3), ("c", 4), ("d", 5), ("e", 1), ("f", 2)]
    assert covered(answers) == answers[:6]
    assert covered(answers[:5]) == []


def test_free_texts_are_shown_without_a_name(people, organisation):
    bilan = ended_bilan(people["consultant"])
    answered(
        people["coordinator"], bilan, email="a@example.org", values=(4, 4, 4, "yes", "Très bien")
    )
    item = employer_result(people, organisation).questions[4]
    assert [t.text for t in item.texts] == ["Très bien"]
    assert not hasattr(item.texts[0], "bilan")


# --- Evidence ---------------------------------------------------------------------------------


def test_the_evidence_of_indicator_30(people, organisation, django_assert_max_num_queries):
    bilan = ended_bilan(people["consultant"])
    for index in range(5):
        answered(people["coordinator"], bilan, email=f"e{index}@example.org", values=FIVE)
    answered(
        people["coordinator"], bilan, email="f@example.org", values=FIVE, audience=Audience.FUNDER
    )
    invited(people["coordinator"], bilan, email="attente@example.org")
    [provider] = [p for p in evidence.providers_of(30) if p.name == "appraisals"]
    today = timezone.localdate()
    span = Span(date(today.year, 1, 1), today)
    with django_assert_max_num_queries(3):
        lines = provider.lines(organisation, span)
    texts = [line.text for line in lines]
    assert "Employeur : 5 appréciations reçues sur la période" in texts
    assert "Financeur : 1 appréciation reçue sur la période" in texts
    assert any("7 invitations envoyées" in t and "6 avec réponse (86 %)" in t for t in texts)
    [export] = list(provider.files(organisation, span))
    text = export.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    employer = rows.index(["Appréciations : Employeur"])
    funder = rows.index(["Appréciations : Financeur"])
    assert rows[employer + 2][:3] == [
        service.questions_asked(
            service.questionnaire_of(organisation=organisation, audience=Audience.EMPLOYER)
        )[0].text,
        "5",
        "4,0",
    ]
    assert rows[funder + 2][1:3] == ["1", ""]
    assert "Cellule vide : chiffre masqué, moins de 5 personnes" in text
