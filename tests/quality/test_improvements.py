"""Improvement actions (indicator 32): the service's rules, the pages (prefill from a
complaint or from another page's query string, conflict, constant queries) and the evidence
of indicators 31 and 32 (lines in constant queries, registers naming nobody)."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import member
from tisser.core.enums import Role
from tisser.core.errors import StaleVersion
from tisser.quality import evidence
from tisser.quality.evidence import Span
from tisser.quality.models import ActionSource, ActionStatus, ComplaintKind, ImprovementAction
from tisser.quality.services import complaints as complaint_services
from tisser.quality.services.improvements import (
    ActionFields,
    improvement_action_create,
    improvement_action_update,
)


def fields(**overrides) -> ActionFields:
    values = {
        "title": "Créneaux du soir",
        "description": "",
        "source": ActionSource.AUDIT,
        "source_reference": "Audit de juin",
        "owner": None,
        "due_on": None,
        "status": ActionStatus.PLANNED,
        "result": "",
    }
    values.update(overrides)
    return ActionFields(**values)


def create(people, organisation, **overrides):
    return improvement_action_create(
        coordinator=people["coordinator"], organisation=organisation, fields=fields(**overrides)
    )


def test_done_needs_a_result_and_is_dated(people, organisation):
    with pytest.raises(ValidationError) as caught:
        create(people, organisation, status=ActionStatus.DONE)
    assert "result" in caught.value.message_dict
    action = create(people, organisation)
    improvement_action_update(
        coordinator=people["coordinator"],
        action=action,
        fields=fields(status=ActionStatus.DONE, result="Deux soirs par semaine."),
        expected_version=1,
        today=date(2026, 12, 1),
    )
    action.refresh_from_db()
    assert action.done_on == date(2026, 12, 1)
    with pytest.raises(StaleVersion):
        improvement_action_update(
            coordinator=people["coordinator"],
            action=action,
            fields=fields(title="Autre"),
            expected_version=1,
        )


def test_only_its_coordinators_and_owners_from_the_organisation(people, organisation):
    with pytest.raises(PermissionDenied):
        improvement_action_create(
            coordinator=people["consultant"], organisation=organisation, fields=fields()
        )
    with pytest.raises(ValidationError) as caught:
        create(people, organisation, owner=member(Role.CONSULTANT))
    assert "owner" in caught.value.message_dict


def test_overdue_only_while_open(people, organisation):
    action = create(people, organisation, due_on=date(2026, 1, 1))
    assert action.overdue(date(2026, 1, 2))
    assert list(ImprovementAction.objects.overdue(date(2026, 1, 2))) == [action]
    done = create(
        people, organisation, due_on=date(2026, 1, 1), status=ActionStatus.DONE, result="x"
    )
    assert not done.overdue(date(2026, 1, 2))


def test_opened_from_a_complaint(client, people, organisation):
    complaint = complaint_services.complaint_raise(
        author=people["beneficiary"],
        organisation=organisation,
        kind=ComplaintKind.DIFFICULTY,
        subject="Horaires",
        description="…",
    )
    client.force_login(people["coordinator"])
    url = reverse("quality:action_new") + f"?reclamation={complaint.pk}"
    page = client.get(url)
    assert page.context["form"].initial["source"] == ActionSource.COMPLAINT
    response = client.post(
        url,
        {"title": "Créneaux du soir", "source": "complaint", "status": "planned", "result": ""},
    )
    assert response.status_code == 302
    assert ImprovementAction.objects.get().complaint == complaint


def test_another_page_prefills_its_origin(client, people):
    client.force_login(people["coordinator"])
    page = client.get(
        reverse("quality:action_new"),
        {"origine": "appreciation", "reference": "Appréciation employeur du 3 nov."},
    )
    assert page.context["form"].initial["source"] == ActionSource.APPRAISAL
    assert 'value="Appréciation employeur du 3 nov."' in page.content.decode()


def test_bad_input_is_kept_next_to_its_field(client, people):
    client.force_login(people["coordinator"])
    response = client.post(
        reverse("quality:action_new"),
        {
            "title": "",
            "description": "Gardé",
            "source": "audit",
            "status": "done",
            "due_on": "31/02",
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Donnez un intitulé" in text
    assert "Saisissez une date valide" in text
    assert "Gardé" in text


def test_a_stale_edit_shows_the_conflict(client, people, organisation):
    action = create(people, organisation)
    improvement_action_update(
        coordinator=people["coordinator"],
        action=action,
        fields=fields(title="Saisi ailleurs"),
        expected_version=1,
    )
    client.force_login(people["coordinator"])
    response = client.post(
        reverse("quality:action", args=[action.pk]),
        {"title": "Ma version", "source": "audit", "status": "planned", "version": 1},
    )
    assert response.status_code == 409
    assert "Saisi ailleurs" in response.content.decode()
    assert 'value="Ma version"' in response.content.decode()


@pytest.mark.parametrize("count", [1, 12])
def test_the_list_reads_a_constant_number_of_queries(
    client, people, organisation, django_assert_max_num_queries, count
):
    for number in range(count):
        create(people, organisation, title=f"Action {number}", owner=people["coordinator"])
    client.force_login(people["coordinator"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("quality:actions"), {"overdue": "on", "source": "audit"})
    assert response.status_code == 200
    with django_assert_max_num_queries(12):
        response = client.get(reverse("quality:actions"))
    assert response.content.decode().count("Action ") >= count


def _lines_queries(organisation, span):
    with CaptureQueriesContext(connection) as context:
        for provider in evidence.providers():
            if provider.name in ("complaints", "improvements"):
                provider.lines(organisation, span)
    return len(context.captured_queries)


def test_evidence_lines_in_constant_queries_and_registers_that_name_nobody(people, organisation):
    span = Span(date.today() - timedelta(days=30), date.today())
    assert "complaints" in [p.name for p in evidence.providers_of(31)]
    assert "improvements" in [p.name for p in evidence.providers_of(32)]
    small = _lines_queries(organisation, span)
    for number in range(6):
        complaint_services.complaint_receive(
            organisation=organisation,
            kind=ComplaintKind.COMPLAINT,
            name="Sophie Lambert",
            email="sophie@example.org",
            relation="employer",
            subject=f"Sujet {number}",
            description="…",
        )
        create(people, organisation, title=f"Action {number}")
    assert _lines_queries(organisation, span) == small

    by_name = {provider.name: provider for provider in evidence.providers()}
    (lines_31,) = [by_name["complaints"].lines(organisation, span)]
    assert "6 réclamations ou difficultés reçues sur la période" in lines_31[0].text
    (register,) = list(by_name["complaints"].files(organisation, span))
    text = register.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 7
    assert "Employeur" in text
    assert "Sophie" not in text and "example.org" not in text
    (log,) = list(by_name["improvements"].files(organisation, span))
    assert log.content.decode("utf-8-sig").count("Action ") == 6
