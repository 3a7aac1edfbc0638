"""The registry of notice kinds: each app declares its kinds, the outbox validates against it,
and a new kind needs no migration of the notifications app."""

import pytest
from django.core.exceptions import ValidationError
from django.db.models import TextChoices
from django.utils import timezone

from tisser.notifications import kinds
from tisser.notifications.delivery import Outcome, notification_deliver_one
from tisser.notifications.models import Channel, Notification
from tisser.notifications.services import notification_create

# Every kind the outbox knew when its kinds were one TextChoices of the notifications app
# (migration 0004): none may be lost when the apps declare their own.
KINDS_BEFORE_THE_REGISTRY = {
    "agenda_reminder",
    "meeting_reminder",
    "notes_reminder",
    "meeting_changed",
    "meeting_cancelled",
    "daily_digest",
    "inactivity_nudge",
    "inactivity_alert",
    "synthesis_submitted",
    "synthesis_returned",
    "synthesis_validated",
    "followup_proposed",
    "satisfaction_reminder",
    "isolation_check_reminder",
    "network_follow_up",
    "network_thank",
    "network_ask_referral",
    "mentor_profile_submitted",
    "mentor_profile_reviewed",
    "mentoring_request",
    "mentoring_request_reminder",
    "mentoring_request_answered",
    "mentoring_started",
    "mentoring_update",
    "mentoring_feedback_due",
    "mentoring_inactive",
    "peer_group_proposed",
    "peer_group_changed",
    "peer_repair_proposed",
    "peer_checkin_reminder",
    "peer_commitment_nudge",
    "peer_reciprocity_nudge",
    "peer_group_fading",
    # declared since the registry (each app its own):
    "consent_withdrawn",
}


class ExampleNotice(TextChoices):
    WELCOME = "example_welcome", "Bienvenue"


@pytest.fixture
def example_kind(monkeypatch):
    """An app declaring one more kind; the registry is restored afterwards."""
    monkeypatch.setattr(kinds, "_registry", dict(kinds._registry))
    kinds.register(ExampleNotice)
    return ExampleNotice.WELCOME


# Kinds declared since, each by its app.
KINDS_SINCE = {
    "safety_concern",  # assessments: a person asks their consultant to talk (ADR 0020)
    "cpf_deadline",  # bilans: an entry or exit to declare to the CPF (ADR 0017)
    "convention_deadline",  # bilans: the ten days to sign the convention (ADR 0016)
    "bilan_consultant_changed",  # bilans: a bilan handed over to another consultant (ADR 0021)
    "peer_promotion_set",  # peers: a request for a group waits for the next formation (ADR 0023)
    "mentoring_paused",  # mentoring: a mentorship paused or resumed (ADR 0025)
    "mentoring_ended",  # mentoring: the coordination told a member ended one (ADR 0025)
    "complaint_received",  # quality: a complaint or difficulty for the coordination (ADR 0034)
    "complaint_follow_up",  # quality: its author told of its follow-up (ADR 0034)
}


def test_the_apps_declare_every_kind_the_outbox_knew():
    assert {kind.value for kind in kinds.notice_kinds()} == KINDS_BEFORE_THE_REGISTRY | KINDS_SINCE


def test_the_digest_gathers_the_meeting_reminders():
    assert kinds.digest_kinds() == ["agenda_reminder", "meeting_reminder", "notes_reminder"]


def test_the_kind_field_keeps_no_choices_in_the_schema():
    assert not Notification._meta.get_field("kind").choices


def test_a_new_kind_is_written_and_delivered_once_registered(example_kind, people):
    # when an app that registered a kind puts a message in the outbox
    notification = notification_create(
        recipient=people["beneficiary"],
        channel=Channel.IN_APP,
        kind=example_kind,
        idempotency_key="example:1",
        subject="Bonjour",
        body="Bienvenue.\n",
    )

    # then it is delivered like any other, and reads with the app's label
    assert notification_deliver_one(notification_id=notification.pk) == Outcome.SENT
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.get_kind_display() == "Bienvenue"


def test_an_undeclared_kind_is_refused_when_written(people):
    with pytest.raises(LookupError, match="example_welcome"):
        notification_create(
            recipient=people["beneficiary"],
            channel=Channel.IN_APP,
            kind="example_welcome",
            idempotency_key="example:2",
            subject="Bonjour",
            body="",
        )
    assert not Notification.objects.filter(idempotency_key="example:2").exists()


def test_an_undeclared_kind_fails_validation_in_french(people):
    notification = Notification(
        recipient=people["beneficiary"],
        channel=Channel.IN_APP,
        kind="example_welcome",
        idempotency_key="example:3",
        subject="Bonjour",
        body="",
        scheduled_for=timezone.now(),
    )

    with pytest.raises(ValidationError) as error:
        notification.full_clean()

    assert error.value.message_dict["kind"] == ["Type de notification inconnu : example_welcome"]


def test_two_apps_cannot_claim_one_kind(example_kind):
    class Clash(TextChoices):
        WELCOME = "example_welcome", "Autre chose"

    with pytest.raises(kinds.ImproperlyRegistered):
        kinds.register(Clash)


def test_an_old_row_of_a_kind_nobody_declares_any_more_still_reads(people):
    notification = Notification(recipient=people["beneficiary"], kind="retired_kind")

    assert notification.get_kind_display() == "retired_kind"
