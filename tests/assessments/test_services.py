import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import OrganisationFactory, member
from tisser.assessments import isolation, services
from tisser.assessments.models import IsolationCheck
from tisser.core.enums import Role
from tisser.core.models import AuditEvent

Moment = IsolationCheck.Moment


def all_answers(value: int = 3) -> dict[str, int]:
    return {item.id: value for item in isolation.ITEMS}


def record(user, moment=Moment.START, value=3) -> IsolationCheck:
    return services.isolation_check_record(user=user, moment=moment, answers=all_answers(value))


def test_a_beneficiary_records_a_check(people, organisation):
    check = record(people["beneficiary"])

    check.refresh_from_db()
    assert check.user == people["beneficiary"]
    assert check.organisation == organisation
    assert check.moment == Moment.START
    # Recorded without the questions on loneliness (by code): the 16 items' version.
    assert check.version == "isolement-2026-1"
    assert check.answers == all_answers(3)
    assert check.scores == isolation.score(all_answers(3))
    event = AuditEvent.objects.get(action="isolation_check.record")
    assert (event.actor, event.organisation, event.target_id) == (
        people["beneficiary"],
        organisation,
        str(check.pk),
    )


@pytest.mark.parametrize("role", ["consultant", "mentor", "coordinator"])
def test_only_a_beneficiary_takes_the_check(people, role):
    with pytest.raises(PermissionDenied):
        record(people[role])
    assert not IsolationCheck.objects.exists()


def test_an_inactive_beneficiary_cannot(people):
    people["beneficiary"].memberships.update(is_active=False)

    with pytest.raises(PermissionDenied):
        record(people["beneficiary"])


@pytest.mark.parametrize(
    ("change", "bad_items"),
    [
        (lambda a: a.pop("felt_4"), {"felt_4"}),
        (lambda a: a.update(remote_1=0, culture_2=6), {"remote_1", "culture_2"}),
        (lambda a: a.update(workload_3="3"), {"workload_3"}),
        (lambda a: a.update(management_1=True), {"management_1"}),
    ],
)
def test_every_item_must_be_answered_from_1_to_5(people, change, bad_items):
    answers = all_answers()
    change(answers)

    with pytest.raises(ValidationError) as caught:
        services.isolation_check_record(
            user=people["beneficiary"], moment=Moment.START, answers=answers
        )

    assert set(caught.value.message_dict) == bad_items
    assert all("Choisissez une réponse" in m[0] for m in caught.value.message_dict.values())
    assert not IsolationCheck.objects.exists()


def test_unknown_items_and_moments_are_refused(people):
    with pytest.raises(ValidationError) as caught:
        services.isolation_check_record(
            user=people["beneficiary"], moment=Moment.END, answers={**all_answers(), "x": 3}
        )
    assert "Réponses inconnues" in caught.value.message_dict["__all__"][0]

    with pytest.raises(ValidationError) as caught:
        services.isolation_check_record(
            user=people["beneficiary"], moment="plus_tard", answers=all_answers()
        )
    assert "moment" in caught.value.message_dict


def test_visible_to_the_person_and_the_consultant_who_invited_them(people, organisation):
    check = record(people["beneficiary"])
    other_consultant = member(Role.CONSULTANT, organisation)
    elsewhere = member(Role.CONSULTANT, OrganisationFactory())

    def sees(user) -> bool:
        return IsolationCheck.objects.visible_to(user).filter(pk=check.pk).exists()

    assert sees(people["beneficiary"])
    assert sees(people["consultant"])
    assert not sees(people["coordinator"])  # aggregates only, later
    assert not sees(people["mentor"])
    assert not sees(other_consultant)
    assert not sees(elsewhere)
    assert not IsolationCheck.objects.visible_to(people["beneficiary"]).exclude(
        user=people["beneficiary"]
    )


def test_the_consultant_no_longer_sees_once_the_membership_ends(people):
    check = record(people["beneficiary"])
    people["beneficiary"].memberships.update(is_active=False)

    assert not IsolationCheck.objects.visible_to(people["consultant"]).filter(pk=check.pk)


def test_another_beneficiary_does_not_see_it(people, organisation):
    record(people["beneficiary"])
    peer = member(Role.BENEFICIARY, organisation, invited_by=people["consultant"])

    assert not IsolationCheck.objects.visible_to(peer).exists()


def test_the_questions_on_loneliness_are_stored_with_their_scores_and_version(people):
    research = {"lonely_frequency": 4, "loneliness_1": 3, "loneliness_2": 2, "loneliness_3": 3}

    with_frequency = services.isolation_check_record(
        user=people["beneficiary"],
        moment=Moment.START,
        answers=all_answers() | {"lonely_frequency": 2},
    )
    with_scale = services.isolation_check_record(
        user=people["beneficiary"], moment=Moment.END, answers=all_answers() | research
    )

    assert with_frequency.version == isolation.VERSION == "isolement-2026-2"
    assert with_frequency.scores == isolation.score(all_answers()) | {"lonely_frequency": 2}
    assert with_scale.version == "isolement-2026-3"
    assert with_scale.answers == all_answers() | research
    assert with_scale.scores[isolation.LONELY_FREQUENCY] == 4
    assert with_scale.scores[isolation.LONELINESS_SCALE] == 8
    event = AuditEvent.objects.get(action="isolation_check.record", target_id=str(with_scale.pk))
    assert event.data["version"] == "isolement-2026-3"


@pytest.mark.parametrize(
    ("research", "bad"),
    [
        ({"lonely_frequency": 0}, {"lonely_frequency"}),
        ({"lonely_frequency": 6}, {"lonely_frequency"}),
        ({"lonely_frequency": "3"}, {"lonely_frequency"}),
        ({"lonely_frequency": True}, {"lonely_frequency"}),
        # The short scale is answered whole, with the direct question.
        ({"lonely_frequency": 3, "loneliness_1": 2}, {"loneliness_2", "loneliness_3"}),
        ({"loneliness_1": 1, "loneliness_2": 1, "loneliness_3": 1}, {"lonely_frequency"}),
        (
            {"lonely_frequency": 3, "loneliness_1": 4, "loneliness_2": 0, "loneliness_3": 2},
            {"loneliness_1", "loneliness_2"},
        ),
    ],
)
def test_the_questions_on_loneliness_are_checked(people, research, bad):
    with pytest.raises(ValidationError) as caught:
        services.isolation_check_record(
            user=people["beneficiary"], moment=Moment.START, answers=all_answers() | research
        )

    assert set(caught.value.message_dict) == bad
    assert all("Choisissez une réponse" in m[0] for m in caught.value.message_dict.values())
    assert not IsolationCheck.objects.exists()
