"""The safety net's rules (docs/adr/0020-safety-net.md): the threshold read from the
instrument's own bands, and telling one's consultant only with an explicit agreement."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from freezegun import freeze_time

from tests.factories import OrganisationFactory, member
from tisser.accounts.models import Membership
from tisser.assessments import isolation, safety, services
from tisser.assessments.models import SafetyConcern
from tisser.assessments.notice_kinds import AssessmentNotice
from tisser.bilans.models import Funding
from tisser.bilans.services import bilan_open
from tisser.core.enums import Role
from tisser.core.models import AuditEvent
from tisser.core.personal_data import personal_data_export
from tisser.notifications.delivery import notification_deliver_one
from tisser.notifications.models import Channel, Notification

Situation = SafetyConcern.Situation


def felt_answers(felt_1, felt_2, felt_3, felt_4) -> dict[str, int]:
    answers = {item.id: 3 for item in isolation.ITEMS}
    return answers | {"felt_1": felt_1, "felt_2": felt_2, "felt_3": felt_3, "felt_4": felt_4}


# -- threshold ------------------------------------------------------------------------------


def test_the_safety_net_reads_the_felt_dimension_of_the_instrument():
    assert isolation.SAFETY_NET_DIMENSION in isolation.DIMENSION_IDS


@pytest.mark.parametrize(
    ("felt", "expected"),
    [
        (isolation.HIGH_FROM, True),
        (isolation.HIGH_FROM - 1, False),
        (100, True),
        (0, False),
    ],
)
def test_strong_felt_isolation_is_the_high_band_of_the_felt_dimension(felt, expected):
    assert isolation.shows_strong_felt_isolation({"felt": felt, "overall": 0}) is expected


def test_a_high_overall_score_alone_does_not_open_the_safety_net():
    # Working conditions can weigh without the person feeling alone.
    assert not isolation.shows_strong_felt_isolation({"felt": 40, "overall": 90})
    assert not isolation.shows_strong_felt_isolation({"overall": 90})


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ((4, 4, 2, 5), True),  # 81: "Très présent"
        ((4, 4, 2, 4), True),  # 75
        ((4, 4, 3, 3), False),  # 63: "Présent par moments"
        ((1, 1, 5, 1), False),
    ],
)
def test_the_threshold_on_real_answers(answers, expected):
    scores = isolation.score(felt_answers(*answers))
    assert isolation.shows_strong_felt_isolation(scores) is expected


# -- resources ------------------------------------------------------------------------------


@pytest.mark.parametrize("context", list(safety.Context))
def test_every_context_ends_with_the_crisis_line_and_has_an_intro(context):
    resources = safety.resources_for(context)
    assert resources[-1] is safety.CRISIS
    assert list(resources).count(safety.CRISIS) == 1
    assert context in safety.INTROS


def test_harassment_comes_first_when_the_person_speaks_of_harassment():
    assert safety.resources_for(Situation.HARASSMENT)[0] is safety.HARASSMENT
    assert safety.resources_for(Situation.DISCRIMINATION)[0] is safety.DISCRIMINATION
    assert safety.resources_for(safety.Context.ISOLATION)[0] is safety.OCCUPATIONAL_HEALTH


def test_every_situation_has_its_resources():
    for situation in Situation.values:
        assert safety.resources_for(situation)


# -- telling the consultant -----------------------------------------------------------------


def tell(user, situation=Situation.HARASSMENT, note="", consent=True) -> SafetyConcern:
    return services.safety_concern_tell(user=user, situation=situation, note=note, consent=consent)


def test_with_consent_the_inviting_consultant_is_told_without_the_note(people, organisation):
    beneficiary, consultant = people["beneficiary"], people["consultant"]

    concern = tell(beneficiary, note="Mon responsable me rabaisse en réunion.")

    concern.refresh_from_db()
    assert (concern.user, concern.consultant, concern.organisation) == (
        beneficiary,
        consultant,
        organisation,
    )
    assert concern.situation == Situation.HARASSMENT
    assert concern.note == "Mon responsable me rabaisse en réunion."
    notices = Notification.objects.filter(kind=AssessmentNotice.SAFETY_CONCERN)
    assert {(n.recipient, n.channel) for n in notices} == {
        (consultant, Channel.IN_APP),
        (consultant, Channel.EMAIL),
    }
    name = beneficiary.get_full_name()
    for notice in notices:
        assert notice.subject == f"{name} souhaite en parler avec vous"
        for text in (notice.subject, notice.body):
            assert "rabaisse" not in text
            assert "harcèlement" not in text.lower()
        assert notice.url == f"/aide/demandes/{concern.pk}/"
    event = AuditEvent.objects.get(action="safety_concern.tell")
    assert event.data == {"consultant_id": consultant.pk}
    assert "rabaisse" not in str(event.data)


def test_the_email_leaves_with_the_name_only(people):
    concern = tell(people["beneficiary"], note="Des remarques sur mes origines.")
    email = Notification.objects.get(channel=Channel.EMAIL)

    assert notification_deliver_one(notification_id=email.pk).value == "sent"

    (message,) = mail.outbox
    assert message.to == [people["consultant"].email]
    assert "origines" not in message.body + message.subject
    assert f"/aide/demandes/{concern.pk}/" in message.body


def test_without_consent_nothing_is_stored_and_nobody_is_told(people):
    with pytest.raises(ValidationError) as error:
        tell(people["beneficiary"], note="Je ne veux pas qu'on le sache.", consent=False)

    assert "consent" in error.value.message_dict
    assert not SafetyConcern.objects.exists()
    assert not Notification.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="safety_concern").exists()


def test_no_other_person_is_told_never_the_coordinator(people, organisation):
    colleague = member(Role.CONSULTANT, organisation)

    tell(people["beneficiary"])

    recipients = set(Notification.objects.values_list("recipient", flat=True))
    assert recipients == {people["consultant"].pk}
    assert people["coordinator"].pk not in recipients and colleague.pk not in recipients


def test_a_person_without_a_consultant_cannot_tell_anyone(organisation):
    alone = member(Role.BENEFICIARY, organisation)

    assert services.safety_consultant_of(alone) is None
    with pytest.raises(ValidationError) as error:
        tell(alone)
    assert "__all__" in error.value.message_dict
    assert not SafetyConcern.objects.exists()


def test_a_consultant_who_left_the_organisation_is_not_told(people):
    Membership.objects.filter(user=people["consultant"]).update(is_active=False)

    assert services.safety_consultant_of(people["beneficiary"]) is None
    with pytest.raises(ValidationError):
        tell(people["beneficiary"])


@pytest.mark.parametrize("role", ["consultant", "mentor", "coordinator"])
def test_only_a_beneficiary_may_tell(people, role):
    with pytest.raises(PermissionDenied):
        tell(people[role])


def test_bad_input_is_refused_field_by_field(people):
    with pytest.raises(ValidationError) as error:
        tell(people["beneficiary"], situation="other", note="x" * 2001)

    assert set(error.value.message_dict) == {"situation", "note"}
    assert not SafetyConcern.objects.exists()


def test_a_new_request_replaces_the_previous_one(people):
    first = tell(people["beneficiary"], note="Premier message")
    second = tell(people["beneficiary"], situation=Situation.TOXIC)

    assert list(SafetyConcern.objects.all()) == [second]
    keys = set(Notification.objects.values_list("idempotency_key", flat=True))
    assert not any(key.startswith(f"safety:concern{first.pk}:") for key in keys)


def test_withdrawing_deletes_the_request_and_its_notices(people):
    concern = tell(people["beneficiary"], note="Je préfère attendre.")

    services.safety_concern_withdraw(actor=people["beneficiary"], concern=concern)

    assert not SafetyConcern.objects.exists()
    assert not Notification.objects.filter(kind=AssessmentNotice.SAFETY_CONCERN).exists()
    assert AuditEvent.objects.filter(action="safety_concern.withdraw").exists()


def test_a_notice_still_waiting_is_cancelled_once_its_request_is_gone(people):
    concern = tell(people["beneficiary"])
    email = Notification.objects.get(channel=Channel.EMAIL)
    # Gone some other way than withdrawal (an erased person): the notice must not leave.
    SafetyConcern.objects.filter(pk=concern.pk).delete()

    assert notification_deliver_one(notification_id=email.pk).value == "cancelled"
    assert mail.outbox == []


@pytest.mark.parametrize("role", ["consultant", "coordinator", "mentor"])
def test_only_its_author_withdraws_a_request(people, role):
    concern = tell(people["beneficiary"])

    with pytest.raises(PermissionDenied):
        services.safety_concern_withdraw(actor=people[role], concern=concern)
    assert SafetyConcern.objects.exists()


def test_the_request_is_visible_to_its_author_and_their_consultant_only(people, organisation):
    concern = tell(people["beneficiary"])
    colleague = member(Role.CONSULTANT, organisation)
    elsewhere = member(Role.COORDINATOR, OrganisationFactory())

    def sees(user):
        return SafetyConcern.objects.visible_to(user).filter(pk=concern.pk).exists()

    assert sees(people["beneficiary"]) and sees(people["consultant"])
    for user in (people["coordinator"], people["mentor"], colleague, elsewhere):
        assert not sees(user)
    # A consultant who is no longer the person's consultant no longer sees it.
    Membership.objects.filter(user=people["beneficiary"]).update(consultant=colleague)
    assert not sees(people["consultant"]) and not sees(colleague)


def test_requests_are_deleted_after_their_retention(people, settings):
    settings.TISSER_SAFETY_CONCERN_DAYS = 90
    start = timezone.now()
    with freeze_time(start - timedelta(days=91)):
        old = tell(people["beneficiary"])
    other = member(
        Role.BENEFICIARY,
        people["consultant"].memberships.get().organisation,
        invited_by=people["consultant"],
    )
    with freeze_time(start - timedelta(days=89)):
        recent = tell(other)

    with freeze_time(start):
        assert services.safety_concerns_expire() == 1

    assert list(SafetyConcern.objects.all()) == [recent]
    assert not Notification.objects.filter(
        idempotency_key__startswith=f"safety:concern{old.pk}:"
    ).exists()


def test_the_archive_holds_what_the_person_said(people):
    tell(people["beneficiary"], situation=Situation.TOXIC, note="Ambiance lourde.")

    archive = personal_data_export(user=people["beneficiary"])

    (entry,) = archive["safety_concerns"]
    assert entry["note"] == "Ambiance lourde."
    assert entry["situation"] == str(Situation.TOXIC.label)
    assert personal_data_export(user=people["consultant"])["safety_concerns"] == []


def test_the_consultant_told_is_the_one_running_the_open_bilan(people):
    # Only the inviting consultant can open the bilan (ADR 0003): "their consultant" is one
    # person, whom the assessments layer reaches through the membership.
    bilan = bilan_open(
        consultant=people["consultant"], beneficiary=people["beneficiary"], funding=Funding.CPF
    )

    assert tell(people["beneficiary"]).consultant == bilan.consultant
