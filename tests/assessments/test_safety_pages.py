"""The safety net's pages (docs/adr/0020-safety-net.md): the result page of a check with
strong felt isolation, the help page, "ma situation" and the request itself."""

import pytest
from django.urls import reverse

from tests.factories import member
from tisser.assessments import isolation, services
from tisser.assessments.models import IsolationCheck, SafetyConcern
from tisser.core.enums import Role
from tisser.core.models import AuditEvent
from tisser.notifications.models import Notification

Situation = SafetyConcern.Situation
SAFETY_NET = 'id="safety-net-title"'


def check_with_felt(user, felt: tuple[int, int, int, int]) -> IsolationCheck:
    answers = {item.id: 3 for item in isolation.ITEMS}
    answers |= dict(zip(("felt_1", "felt_2", "felt_3", "felt_4"), felt, strict=True))
    return services.isolation_check_record(user=user, moment="start", answers=answers)


def test_strong_felt_isolation_shows_where_to_turn_on_the_result(client, people):
    check = check_with_felt(people["beneficiary"], (4, 4, 2, 5))
    client.force_login(people["beneficiary"])

    html = client.get(reverse("assessments:isolation_result", args=[check.pk])).content.decode()

    assert SAFETY_NET in html
    assert 'href="#safety-net-title"' in html
    for text in ("médecin du travail", "R4624-34", "Mon soutien psy", "tel:3114", "tel:3928"):
        assert text in html
    # Occupational health first, the crisis line last.
    assert html.index('id="aide-occupational-health"') < html.index('id="aide-crisis"')
    # The small form is there too, unticked.
    assert 'name="consent"' in html and "checked" not in html.split('name="consent"')[1][:60]


def test_a_moderate_felt_isolation_shows_only_the_small_form(client, people):
    check = check_with_felt(people["beneficiary"], (4, 4, 3, 3))
    client.force_login(people["beneficiary"])

    html = client.get(reverse("assessments:isolation_result", args=[check.pk])).content.decode()

    assert SAFETY_NET not in html
    assert 'action="/aide/ma-situation/"' in html


def test_the_consultant_reading_the_result_sees_neither_the_net_nor_the_form(client, people):
    check = check_with_felt(people["beneficiary"], (5, 5, 1, 5))
    client.force_login(people["consultant"])

    html = client.get(reverse("assessments:isolation_result", args=[check.pk])).content.decode()

    assert SAFETY_NET not in html
    assert "/aide/ma-situation/" not in html


def test_the_help_page_is_open_to_everyone(client, people):
    html = client.get(reverse("safety:help")).content.decode()
    assert "3114" in html and "39 28" in html and "L1152-1" in html
    assert 'name="situation"' not in html

    client.force_login(people["coordinator"])
    assert 'name="situation"' not in client.get(reverse("safety:help")).content.decode()

    client.force_login(people["beneficiary"])
    html = client.get(reverse("safety:help")).content.decode()
    assert 'name="situation"' in html and 'name="consent"' in html


def test_every_page_links_to_the_help_page(client, people):
    client.force_login(people["beneficiary"])

    html = client.get(reverse("beneficiary:home")).content.decode()

    assert html.count('href="/aide/"') == 2  # the home, discreetly, and the footer


def test_without_consent_the_page_shows_harassment_first_and_stores_nothing(client, people):
    client.force_login(people["beneficiary"])

    response = client.post(
        reverse("safety:situation"),
        {"situation": Situation.HARASSMENT, "note": "Mon chef crie sur moi."},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Rien n'a été enregistré et personne n'a été prévenu." in html
    assert html.index('id="aide-harassment"') < html.index('id="aide-occupational-health"')
    assert "Mon chef crie sur moi." in html  # nothing typed is lost
    assert not SafetyConcern.objects.exists()
    assert not Notification.objects.exists()


def test_with_consent_the_consultant_is_told(client, people):
    client.force_login(people["beneficiary"])

    response = client.post(
        reverse("safety:situation"),
        {"situation": Situation.DISCRIMINATION, "note": "", "consent": "on"},
        follow=True,
    )

    concern = SafetyConcern.objects.get()
    assert concern.consultant == people["consultant"]
    assert response.redirect_chain == [(reverse("safety:situation"), 302)]
    html = response.content.decode()
    assert "Un message prévient" in html
    assert html.index('id="aide-discrimination"') < html.index('id="aide-harassment"')
    assert reverse("safety:concern", args=[concern.pk]) in html


def test_bad_input_is_flagged_next_to_the_field_and_kept(client, people):
    client.force_login(people["beneficiary"])
    long_note = "Trop long. " * 200

    response = client.post(reverse("safety:situation"), {"note": long_note, "consent": "on"})

    html = response.content.decode()
    assert 'role="alert"' in html
    assert 'id="id_situation_error"' in html and 'id="id_note_error"' in html
    assert long_note.strip() in html
    assert not SafetyConcern.objects.exists()


def test_the_consultant_reads_the_request_and_the_read_is_logged(client, people):
    concern = services.safety_concern_tell(
        user=people["beneficiary"],
        situation=Situation.TOXIC,
        note="Ambiance lourde.",
        consent=True,
    )
    client.force_login(people["consultant"])

    html = client.get(reverse("safety:concern", args=[concern.pk])).content.decode()

    assert "souhaite en parler avec vous" in html
    assert "Ambiance lourde." in html
    assert 'action="/aide/demandes/' not in html  # only its author withdraws it
    assert AuditEvent.objects.filter(action="safety_concern.read").exists()


@pytest.mark.parametrize("who", ["coordinator", "mentor", "colleague"])
def test_nobody_else_reads_the_request(client, people, organisation, who):
    concern = services.safety_concern_tell(
        user=people["beneficiary"], situation=Situation.HARASSMENT, consent=True
    )
    user = member(Role.CONSULTANT, organisation) if who == "colleague" else people[who]
    client.force_login(user)

    assert client.get(reverse("safety:concern", args=[concern.pk])).status_code == 404
    assert client.post(reverse("safety:concern_withdraw", args=[concern.pk])).status_code == 404
    assert SafetyConcern.objects.exists()


def test_the_author_withdraws_the_request(client, people):
    concern = services.safety_concern_tell(
        user=people["beneficiary"], situation=Situation.UNSAID, consent=True
    )
    client.force_login(people["beneficiary"])

    response = client.post(reverse("safety:concern_withdraw", args=[concern.pk]), follow=True)

    assert response.redirect_chain == [(reverse("safety:situation"), 302)]
    assert "Votre demande est retirée" in response.content.decode()
    assert not SafetyConcern.objects.exists()
    assert not Notification.objects.exists()
    client.force_login(people["consultant"])
    assert client.get(reverse("safety:concern", args=[concern.pk])).status_code == 404
