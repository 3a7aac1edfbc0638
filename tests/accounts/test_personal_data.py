import json
from datetime import timedelta

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from tests.bilans.helpers import advance_to, open_bilan
from tests.factories import member
from tests.mentoring.helpers import mentee_profile, mentor_profile
from tests.peers.helpers import peer_group
from tisser.bilans.models import Experience, Phase
from tisser.core.enums import Role
from tisser.core.models import AuditEvent
from tisser.meetings import services as meetings
from tisser.meetings.models import ActionItem, AgendaItem, Attendance, MeetingKind, MeetingMode
from tisser.meetings.services.feeds import calendar_feed_regenerate
from tisser.mentoring import services as mentoring
from tisser.mentoring.models import Mentorship, ProgressUpdate
from tisser.network import services as network
from tisser.network.models import Contact, HowKnown
from tisser.notifications.models import Notification
from tisser.peers.models import Commitment


def test_the_archive_holds_the_account_the_bilan_tools_and_the_network(client, people):
    person = people["beneficiary"]
    bilan = advance_to(open_bilan(people["consultant"], person), Phase.INVESTIGATION)
    Experience.objects.create(
        bilan=bilan, kind=Experience.Kind.JOB, title="Comptable", started_on="2015-01-01"
    )
    network.contact_create(
        owner=person, data=network.ContactData(last_name="Martin", how_known=HowKnown.ALUMNI)
    )
    client.force_login(person)

    response = client.get(reverse("account:data_export"))

    assert response["Content-Disposition"].startswith('attachment; filename="mes-donnees-tisser-')
    data = json.loads(response.getvalue())
    assert data["account"]["email"] == person.email
    assert data["bilans"][0]["experiences"][0]["title"] == "Comptable"
    assert data["bilans"][0]["consent"]["text_version"]
    assert data["network"]["contacts"][0]["last_name"] == "Martin"
    assert AuditEvent.objects.filter(action="personal_data.export").exists()


def test_the_network_is_erased_only_once_confirmed(client, people):
    person = people["beneficiary"]
    network.contact_create(
        owner=person, data=network.ContactData(last_name="Martin", how_known=HowKnown.ALUMNI)
    )
    client.force_login(person)
    assert (
        "Effacer mon réseau professionnel"
        in client.get(reverse("account:profile")).content.decode()
    )

    client.post(reverse("account:network_erase"))
    assert Contact.objects.count() == 1

    response = client.post(reverse("account:network_erase"), {"confirm": "1"}, follow=True)

    assert Contact.objects.count() == 0
    assert "Votre réseau professionnel est effacé (1 contact)." in response.content.decode()


def test_the_archive_holds_the_mentoring_and_the_peer_groups(client, people, organisation):
    person = people["beneficiary"]
    mentee_profile(organisation, user=person, wishes="Comprendre le métier de libraire.")
    mentorship = mentoring.mentorship_start(
        mentee=person,
        mentor=mentor_profile(organisation),
        origin=Mentorship.Origin.ROUND,
        by=people["coordinator"],
    )
    mentoring.progress_update_post(
        actor=person,
        mentorship=mentorship,
        kind=ProgressUpdate.Kind.UPDATE,
        text="J'ai rencontré deux libraires.",
    )
    group = peer_group(
        organisation,
        [person, member(Role.BENEFICIARY, organisation), member(Role.BENEFICIARY, organisation)],
        coordinator=people["coordinator"],
    )
    Commitment.objects.create(
        group=group,
        user=person,
        period_start="2026-12-07",
        period_end="2026-12-13",
        text="Appeler la librairie du quartier",
    )
    client.force_login(person)

    data = json.loads(client.get(reverse("account:data_export")).getvalue())

    assert data["mentoring"]["needs"][0]["wishes"] == "Comprendre le métier de libraire."
    assert data["mentoring"]["mentorships"][0]["my_messages"][0]["text"].startswith("J'ai")
    assert data["peer_groups"]["groups"][0]["group__name"] == group.name
    assert data["peer_groups"]["commitments"][0]["text"] == "Appeler la librairie du quartier"


def test_the_archive_holds_the_meetings_and_the_notifications(client, people, organisation):
    """What the person wrote or was recorded at meetings, and the messages sent to them
    (issue 13: both were missing from "Mes données")."""
    person, consultant = people["beneficiary"], people["consultant"]
    series = meetings.series_create(
        organiser=consultant,
        organisation=organisation,
        kind=MeetingKind.OTHER,
        title="Entretiens de bilan",
        participants=[person],
        first_start=timezone.now() + timedelta(days=2),
        duration_minutes=60,
        rrule="FREQ=WEEKLY;COUNT=2",
        mode=MeetingMode.VIDEO,
        location="https://visio.example.org/salle-12",
    )
    occurrence = series.occurrences.order_by("start").first()
    AgendaItem.objects.create(
        occurrence=occurrence, author=person, kind=AgendaItem.Kind.BLOCKER, text="Mon CV bloque"
    )
    ActionItem.objects.create(
        series=series,
        occurrence=occurrence,
        owner=person,
        created_by=consultant,
        text="Relire la fiche métier",
    )
    Attendance.objects.create(
        occurrence=occurrence, user=person, status=Attendance.Status.PRESENT, recorded_by=consultant
    )
    Notification.objects.create(
        recipient=person,
        channel="in_app",
        kind="meeting_reminder",
        idempotency_key="archive-test",
        subject="Rencontre demain",
        body="Votre entretien a lieu demain.",
        scheduled_for=timezone.now(),
    )
    client.force_login(person)

    data = json.loads(client.get(reverse("account:data_export")).getvalue())

    assert data["meetings"]["series"][0]["series__title"] == "Entretiens de bilan"
    assert data["meetings"]["agenda_items"][0]["text"] == "Mon CV bloque"
    assert data["meetings"]["actions"][0] | {"created_at": None} == {
        "series": "Entretiens de bilan",
        "text": "Relire la fiche métier",
        "due_on": None,
        "done_at": None,
        "mine": True,
        "given_by_me": False,
        "created_at": None,
    }
    assert data["meetings"]["attendance"][0]["status"] == Attendance.Status.PRESENT
    assert data["notifications"]["messages"][0]["subject"] == "Rencontre demain"
    # The consultant's archive has the series they organised, not the person's agenda item.
    client.force_login(consultant)
    theirs = json.loads(client.get(reverse("account:data_export")).getvalue())
    assert theirs["meetings"]["organised"][0]["title"] == "Entretiens de bilan"
    assert theirs["meetings"]["agenda_items"] == []
    assert theirs["meetings"]["actions"][0]["given_by_me"] is True


def test_the_archive_never_holds_a_secret(client, people):
    """Two-factor methods are listed without their key; the calendar feed without its token."""
    person = people["consultant"]  # staff: two-factor is already set up
    raw_feed_token = calendar_feed_regenerate(user=person)
    totp_key = Authenticator.objects.get(user=person, type=Authenticator.Type.TOTP).data["secret"]
    client.force_login(person)

    data = json.loads(client.get(reverse("account:data_export")).getvalue())

    assert "totp" in [method["type"] for method in data["account"]["two_factor"]]
    assert set(data["meetings"]["calendar_feed"]) == {"created_at", "last_fetched_at"}
    archive = json.dumps(data)
    assert totp_key not in archive and raw_feed_token not in archive
    assert "secret" not in archive and "token" not in archive


def test_the_archive_says_what_its_codes_mean(client, people):
    # Walk finding: the archive showed "project_defined" or "video" with nothing to read them by.
    person = people["beneficiary"]
    network.contact_create(
        owner=person, data=network.ContactData(last_name="Martin", how_known=HowKnown.ALUMNI)
    )
    client.force_login(person)

    data = json.loads(client.get(reverse("account:data_export")).getvalue())

    assert data["network"]["contacts"][0]["how_known"] == HowKnown.ALUMNI  # the code stays
    codes = data["lexique"]["codes"]
    assert codes["network.Contact"]["how_known"][HowKnown.ALUMNI] == str(HowKnown.ALUMNI.label)
    assert codes["bilans.Bilan"]["funding"]["cpf"] == "Compte personnel de formation (CPF)"
    # the notices' kinds, a registry of their own, are explained too
    assert codes["notifications.Notification"]["kind"]["meeting_reminder"]
    # and which models each section of the archive is made of
    assert "network.Contact" in data["lexique"]["sections"]["network"]
    # in the language the person chose
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    data = json.loads(client.get(reverse("account:data_export")).getvalue())
    with translation.override("en"):
        english = str(HowKnown.ALUMNI.label)
    assert english == "Alumni network"
    assert data["lexique"]["codes"]["network.Contact"]["how_known"][HowKnown.ALUMNI] == english
