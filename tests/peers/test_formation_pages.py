"""The coordination's pages of group formations: figures and history, a run, the review
(never the private attribute), moves refused next to the field, a stale page, locks,
publish."""

import re
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import OrganisationFactory, member
from tests.peers.helpers import computed, peer_profile
from tisser.accounts.models import User
from tisser.core.enums import Role
from tisser.mentoring.models import DaySlot, availability_bit
from tisser.peers.models import GroupFormation, PeerGroup, PeerGroupMember
from tisser.peers.services import formation as services

COHORT = "Promotion automne"
MONDAY_MORNING = availability_bit(0, DaySlot.MORNING)
SECRET = "parent solo"


@pytest.fixture
def coordinator(organisation):
    return member(Role.COORDINATOR, organisation)


@pytest.fixture
def nadia(client, coordinator):
    client.force_login(coordinator)
    return client


def cohort(organisation, n, **fields):
    return [peer_profile(organisation, cohort=COHORT, **fields).user for _ in range(n)]


def formed(organisation, coordinator, n=8):
    cohort(organisation, n)
    return computed(
        services.formation_run,
        organisation=organisation,
        cohort=COHORT,
        target_size=4,
        by=coordinator,
    )


def test_the_page_counts_who_seeks_a_group_and_says_when_too_few(nadia, organisation):
    cohort(organisation, 2)

    response = nadia.get(reverse("peers:formations"))

    text = response.content.decode()
    assert response.status_code == 200
    assert "il en faut au moins 3" in text
    assert f"{COHORT} (2 personnes)" in text
    assert "demande un groupe sans avoir de promotion" not in text
    assert reverse("peers:health") in text
    response = nadia.post(reverse("peers:formation_create"), {"cohort": "", "target_size": 4})
    assert response.status_code == 400
    assert "il en faut au moins 3 pour former un groupe" in response.content.decode()
    assert not GroupFormation.objects.exists()


def test_running_a_formation_computes_in_the_background_then_lands_on_its_review(
    nadia, organisation, django_capture_on_commit_callbacks
):
    cohort(organisation, 7)
    secret = peer_profile(organisation, cohort=COHORT, attribute=SECRET, avoid_isolation=True)
    peer_profile(organisation, cohort=COHORT, attribute=SECRET)
    alone = peer_profile(organisation, cohort=COHORT, availability=MONDAY_MORNING)

    with django_capture_on_commit_callbacks() as queued:
        response = nadia.post(
            reverse("peers:formation_create"), {"cohort": COHORT, "target_size": 4}, follow=True
        )

    formation = GroupFormation.objects.get()
    page = reverse("peers:formation", args=[formation.pk])
    status = reverse("peers:formation_status", args=[formation.pk])
    assert response.redirect_chain[-1][0] == page
    text = response.content.decode()
    assert "Le calcul des groupes est lancé" in text
    assert "Calcul des groupes en cours depuis" in text and f'hx-get="{status}"' in text
    assert "Abandonner cette formation" in text and "Publier les groupes" not in text
    history = nadia.get(reverse("peers:formations")).content.decode()
    assert "Calcul en cours" in history and "Suivre le calcul en cours" in history
    # the page's poll: the stage and progress while it computes (its status region, where
    # a screen reader hears them); without htmx, the page itself
    assert 'role="status"' in text and "En attente du calcul : 0 %" in text
    polled = nadia.get(status, headers={"HX-Request": "true"})
    assert polled.status_code == 200 and "HX-Refresh" not in polled
    assert "En attente du calcul : 0 %" in polled.content.decode()
    GroupFormation.objects.filter(pk=formation.pk).update(
        stage=GroupFormation.Stage.COMPUTING, progress=47
    )
    polled = nadia.get(status, headers={"HX-Request": "true"}).content.decode()
    assert "Calcul des groupes : 40 %" in polled and 'value="47"' in polled
    assert nadia.get(status).url == page

    for callback in queued:  # the worker runs the engine
        callback()

    polled = nadia.get(status, headers={"HX-Request": "true"})
    assert polled.status_code == 200 and polled["HX-Refresh"] == "true"
    response = nadia.get(page)
    text = response.content.decode()
    assert "Calcul des groupes en cours" not in text and "Publier les groupes" in text
    assert secret.user.get_full_name() in text and alone.user.get_full_name() in text
    # Whether someone declared a situation is theirs: the page names nobody for it.
    assert "Caractéristique déclarée" not in text
    assert "prise en compte par le calcul sans vous être montrée" in text
    assert SECRET not in text
    assert "Aucun créneau hebdomadaire commun avec assez de personnes" in text
    assert "Un créneau commun : mardi 18 h" in text
    assert "Toutes respectées" in text
    # and the history lists it
    history = nadia.get(reverse("peers:formations")).content.decode()
    assert "En relecture" in history and "Relire la formation en cours" in history


def test_someone_left_out_by_their_private_situation_is_not_singled_out(
    nadia, organisation, coordinator
):
    cohort(organisation, 6)
    alone = peer_profile(organisation, cohort=COHORT, attribute=SECRET, avoid_isolation=True)
    formation = computed(
        services.formation_run,
        organisation=organisation,
        cohort=COHORT,
        target_size=4,
        by=coordinator,
    )
    assert [item["user"] for item in formation.unplaced] == [alone.user_id]

    text = nadia.get(reverse("peers:formation", args=[formation.pk])).content.decode()

    assert alone.user.get_full_name() in text
    assert "Pas de groupe compatible" in text
    figures = " ".join(text.split())
    assert '<span class="figure">1</span> personne non placée' in figures
    assert '<span class="figure">6</span> personnes placées' in figures
    assert "situation" not in text.split(alone.user.get_full_name())[1].split("</li>")[0]
    assert "Caractéristique déclarée" not in text


def test_a_move_that_breaks_a_group_is_refused_next_to_the_field(nadia, organisation, coordinator):
    formation = formed(organisation, coordinator, n=6)
    first, second = formation.groups.order_by("pk")
    mover = first.members.first()

    response = nadia.post(
        reverse("peers:formation_move", args=[formation.pk]),
        {"user": mover.user_id, "to_group": second.pk, "version": formation.version},
    )

    assert response.status_code == 400
    text = response.content.decode()
    assert "ne respecterait plus : de 3 à 5 personnes" in text
    assert f'id="u{mover.user_id}_to_group_error"' in text
    assert PeerGroupMember.objects.get(pk=mover.pk).group_id == first.pk


def test_a_move_from_a_stale_page_is_a_conflict_and_a_good_one_lands_on_the_person(
    nadia, organisation, coordinator
):
    formation = formed(organisation, coordinator, n=8)
    roomy = max(formation.groups.all(), key=lambda group: group.members.count())
    mover = roomy.members.first()
    url = reverse("peers:formation_move", args=[formation.pk])

    stale = nadia.post(url, {"user": mover.user_id, "to_group": "out", "version": 99})
    assert stale.status_code == 409
    assert "Une autre personne de la coordination" in stale.content.decode()
    assert PeerGroupMember.objects.filter(pk=mover.pk).exists()

    response = nadia.post(
        url, {"user": mover.user_id, "to_group": "out", "version": formation.version}
    )

    assert response.status_code == 302
    assert response["Location"].endswith(f"#personne-{mover.user_id}")
    assert not PeerGroupMember.objects.filter(pk=mover.pk).exists()
    page = nadia.get(response["Location"]).content.decode()
    assert "Mise de côté par la coordination pendant la relecture" in page


def test_lock_publish_and_the_members_group_link(nadia, organisation, coordinator):
    formation = formed(organisation, coordinator)
    group = formation.groups.order_by("pk").first()

    response = nadia.post(
        reverse("peers:formation_lock", args=[formation.pk, group.pk]),
        {"locked": "1", "version": formation.version},
        follow=True,
    )
    assert "est verrouillé" in response.content.decode()
    assert PeerGroup.objects.get(pk=group.pk).locked
    formation.refresh_from_db()

    response = nadia.post(
        reverse("peers:formation_publish", args=[formation.pk]),
        {"version": formation.version},
        follow=True,
    )

    assert "2 groupes publiés" in response.content.decode()
    assert set(PeerGroup.objects.values_list("status", flat=True)) == {PeerGroup.Status.ACTIVE}
    # the coordination still gets no group content
    assert nadia.get(reverse("peers:group", args=[group.pk])).status_code == 404


def test_publish_refused_shows_why(nadia, organisation, coordinator):
    formation = formed(organisation, coordinator, n=4)
    PeerGroupMember.objects.first().user.peer_profiles.update(availability=MONDAY_MORNING)

    response = nadia.post(
        reverse("peers:formation_publish", args=[formation.pk]), {"version": formation.version}
    )

    assert response.status_code == 400
    text = response.content.decode()
    assert "ne respectent plus une condition indispensable" in text
    assert "Non respectées" in text


def test_publishing_from_a_page_read_before_a_rerun_says_it_is_computing(
    nadia, organisation, coordinator
):
    formation = formed(organisation, coordinator, n=4)
    read = formation.version
    services.formation_rerun(formation=formation, by=coordinator, expected_version=read)

    response = nadia.post(
        reverse("peers:formation_publish", args=[formation.pk]), {"version": read}
    )

    assert response.status_code == 400
    text = response.content.decode()
    assert "Les groupes sont en cours de calcul" in text
    assert "Calcul des groupes en cours depuis" in text
    formation.refresh_from_db()
    assert formation.status == GroupFormation.Status.RUNNING


def test_another_organisation_and_other_roles_get_404(client, organisation, coordinator):
    formation = formed(organisation, coordinator, n=4)
    for user in (
        member(Role.COORDINATOR, OrganisationFactory()),
        member(Role.BENEFICIARY, organisation),
    ):
        client.force_login(user)
        assert client.get(reverse("peers:formation", args=[formation.pk])).status_code == 404
        url = reverse("peers:formation_discard", args=[formation.pk])
        assert client.post(url, {"version": 1}).status_code == 404
    formation.refresh_from_db()
    assert formation.status == GroupFormation.Status.REVIEW


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_pages_read_a_bounded_number_of_queries(nadia, organisation, coordinator):
    small = formed(organisation, coordinator, n=4)
    few = _queries(nadia, reverse("peers:formation", args=[small.pk]))
    services.formation_discard(formation=small, by=coordinator, expected_version=small.version)
    cohort(organisation, 16, availability=MONDAY_MORNING)
    big = computed(
        services.formation_run, organisation=organisation, cohort="", target_size=4, by=coordinator
    )
    assert big.groups.count() >= 4

    assert _queries(nadia, reverse("peers:formation", args=[big.pk])) <= few + 2
    assert _queries(nadia, reverse("peers:formations")) <= 15


def test_the_page_points_to_people_asking_for_a_group_without_a_promotion(nadia, organisation):
    peer_profile(organisation)

    text = nadia.get(reverse("peers:formations")).content.decode()

    assert "1 personne demande un groupe sans avoir de promotion" in text
    assert reverse("peers:promotions") + "?promo=aucune&amp;demande=on" in text


def test_the_review_is_a_summary_table_with_the_groups_folded(nadia, organisation, coordinator):
    formation = formed(organisation, coordinator)
    group = formation.groups.order_by("name").first()

    folded = nadia.get(reverse("peers:formation", args=[formation.pk])).content.decode()
    opened = nadia.get(
        reverse("peers:formation", args=[formation.pk]) + f"?ouvrir={group.pk}"
    ).content.decode()

    assert "Les groupes en un coup d'œil" in unescape(folded)
    assert folded.count("<details") == formation.groups.count()
    assert " open>" not in folded
    assert opened.count(" open>") == 1
    assert f'Verrouiller ce groupe<span class="visually-hidden"> : {group.name}' in folded


def _menus(text: str) -> dict[int, set[str]]:
    """Each person's move menu on the page: user id → the values offered."""
    return {
        int(user_id): set(re.findall(r'<option value="([^"]+)"', options))
        for user_id, options in re.findall(
            r'<select name="to_group"[^>]* id="u(\d+)_to_group"[^>]*>(.*?)</select>', text, re.S
        )
    }


def _accepted(formation, coordinator, user_id, to) -> bool:
    """Whether the service takes this move (tried, then rolled back)."""
    try:
        with transaction.atomic():
            services.formation_move(
                formation=formation,
                user=User.objects.get(pk=user_id),
                to_group=PeerGroup.objects.get(pk=to) if to != "out" else None,
                by=coordinator,
                expected_version=formation.version,
            )
            raise _RolledBack
    except _RolledBack:
        return True
    except ValidationError:
        return False


class _RolledBack(Exception):
    pass


def test_the_menus_offer_exactly_the_moves_the_service_accepts(nadia, organisation, coordinator):
    alone = peer_profile(organisation, cohort=COHORT, availability=MONDAY_MORNING)
    formation = formed(organisation, coordinator, n=8)
    # The engine's groups of 5 and 3 for these eight.
    first, second = sorted(formation.groups.all(), key=lambda group: -group.members.count())
    assert [first.members.count(), second.members.count()] == [5, 3]
    # A preference declared after the run: alone in her situation in the first group.
    sophie = first.members.order_by("position").first().user
    sophie.peer_profiles.update(attribute=SECRET, avoid_isolation=True)

    text = nadia.get(reverse("peers:formation", args=[formation.pk])).content.decode()

    menus = _menus(text)
    assert menus[sophie.pk] == {"out"}  # not into the second group: she would be alone there
    for user_id in [
        *first.members.values_list("user_id", flat=True),
        alone.user_id,
        *second.members.values_list("user_id", flat=True),
    ]:
        offered = menus.get(user_id, set())
        for to in [str(first.pk), str(second.pk), "out"]:
            assert (to in offered) == _accepted(formation, coordinator, user_id, to), (user_id, to)
    # the first group's other members cannot leave it (three left with her alone): no menu
    assert "Aucun déplacement possible" in text
    assert alone.user_id not in menus  # the first group is full, the second has no common hour
    # the broken rule is said without the situation nor whose it is
    assert "une préférence déclarée par une personne du groupe" in text
    assert "seule dans sa situation" not in text and SECRET not in text


def test_a_refused_move_is_summed_up_at_the_top_and_written_next_to_the_person(
    nadia, organisation, coordinator
):
    formation = formed(organisation, coordinator, n=7)
    first, second = sorted(formation.groups.all(), key=lambda group: -group.members.count())
    assert [first.members.count(), second.members.count()] == [4, 3]
    sophie = first.members.order_by("position").first().user
    sophie.peer_profiles.update(attribute=SECRET, avoid_isolation=True)

    response = nadia.post(
        reverse("peers:formation_move", args=[formation.pk]),
        {"user": sophie.pk, "to_group": second.pk, "version": formation.version},
    )

    assert response.status_code == 400
    text = unescape(response.content.decode())
    refusal = (
        f"Avec cette personne, « {second.name} » ne respecterait plus : une préférence "
        "déclarée par une personne du groupe."
    )
    summary, rest = text.split("Groupes proposés", 1)
    assert "Le déplacement n'a pas été enregistré" in summary
    assert f'<a href="#u{sophie.pk}_to_group">{refusal}</a>' in summary
    assert f'id="u{sophie.pk}_to_group_error"' in rest and refusal in rest
    assert "situation" not in refusal
    # her menu, bound to what was chosen, offers only what would be accepted
    assert _menus(text)[sophie.pk] == {"out"}


def test_the_summary_links_unfold_their_group_on_its_page(nadia, organisation, coordinator):
    formation = formed(organisation, coordinator)
    group = formation.groups.order_by("name", "pk").last()
    url = reverse("peers:formation", args=[formation.pk])

    text = nadia.get(url).content.decode()

    link = f"{url}?ouvrir={group.pk}#groupe-{group.pk}"
    assert f'href="{link}"' in text
    opened = nadia.get(link).content.decode()
    assert re.search(rf'id="groupe-{group.pk}"\s+open>', opened)


def test_the_review_says_why_sizes_differ_from_the_target_and_how_often_groups_meet(
    nadia, organisation, coordinator
):
    formation = formed(organisation, coordinator, n=7)  # groups of 4 and 3 for a target of 4

    page = " ".join(
        unescape(
            nadia.get(reverse("peers:formation", args=[formation.pk])).content.decode()
        ).split()
    )

    assert "Taille visée : 4 personnes. Pour les 7 personnes à placer" in page
    assert "des groupes de 3 à 5 personnes" in page
    # meetings every two weeks, as published; the rhythm is the commitments'
    assert "Toutes les deux semaines ; engagements : chaque semaine" in page


def test_the_review_lists_accented_names_in_french_order(nadia, organisation, coordinator):
    formation = formed(organisation, coordinator)
    first, second = formation.groups.order_by("pk")
    PeerGroup.objects.filter(pk=first.pk).update(name="Les Tisserands")
    PeerGroup.objects.filter(pk=second.pk).update(name="Les Éclaireurs")

    page = nadia.get(reverse("peers:formation", args=[formation.pk])).content.decode()

    assert page.index("Les Éclaireurs") < page.index("Les Tisserands")
