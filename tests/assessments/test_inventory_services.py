"""Recording the self-inventories and reading the latest profiles."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from freezegun import freeze_time

from tests.factories import MembershipFactory, OrganisationFactory, member
from tisser.assessments import riasec, services, values
from tisser.assessments.models import InventoryResponse
from tisser.core.enums import Role
from tisser.core.models import AuditEvent

Kind = InventoryResponse.Kind


def interests_answers(value_for=lambda item: 3) -> dict[str, int]:
    return {item.id: value_for(item) for item in riasec.ITEMS}


def values_answers(value_for=lambda item: 3) -> dict[str, int]:
    return {item.id: value_for(item) for item in values.ITEMS}


def social_artistic(item) -> int:
    return {"S": 5, "A": 4}.get(item.dimension, 2)


def test_a_beneficiary_records_their_interests(people, organisation):
    answers = interests_answers(social_artistic)

    response = services.interests_record(user=people["beneficiary"], answers=answers)

    response.refresh_from_db()
    assert (response.user, response.organisation, response.kind) == (
        people["beneficiary"],
        organisation,
        Kind.INTERESTS,
    )
    assert response.version == riasec.VERSION
    assert response.answers == answers
    assert response.scores == {"R": 25, "I": 25, "A": 75, "S": 100, "E": 25, "C": 25}
    event = AuditEvent.objects.get(action="inventory.interests.record")
    assert (event.actor, event.organisation, event.target_id) == (
        people["beneficiary"],
        organisation,
        str(response.pk),
    )
    assert event.data == {"version": riasec.VERSION}


def test_a_beneficiary_records_their_values(people, organisation):
    answers = values_answers(lambda item: 5 if item.dimension == "balance" else 3)

    response = services.values_record(user=people["beneficiary"], answers=answers)

    response.refresh_from_db()
    assert response.kind == Kind.VALUES
    assert response.version == values.VERSION
    assert response.scores == {**dict.fromkeys(values.VALUE_IDS, 50), "balance": 100}
    assert AuditEvent.objects.filter(action="inventory.values.record").count() == 1


@pytest.mark.parametrize("record", [services.interests_record, services.values_record])
@pytest.mark.parametrize("role", ["consultant", "mentor", "coordinator"])
def test_only_a_beneficiary_takes_an_inventory(people, role, record):
    with pytest.raises(PermissionDenied):
        record(user=people[role], answers={})
    assert not InventoryResponse.objects.exists()


def test_an_inactive_beneficiary_cannot(people):
    people["beneficiary"].memberships.update(is_active=False)

    with pytest.raises(PermissionDenied):
        services.interests_record(user=people["beneficiary"], answers=interests_answers())


def test_the_take_belongs_to_the_organisation_of_the_beneficiary_membership(organisation):
    person = member(Role.MENTOR, OrganisationFactory())
    MembershipFactory(user=person, organisation=organisation, role=Role.BENEFICIARY)

    response = services.values_record(user=person, answers=values_answers())

    assert response.organisation == organisation


@pytest.mark.parametrize(
    ("change", "bad_items"),
    [
        (lambda a: a.pop("s3"), {"s3"}),
        (lambda a: [a.pop(k) for k in ("r1", "c8", "e5")], {"r1", "c8", "e5"}),
        (lambda a: a.update(i2=0, a6=6), {"i2", "a6"}),
        (lambda a: a.update(r4="4"), {"r4"}),
        (lambda a: a.update(e1=True), {"e1"}),
        (lambda a: a.clear(), {item.id for item in riasec.ITEMS}),
    ],
)
def test_every_activity_must_be_answered_from_1_to_5(people, change, bad_items):
    answers = interests_answers()
    change(answers)

    with pytest.raises(ValidationError) as caught:
        services.interests_record(user=people["beneficiary"], answers=answers)

    assert set(caught.value.message_dict) == bad_items
    assert all("Choisissez une réponse" in m[0] for m in caught.value.message_dict.values())
    assert not InventoryResponse.objects.exists()


def test_a_missing_value_statement_is_named_in_french(people):
    answers = values_answers()
    del answers["service_3"]

    with pytest.raises(ValidationError) as caught:
        services.values_record(user=people["beneficiary"], answers=answers)

    assert caught.value.message_dict == {
        "service_3": ["Choisissez une réponse pour cette affirmation."]
    }


def test_unknown_items_are_refused(people):
    with pytest.raises(ValidationError) as caught:
        services.values_record(user=people["beneficiary"], answers={**values_answers(), "r1": 3})

    assert caught.value.message_dict == {"__all__": ["Réponses inconnues : r1."]}


def test_interest_profile_latest_returns_the_latest_take(people):
    person = people["beneficiary"]
    assert services.interest_profile_latest(user=person) is None
    start = timezone.now()
    with freeze_time(start - timedelta(days=30)):
        services.interests_record(user=person, answers=interests_answers(social_artistic))
    with freeze_time(start):
        services.interests_record(
            user=person, answers=interests_answers(lambda i: 5 if i.dimension == "R" else 1)
        )
    with freeze_time(start - timedelta(days=10)):
        services.interests_record(user=person, answers=interests_answers(lambda i: 3))
    services.values_record(user=person, answers=values_answers())

    profile = services.interest_profile_latest(user=person)

    assert profile == {"R": 100, "I": 0, "A": 0, "S": 0, "E": 0, "C": 0}
    assert list(profile) == ["R", "I", "A", "S", "E", "C"]
    other = member(Role.BENEFICIARY, person.memberships.get().organisation)
    assert services.interest_profile_latest(user=other) is None


def test_values_profile_latest_is_ranked(people):
    person = people["beneficiary"]
    assert services.values_profile_latest(user=person) is None
    services.values_record(user=person, answers=values_answers(lambda item: 1))
    services.values_record(
        user=person,
        answers=values_answers(
            lambda item: {"service": 5, "balance": 4, "autonomy": 4}.get(item.dimension, 2)
        ),
    )

    profile = services.values_profile_latest(user=person)

    assert profile == [
        ("service", 100),
        ("autonomy", 75),
        ("balance", 75),
        ("security", 25),
        ("expertise", 25),
        ("management", 25),
        ("challenge", 25),
        ("entrepreneurship", 25),
    ]


def test_reading_someone_elses_results_is_audited_ones_own_is_not(people, organisation):
    response = services.values_record(user=people["beneficiary"], answers=values_answers())

    services.inventory_results_read(
        actor=people["beneficiary"],
        person=people["beneficiary"],
        organisation=organisation,
        kind=Kind.VALUES,
        response=response,
    )
    services.inventory_results_read(
        actor=people["consultant"],
        person=people["beneficiary"],
        organisation=organisation,
        kind=Kind.VALUES,
    )

    event = AuditEvent.objects.get(action__endswith=".read")
    assert (event.action, event.actor, event.data) == (
        "inventory_history.read",
        people["consultant"],
        {"person_id": people["beneficiary"].pk, "kind": "values"},
    )
