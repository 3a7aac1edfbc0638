"""E-mail headers are built safely from any name (ADR 0011): a line break or a control
character typed in a name or a title no longer makes every e-mail about it fail, and plain
text subjects are not HTML-escaped."""

import pytest
from django.core import mail

from tests.bilans.synthesis_helpers import validated_synthesis
from tisser.accounts.services import invitation_create
from tisser.bilans import services as bilans
from tisser.bilans.models import Funding, SynthesisShare
from tisser.core.enums import Role
from tisser.core.mail import header_text
from tisser.meetings.notice_kinds import MeetingNotice
from tisser.notifications.delivery import notifications_deliver_due
from tisser.notifications.models import Channel, Notification
from tisser.notifications.services import notification_create

TYPED = "Zoé\nD'Arc\r\x00\x1b\u2028  Martin\t"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (TYPED, "Zoé D'Arc Martin"),
        ("Rencontre\x85du\x7fmardi", "Rencontre du mardi"),
        ("Déjà propre", "Déjà propre"),
    ],
)
def test_header_text_keeps_one_line(value, expected):
    assert header_text(value) == expected


def test_a_share_email_goes_out_whatever_the_beneficiary_typed_in_their_name(
    people, django_capture_on_commit_callbacks
):
    beneficiary = people["beneficiary"]
    beneficiary.first_name, beneficiary.last_name = "Zoé\nD'Arc", "Martin\r"
    beneficiary.save()
    bilan = bilans.bilan_open(
        consultant=people["consultant"], beneficiary=beneficiary, funding=Funding.CPF
    )
    document = validated_synthesis(bilan)
    recipient = bilans.ShareRecipient(
        name="Inès Martin",
        email="ines.martin@cep.example.org",
        role="Conseillère",
        organisation="CEP",
        purpose="Préparer mon dossier",
    )

    with django_capture_on_commit_callbacks(execute=True):
        issued = bilans.synthesis_share_create(
            beneficiary=beneficiary, document=document, recipient=recipient
        )

    [email] = [m for m in mail.outbox if m.to == [recipient.email]]
    assert email.subject.startswith("Zoé D'Arc Martin vous transmet")
    assert "&#x27;" not in email.subject
    assert SynthesisShare.objects.get(pk=issued.share.pk).email_sent_at is not None


def test_an_invitation_email_goes_out_whatever_the_organisation_is_called(
    people, django_capture_on_commit_callbacks
):
    consultant = people["consultant"]
    organisation = consultant.memberships.get().organisation
    organisation.name = "L'Atelier\ndes parcours"
    organisation.save()

    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(
            inviter=consultant,
            inviter_membership=consultant.memberships.get(),
            email="nouvelle@example.org",
            role=Role.BENEFICIARY,
            first_name="Camille",
        )

    [email] = [m for m in mail.outbox if m.to == ["nouvelle@example.org"]]
    assert email.subject == "Invitation à rejoindre L'Atelier des parcours sur Tisser"


def test_a_notice_about_a_name_with_a_line_break_is_sent(people, clock):
    notification_create(
        recipient=people["coordinator"],
        channel=Channel.EMAIL,
        kind=MeetingNotice.MEETING_CHANGED,
        idempotency_key="notice-header",
        subject="Rencontre déplacée : Groupe de\nZoé\r\nD'Arc",
        body="La rencontre a été déplacée.\n",
        url="/rencontres/1/",
    )

    report = notifications_deliver_due()

    assert report.sent == 1
    assert Notification.objects.get().status == Notification.Status.SENT
    assert mail.outbox[0].subject == "Rencontre déplacée : Groupe de Zoé D'Arc"
