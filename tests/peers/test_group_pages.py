"""A participant's peer group pages: the hub, the preferences form, the group page, accepting
and leaving, the charter, preparing a meeting. What the pages show (first names, never last
names nor the private attribute) and to whom (current members only)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.factories import member
from tests.peers.helpers import peer_group, peer_profile
from tisser.core.audit import AuditEvent
from tisser.core.enums import Role
from tisser.meetings.models import AgendaItem, Occurrence
from tisser.notifications.models import Channel, Notification
from tisser.peers import services
from tisser.peers.models import Charter, PeerGroupMember, PeerMode, PeerProfile
from tisser.peers.notice_kinds import PeerNotice

GRID_TUESDAY_EVENING = "1-2"


def group_of(organisation, size=3, **kwargs):
    users = [member(Role.BENEFICIARY, organisation) for _ in range(size)]
    for index, user in enumerate(users):
        # Names the pages are searched for: distinct, and none inside another (Faker's first
        # names could repeat, and "Anne" is in "Marie-Anne").
        user.first_name = f"Prénom{chr(ord('A') + index)}"
        user.last_name = f"Nomdefamille{index}"
        user.save()
        peer_profile(
            organisation,
            user=user,
            attribute="parent solo",
            introduction=f"Présentation numéro {index}.",
        )
    return peer_group(organisation, users, **kwargs), users


def next_occurrence(group) -> Occurrence:
    return (
        Occurrence.objects.filter(series=group.series, start__gt=timezone.now())
        .order_by("start")
        .first()
    )


def preferences_post(**fields) -> dict:
    data = {
        "seeking": "on",
        "availability": [GRID_TUESDAY_EVENING],
        "stage": "exploring",
        "project_type": "reconversion",
        "rhythm": "weekly",
        "mode": "video",
        "languages": ["fr"],
        "introduction": "Je me reconvertis dans le paysage.",
        "version": "0",
    }
    data.update(fields)
    return data


# -- hub and preferences ---------------------------------------------------------------------------


def test_the_hub_invites_to_give_preferences_then_lists_the_groups(
    client, organisation, django_assert_max_num_queries
):
    group, _users = group_of(organisation)
    newcomer = member(Role.BENEFICIARY, organisation)
    client.force_login(newcomer)

    empty = client.get(reverse("peers:home"))
    PeerGroupMember.objects.create(group=group, user=newcomer, position=3)
    peer_profile(organisation, user=newcomer)
    for name in ("Deux", "Trois"):
        other, _users = group_of(organisation, name=name)
        PeerGroupMember.objects.create(
            group=other, user=newcomer, status=PeerGroupMember.Status.ACCEPTED, position=3
        )
    with django_assert_max_num_queries(12):
        listed = client.get(reverse("peers:home"))

    assert "Donner mes préférences" in empty.content.decode()
    page = listed.content.decode()
    assert "Un groupe vous est proposé" in page and group.name in page
    assert "Deux" in page and "Trois" in page


def test_the_hub_says_where_a_request_for_a_group_stands(client, organisation):
    newcomer = member(Role.BENEFICIARY, organisation)
    profile = peer_profile(organisation, user=newcomer)
    client.force_login(newcomer)

    no_promotion = client.get(reverse("peers:home")).content.decode()
    PeerProfile.objects.filter(pk=profile.pk).update(cohort="Hiver")
    waiting = client.get(reverse("peers:home")).content.decode()
    PeerProfile.objects.filter(pk=profile.pk).update(seeking=False)
    not_seeking = client.get(reverse("peers:home")).content.decode()

    assert "Votre demande de groupe" in no_promotion
    assert "rattacher à une promotion" in no_promotion
    assert "promotion « Hiver »" in waiting and "prochaine formation" in waiting
    assert "Votre demande de groupe" not in not_seeking


def test_preferences_are_saved_from_the_form(client, organisation):
    user = member(Role.BENEFICIARY, organisation)
    client.force_login(user)

    page = client.get(reverse("peers:preferences"))
    response = client.post(reverse("peers:preferences"), preferences_post())

    assert page.status_code == 200 and 'name="availability"' in page.content.decode()
    assert response.status_code == 302
    profile = PeerProfile.objects.get(user=user)
    assert profile.availability and profile.introduction.startswith("Je me reconvertis")


def test_in_person_without_a_departement_is_an_error_next_to_the_field(client, organisation):
    client.force_login(member(Role.BENEFICIARY, organisation))

    response = client.post(reverse("peers:preferences"), preferences_post(mode=PeerMode.IN_PERSON))

    assert response.status_code == 400
    assert 'id="id_departement_error"' in response.content.decode()


def test_preferences_saved_meanwhile_answer_409_and_keep_what_was_typed(client, organisation):
    user = member(Role.BENEFICIARY, organisation)
    peer_profile(organisation, user=user)
    client.force_login(user)

    response = client.post(
        reverse("peers:preferences"),
        preferences_post(introduction="Mon texte tapé dans l'autre onglet", version="0"),
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert "modifiées entre-temps" in page and "Mon texte tapé dans l&#x27;autre onglet" in page
    assert 'name="version" value="1"' in page


# -- the group page --------------------------------------------------------------------------------


def test_members_see_first_names_and_introductions_never_last_names_nor_the_attribute(
    client, organisation, django_assert_max_num_queries
):
    group, users = group_of(organisation, size=5)
    client.force_login(users[0])

    with django_assert_max_num_queries(16):
        response = client.get(reverse("peers:group", args=[group.pk]))

    page = response.content.decode()
    for index, user in enumerate(users):
        assert user.first_name in page and f"Présentation numéro {index}." in page
        assert user.last_name not in page
    assert "parent solo" not in page
    occurrence = next_occurrence(group)
    assert reverse("meetings:occurrence", args=[occurrence.pk]) in page
    assert reverse("peers:prepare", args=[group.pk, occurrence.pk]) in page
    assert f"/groupes/{group.pk}/engagements/" in page and f"/groupes/{group.pk}/entraide/" in page


def test_the_group_page_names_who_facilitates_the_next_meeting(client, organisation):
    group, users = group_of(organisation)
    client.force_login(users[1])

    page = client.get(reverse("peers:group", args=[group.pk])).content.decode()

    assert "Animation :" in page and users[0].first_name in page


def test_the_coordination_and_outsiders_get_a_404(client, organisation):
    group, _users = group_of(organisation)

    for user in (member(Role.COORDINATOR, organisation), member(Role.BENEFICIARY, organisation)):
        client.force_login(user)
        assert client.get(reverse("peers:group", args=[group.pk])).status_code == 404
        assert client.get(reverse("peers:charter", args=[group.pk])).status_code == 404


def test_a_proposed_member_accepts_from_the_group_page(client, organisation):
    group, _users = group_of(organisation)
    newcomer = member(Role.BENEFICIARY, organisation)
    PeerGroupMember.objects.create(group=group, user=newcomer, position=3)
    client.force_login(newcomer)

    page = client.get(reverse("peers:group", args=[group.pk])).content.decode()
    response = client.post(reverse("peers:accept", args=[group.pk]))

    assert "Rejoindre le groupe" in page
    assert response.status_code == 302
    assert (
        PeerGroupMember.objects.get(group=group, user=newcomer).status
        == PeerGroupMember.Status.ACCEPTED
    )


def test_a_proposed_late_joiner_declines_and_the_coordination_is_told(client, organisation):
    coordinator = member(Role.COORDINATOR, organisation)
    group, users = group_of(organisation, coordinator=coordinator)
    newcomer = member(Role.BENEFICIARY, organisation)
    PeerGroupMember.objects.create(group=group, user=newcomer, position=3)
    client.force_login(newcomer)

    page = client.get(reverse("peers:group", args=[group.pk])).content.decode()
    confirm = client.get(reverse("peers:leave", args=[group.pk])).content.decode()
    response = client.post(
        reverse("peers:leave", args=[group.pk]), {"reason": "Horaires trop tardifs"}, follow=True
    )

    assert "Ne pas rejoindre ce groupe…" in page and "Quitter ce groupe…" not in page
    assert "Je ne rejoins pas ce groupe" in confirm and "Je quitte" not in confirm
    assert "Pourquoi ce groupe ne me convient pas" in confirm and "quitte le groupe" not in confirm
    assert "Vous avez décliné le groupe « Les Tisserands »" in response.content.decode()
    assert (
        PeerGroupMember.objects.get(group=group, user=newcomer).status
        == PeerGroupMember.Status.LEFT
    )
    notice = Notification.objects.get(
        kind=PeerNotice.PEER_REPAIR_PROPOSED, recipient=coordinator, channel=Channel.IN_APP
    )
    declined = "a décliné la proposition de rejoindre le groupe «\u00a0Les Tisserands\u00a0»"
    assert declined in notice.body
    assert "Horaires trop tardifs" in notice.body
    told = Notification.objects.filter(kind=PeerNotice.PEER_GROUP_CHANGED)
    assert {n.recipient_id for n in told} == {user.pk for user in users}
    assert all("ne rejoindra pas votre groupe" in n.subject for n in told)
    assert AuditEvent.objects.filter(action="peer_member_decline").exists()
    assert client.get(reverse("peers:group", args=[group.pk])).status_code == 404


def test_leaving_asks_first_then_the_group_answers_404(client, organisation):
    group, users = group_of(organisation)
    client.force_login(users[0])

    confirm = client.get(reverse("peers:leave", args=[group.pk]))
    response = client.post(reverse("peers:leave", args=[group.pk]), {"reason": "Déménagement"})

    assert "Je quitte définitivement le groupe" in confirm.content.decode()
    assert response.status_code == 302 and response["Location"] == reverse("peers:home")
    occurrence = next_occurrence(group)
    for url in (
        reverse("peers:group", args=[group.pk]),
        reverse("peers:charter", args=[group.pk]),
        reverse("peers:prepare", args=[group.pk, occurrence.pk]),
        reverse("meetings:occurrence", args=[occurrence.pk]),
    ):
        assert client.get(url).status_code == 404, url


# -- the charter -----------------------------------------------------------------------------------


def charter_post(**fields) -> dict:
    data = {
        "shared_goals": "Nous soutenir pendant nos reconversions.",
        "meetings_per_month": "2",
        "confidentiality": "Ce qui est dit ici reste ici.",
        "reciprocity": "Chacun·e est prêt·e à donner autant qu'à recevoir.",
        "rotating_facilitator": "on",
        "version": "0",
    }
    data.update(fields)
    return data


def test_a_member_writes_the_charter_the_others_agree_and_the_page_shows_who(client, organisation):
    group, users = group_of(organisation)
    client.force_login(users[0])

    blank = client.get(reverse("peers:charter", args=[group.pk])).content.decode()
    saved = client.post(reverse("peers:charter", args=[group.pk]), charter_post())
    client.post(reverse("peers:charter_agree", args=[group.pk]), {"version": "1"})
    client.force_login(users[1])
    client.post(reverse("peers:charter_agree", args=[group.pk]), {"version": "1"})
    page = client.get(reverse("peers:charter", args=[group.pk])).content.decode()

    assert "Chacun·e est prêt·e à donner autant qu&#x27;à recevoir." in blank
    assert saved.status_code == 302
    agreed = page[page.index("Ont donné leur accord") : page.index("pas encore donné leur accord")]
    assert users[0].first_name in agreed and users[1].first_name in agreed
    assert users[2].first_name not in agreed


def test_a_charter_changed_meanwhile_answers_409_and_keeps_the_typed_text(client, organisation):
    group, users = group_of(organisation)
    services.charter_save(
        actor=users[1],
        group=group,
        data=services.CharterData(
            shared_goals="Version de Léa", confidentiality="?", reciprocity="!"
        ),
        expected_version=0,
    )
    client.force_login(users[0])

    response = client.post(
        reverse("peers:charter", args=[group.pk]),
        charter_post(shared_goals="Mon texte à moi", version="0"),
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert "Mon texte à moi" in page and "Version de Léa" in page
    assert Charter.objects.get(group=group).shared_goals == "Version de Léa"


# -- preparing a meeting ---------------------------------------------------------------------------


def test_a_member_checks_in_and_sees_everyone_s_points(client, organisation):
    group, users = group_of(organisation)
    occurrence = next_occurrence(group)
    services.meeting_checkin(
        actor=users[2],
        group=group,
        occurrence=occurrence,
        data=services.CheckInData(question="Qui connaît un centre de formation ?"),
    )
    client.force_login(users[1])
    url = reverse("peers:prepare", args=[group.pk, occurrence.pk])

    empty = client.post(url, {"success": "", "blocker": "", "question": ""})
    response = client.post(url, {"success": "J'ai eu ma certification", "blocker": "Le réseau"})
    page = client.get(url).content.decode()

    assert empty.status_code == 400 and "au moins un point" in empty.content.decode()
    assert response.status_code == 302
    assert list(
        AgendaItem.objects.filter(occurrence=occurrence, author=users[1]).values_list(
            "kind", flat=True
        )
    ) == [AgendaItem.Kind.SUCCESS, AgendaItem.Kind.BLOCKER]
    assert (
        "Qui connaît un centre de formation ?" in page and "J&#x27;ai eu ma certification" in page
    )
    assert users[2].last_name not in page


def test_only_meetings_to_come_of_the_group_can_be_prepared(client, organisation):
    group, users = group_of(organisation)
    other, _others = group_of(organisation, name="Autre")
    past = next_occurrence(group)
    Occurrence.objects.filter(pk=past.pk).update(
        start=timezone.now() - timedelta(days=1), end=timezone.now() - timedelta(hours=22)
    )
    client.force_login(users[0])

    for occurrence in (past, next_occurrence(other)):
        url = reverse("peers:prepare", args=[group.pk, occurrence.pk])
        assert client.get(url).status_code == 404


def test_a_charter_agreed_by_the_one_member_who_joined_is_not_the_whole_groups(
    client, organisation
):
    group, users = group_of(organisation, size=4)
    PeerGroupMember.objects.filter(group=group, user__in=users[1:]).update(
        status=PeerGroupMember.Status.PROPOSED
    )
    client.force_login(users[0])
    client.post(reverse("peers:charter", args=[group.pk]), charter_post())
    client.post(reverse("peers:charter_agree", args=[group.pk]), {"version": "1"})

    detail = client.get(reverse("peers:group", args=[group.pk])).content.decode()
    charter = client.get(reverse("peers:charter", args=[group.pk])).content.decode()

    assert "Approuvée par tout le groupe" not in detail
    assert "Approuvée par les membres qui ont rejoint le groupe" in detail
    assert "Tout le groupe a donné son accord" not in charter
    not_joined = charter[charter.index("Pas encore dans le groupe") :]
    assert all(user.first_name in not_joined for user in users[1:])
    assert all(user.first_name in detail for user in users[1:])
