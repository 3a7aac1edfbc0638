"""The coordination's round pages: history and new round, review, decisions, publish."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import OrganisationFactory, member
from tests.mentoring.helpers import mentee_profile, mentor_profile
from tisser.core.enums import Role
from tisser.mentoring import services
from tisser.mentoring.models import DeclaredConflict, MatchingRound, Mentorship, RoundProposal
from tisser.mentoring.services import rounds as round_reads

Decision = RoundProposal.Decision


@pytest.fixture
def coordinator(organisation):
    return member(Role.COORDINATOR, organisation)


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    return client


def review_url(matching_round):
    return reverse("mentoring:round", kwargs={"round_id": matching_round.pk})


def decide_url(proposal):
    return reverse(
        "mentoring:proposal_decide",
        kwargs={"round_id": proposal.round_id, "proposal_id": proposal.pk},
    )


def html(response) -> str:
    text = response.content.decode()
    assert "INVALID_TEMPLATE_VARIABLE" not in text
    return text


def test_the_rounds_page_offers_each_cohort_and_says_when_nobody_is_to_match(
    rome, organisation, signed_in
):
    empty = html(signed_in.get(reverse("mentoring:rounds")))
    mentor_profile(organisation, fiches=["A1901"])
    mentee_profile(organisation, targets=["A1901"], cohort="Printemps 2025")
    mentee_profile(organisation, targets=["A1901"])

    page = html(signed_in.get(reverse("mentoring:rounds")))

    assert "Personne n'est à apparier" in empty
    assert "Aucun·e mentor n'est disponible" in empty
    assert "Toutes les personnes qui cherchent un·e mentor (2 personnes)" in page
    assert "Printemps 2025 (1 personne)" in page
    assert "Aucun tour pour l'instant." in page


def test_running_a_round_opens_its_review_and_the_history_shows_it(
    rome, organisation, signed_in, coordinator
):
    mentor_profile(organisation, fiches=["A1901"], capacity=1)
    mentee_profile(organisation, targets=["A1901"], cohort="Printemps")
    mentee_profile(organisation, targets=["A1901"], cohort="Printemps")

    response = signed_in.post(reverse("mentoring:round_create"), {"cohort": "Printemps"})

    matching_round = MatchingRound.objects.get()
    assert response.status_code == 302 and response["Location"] == review_url(matching_round)
    history = html(signed_in.get(reverse("mentoring:rounds")))
    assert "En relecture" in history and "Relire le tour en cours" in history
    assert "Les mentors compatibles sont complets : 1" in history
    again = signed_in.post(reverse("mentoring:round_create"), {"cohort": ""})
    assert again.status_code == 400
    assert MatchingRound.objects.count() == 1


def test_running_a_round_without_a_mentor_says_so_next_to_the_form(rome, organisation, signed_in):
    mentee_profile(organisation, targets=["A1901"])

    response = signed_in.post(reverse("mentoring:round_create"), {"cohort": ""})

    assert response.status_code == 400
    assert "Aucun·e mentor disponible" in html(response)
    assert not MatchingRound.objects.exists()


def test_the_review_shows_proposals_factors_unmatched_reasons_and_places(
    rome, organisation, signed_in, coordinator
):
    mentor = mentor_profile(organisation, fiches=["A1901"], capacity=1)
    matched = mentee_profile(organisation, targets=["A1901"], cohort="Printemps")
    stranger = mentee_profile(organisation, targets=["A1901"], languages=["de"])
    matching_round = services.round_run(organisation=organisation, cohort="", by=coordinator)

    page = html(signed_in.get(review_url(matching_round)))

    assert matched.user.get_full_name() in page and "Printemps" in page
    assert mentor.user.get_full_name() in page
    # The coordination reads about the mentee, not words addressed to them.
    assert "Métier proche de son projet" in page
    assert "votre projet" not in page and "que vous recherchez" not in page
    assert stranger.user.get_full_name() in page
    assert "Aucun·e mentor compatible" in page and "revoir ses souhaits" in page
    assert "Places des mentors de ce tour" in page
    assert "0 (complet)" in page
    assert "Choisir un·e autre mentor" in page


def _round_of(organisation, coordinator, mentees: int):
    for _ in range(max(1, mentees // 3)):
        mentor_profile(organisation, fiches=["A1901"], capacity=3)
    for _ in range(mentees):
        mentee_profile(organisation, targets=["A1901"], cohort="Printemps")
    mentee_profile(organisation, targets=["A1901"], languages=["de"])
    matching_round = services.round_run(organisation=organisation, cohort="", by=coordinator)
    services.round_accept_all(
        matching_round=matching_round, by=coordinator, expected_version=matching_round.version
    )
    matching_round.refresh_from_db()
    return matching_round


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # the first request after signing in writes the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_review_page_queries_do_not_grow_with_the_proposals(rome, signed_in):
    # A small round (4 people) and a grown one (60: three pages): the same queries.
    small_org, grown_org = OrganisationFactory(), OrganisationFactory()
    small = _round_of(small_org, member(Role.COORDINATOR, small_org), 3)
    grown = _round_of(grown_org, member(Role.COORDINATOR, grown_org), 60)
    assert grown.proposals.count() == 61

    counts = []
    for matching_round in (small, grown):
        signed_in.force_login(matching_round.created_by)
        counts.append(_queries(signed_in, review_url(matching_round)))
    last = signed_in.get(review_url(grown) + "?page=3")

    assert counts[0] == counts[1]
    assert _queries(signed_in, review_url(grown) + "?page=2") == counts[1]
    page = html(last)
    assert "Page 3 sur 3" in page and "Personnes 51 à 61 sur 61" in page
    # The one without a mentor comes after those with one.
    assert "Personnes sans mentor proposé" in page
    assert '<select name="mentor"' not in page


def test_the_choice_page_offers_the_best_mentors_with_room_and_finds_one_by_name(
    rome, organisation, signed_in, coordinator
):
    proposed = mentor_profile(organisation, fiches=["A1901"], capacity=1)
    close = mentor_profile(organisation, fiches=["A1901"], capacity=2)
    far = mentor_profile(organisation, fiches=["D1901"], capacity=2)
    far.user.last_name = "Zanzibar"
    far.user.save()
    full = mentor_profile(organisation, fiches=["A1901"], capacity=1)
    mentee = mentee_profile(organisation, targets=["A1901"])
    other = mentee_profile(organisation, targets=["A1901"])
    matching_round = services.round_run(organisation=organisation, cohort="", by=coordinator)
    proposal = matching_round.proposals.get(mentee=mentee.user)
    choose = reverse(
        "mentoring:proposal_choose",
        kwargs={"round_id": matching_round.pk, "proposal_id": proposal.pk},
    )
    # `full` is taken by the other mentee of the round (or `proposed` is): one has no room.
    taken = {p.mentor_id for p in matching_round.proposals.all()}

    page = html(signed_in.get(choose))
    found = html(signed_in.get(choose + "?q=zanz"))

    assert "Les plus compatibles, avec une place libre" in page
    assert f'id="mentor-{close.pk}"' in page
    for mentor in (proposed, full):
        if mentor.pk in taken and mentor.pk != proposal.mentor_id:
            assert f'id="mentor-{mentor.pk}"' not in page
    assert "Résultats de la recherche" in found and f'id="mentor-{far.pk}"' in found
    assert other.user.get_full_name() not in found

    response = signed_in.post(
        decide_url(proposal),
        {
            "decision": "override",
            "version": matching_round.version,
            "mentor": far.pk,
            "reason": "Il connaît le quartier.",
            "page": "1",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == review_url(matching_round) + f"#proposition-{proposal.pk}"
    proposal.refresh_from_db()
    assert proposal.decision == Decision.OVERRIDDEN and proposal.mentor_id == far.pk


def test_an_override_without_reason_keeps_the_choice_and_says_what_is_missing(
    rome, organisation, signed_in, coordinator
):
    mentor_profile(organisation, fiches=["A1901"])
    other = mentor_profile(organisation, fiches=["D1901"])
    mentee = mentee_profile(organisation, targets=["A1901"])
    matching_round = services.round_run(organisation=organisation, cohort="", by=coordinator)
    proposal = matching_round.proposals.get(mentee=mentee.user)

    response = signed_in.post(
        decide_url(proposal),
        {"decision": "override", "version": matching_round.version, "mentor": other.pk},
    )

    page = html(response)
    assert response.status_code == 400
    assert "Indiquez le motif de la modification." in page
    assert re.search(rf'value="{other.pk}"\s+id="mentor-{other.pk}"\s+checked', page)
    assert 'id="id_reason"' in page
    proposal.refresh_from_db()
    assert proposal.decision == Decision.PENDING


def test_an_override_to_a_full_mentor_is_refused_with_a_message(
    rome, organisation, signed_in, coordinator
):
    full = mentor_profile(organisation, fiches=["A1901"], capacity=1)
    mentor_profile(organisation, fiches=["A1901"], capacity=1)
    mentee_profile(organisation, targets=["A1901"])
    mentee_profile(organisation, targets=["A1901"])
    matching_round = services.round_run(organisation=organisation, cohort="", by=coordinator)
    other = matching_round.proposals.exclude(mentor=full).get()

    response = signed_in.post(
        decide_url(other),
        {
            "decision": "override",
            "version": matching_round.version,
            "mentor": full.pk,
            "reason": "Même quartier",
        },
    )

    page = html(response)
    assert response.status_code == 400
    assert "plus de place dans ce tour" in page
    assert "Même quartier" in page


def test_a_decision_on_a_stale_page_is_refused_and_keeps_what_was_typed(
    rome, organisation, signed_in, coordinator
):
    mentor_profile(organisation, fiches=["A1901"], capacity=2)
    other = mentor_profile(organisation, fiches=["D1901"])
    first = mentee_profile(organisation, targets=["A1901"])
    second = mentee_profile(organisation, targets=["A1901"])
    matching_round = services.round_run(organisation=organisation, cohort="", by=coordinator)
    opened_with = matching_round.version
    services.proposal_decide(
        proposal=matching_round.proposals.get(mentee=first.user),
        decision=Decision.ACCEPTED,
        by=member(Role.COORDINATOR, organisation),
        expected_version=opened_with,
    )

    response = signed_in.post(
        decide_url(matching_round.proposals.get(mentee=second.user)),
        {
            "decision": "override",
            "version": opened_with,
            "mentor": other.pk,
            "reason": "Elle connaît bien ce secteur",
        },
    )

    page = html(response)
    assert response.status_code == 409
    assert "a modifié ce tour pendant votre relecture" in page
    assert "Elle connaît bien ce secteur" in page
    assert f'name="version" value="{opened_with + 1}"' in page
    assert matching_round.proposals.get(mentee=second.user).decision == Decision.PENDING


def test_accept_all_then_publish_from_the_page(rome, organisation, signed_in, coordinator):
    mentor = mentor_profile(organisation, fiches=["A1901"], capacity=2)
    mentees = [mentee_profile(organisation, targets=["A1901"]) for _ in range(2)]
    matching_round = services.round_run(organisation=organisation, cohort="", by=coordinator)
    publish = reverse("mentoring:round_publish", kwargs={"round_id": matching_round.pk})

    early = signed_in.post(publish, {"version": matching_round.version}, follow=True)
    assert "2 propositions restent à relire" in html(early)
    signed_in.post(
        reverse("mentoring:round_accept_all", kwargs={"round_id": matching_round.pk}),
        {"version": matching_round.version},
    )
    matching_round.refresh_from_db()
    response = signed_in.post(publish, {"version": matching_round.version}, follow=True)

    page = html(response)
    assert "2 mentorats commencent" in page
    assert "Mentorat commencé" in page
    assert set(Mentorship.objects.values_list("mentee", "mentor")) == {
        (mentee.user_id, mentor.pk) for mentee in mentees
    }
    matching_round.refresh_from_db()
    assert matching_round.status == MatchingRound.Status.PUBLISHED
    assert "Choisir un·e autre mentor" not in page


def test_discard_from_the_page(rome, organisation, signed_in, coordinator):
    mentor_profile(organisation, fiches=["A1901"])
    mentee_profile(organisation, targets=["A1901"])
    matching_round = services.round_run(organisation=organisation, cohort="", by=coordinator)

    response = signed_in.post(
        reverse("mentoring:round_discard", kwargs={"round_id": matching_round.pk}),
        {"version": matching_round.version},
        follow=True,
    )

    assert "Le tour est abandonné" in html(response)
    matching_round.refresh_from_db()
    assert matching_round.status == MatchingRound.Status.DISCARDED


def test_the_review_says_when_a_round_was_pruned_and_what_it_may_miss(
    rome, organisation, signed_in, coordinator
):
    # Beyond the engine's exact bound (ADR 0026) a round keeps each mentee's best
    # candidates only; when its pricing passes could not prove it optimal, the page says so.
    exact = MatchingRound.objects.create(
        organisation=organisation,
        cohort="",
        weights={},
        stats={"pruned": False, "exact": True, "more_pairs_at_most": 0},
        created_by=coordinator,
        status=MatchingRound.Status.DISCARDED,
    )
    pruned = MatchingRound.objects.create(
        organisation=organisation,
        cohort="",
        weights={},
        stats={"pruned": True, "exact": False, "more_pairs_at_most": 2},
        created_by=coordinator,
        status=MatchingRound.Status.DISCARDED,
    )

    assert "Tour très grand" not in html(signed_in.get(review_url(exact)))
    page = html(signed_in.get(review_url(pruned)))
    assert "Tour très grand" in page
    assert "Au plus 2 personnes de plus auraient pu recevoir un·e mentor." in page


def choose_url(proposal):
    return reverse(
        "mentoring:proposal_choose",
        kwargs={"round_id": proposal.round_id, "proposal_id": proposal.pk},
    )


def test_the_choice_page_never_offers_the_proposed_mentor_and_the_review_shows_the_new_pair(
    rome, organisation, signed_in, coordinator
):
    both = [mentor_profile(organisation, fiches=["A1901"], capacity=3) for _ in range(2)]
    for mentor, name in zip(both, ("Masson", "Massonnet"), strict=True):
        mentor.user.last_name = name
        mentor.user.save()
    mentee = mentee_profile(organisation, targets=["A1901"])
    matching_round = services.round_run(organisation=organisation, cohort="", by=coordinator)
    proposal = matching_round.proposals.get(mentee=mentee.user)
    proposed = proposal.proposed_mentor
    chosen = next(mentor for mentor in both if mentor.pk != proposed.pk)

    page = html(signed_in.get(choose_url(proposal)))
    found = html(signed_in.get(choose_url(proposal) + "?q=masson"))

    assert f'id="mentor-{proposed.pk}"' not in page
    assert f'id="mentor-{proposed.pk}"' not in found
    assert f'id="mentor-{chosen.pk}"' in page and f'id="mentor-{chosen.pk}"' in found

    # Chosen instead: the row shows that pair, its own score and factors.
    far = mentor_profile(organisation, fiches=["D1901"], capacity=2)
    signed_in.post(
        decide_url(proposal),
        {
            "decision": "override",
            "version": matching_round.version,
            "mentor": far.pk,
            "reason": "Même quartier",
        },
    )
    proposal.refresh_from_db()
    assert proposal.decision == Decision.OVERRIDDEN
    assert proposal.chosen_score is not None and proposal.chosen_score < proposal.score
    review = html(signed_in.get(review_url(matching_round)))
    row = review.split(f'id="proposition-{proposal.pk}"')[1].split("</tr>")[0]
    assert far.user.get_full_name() in row and "Choix de la coordination" in row
    assert f"{round(100 * proposal.chosen_score)} %" in row
    assert f"{round(100 * proposal.score)} %" not in row
    # The choice page of an overridden proposal keeps the chosen one checked, not offered twice.
    again = html(signed_in.get(choose_url(proposal)))
    assert again.count(f'id="mentor-{far.pk}"') == 1
    assert f'id="mentor-{proposed.pk}"' not in again

    # Accepted again: the engine's pair and score come back.
    matching_round.refresh_from_db()
    signed_in.post(decide_url(proposal), {"decision": "accept", "version": matching_round.version})
    proposal.refresh_from_db()
    assert proposal.chosen_score is None and proposal.chosen_explanation == []
    review = html(signed_in.get(review_url(matching_round)))
    row = review.split(f'id="proposition-{proposal.pk}"')[1].split("</tr>")[0]
    assert f"{round(100 * proposal.score)} %" in row and "Choix de la coordination" not in row


def test_a_search_that_finds_nobody_says_so_next_to_its_field(
    rome, organisation, signed_in, coordinator
):
    mentor_profile(organisation, fiches=["A1901"])
    mentee = mentee_profile(organisation, targets=["A1901"])
    matching_round = services.round_run(organisation=organisation, cohort="", by=coordinator)
    proposal = matching_round.proposals.get(mentee=mentee.user)

    page = html(signed_in.get(choose_url(proposal) + "?q=xyz"))

    assert "Aucune personne ne correspond à «\u00a0xyz\u00a0»." in page
    assert 'aria-describedby="mentor-search-none"' in page


def test_an_incompatibility_declared_during_the_review_warns_and_refuses_accepting(
    rome, organisation, signed_in, coordinator
):
    mentor = mentor_profile(organisation, fiches=["A1901"])
    mentee = mentee_profile(organisation, targets=["A1901"])
    matching_round = services.round_run(organisation=organisation, cohort="", by=coordinator)
    proposal = matching_round.proposals.get(mentee=mentee.user)
    assert proposal.proposed_mentor == mentor
    DeclaredConflict.objects.create(
        organisation=organisation,
        mentee=mentee.user,
        mentor=mentor,
        reason=DeclaredConflict.Reason.REPORTING_LINE,
    )

    page = html(signed_in.get(review_url(matching_round)))
    row = page.split(f'id="proposition-{proposal.pk}"')[1].split("</tr>")[0]
    assert "Une incompatibilité est déclarée entre ces deux personnes" in row

    response = signed_in.post(
        decide_url(proposal), {"decision": "accept", "version": matching_round.version}
    )
    assert response.status_code == 400
    row = html(response).split(f'id="proposition-{proposal.pk}"')[1].split("</tr>")[0]
    assert "écartez cette proposition ou choisissez un·e autre mentor" in row
    proposal.refresh_from_db()
    assert proposal.decision == Decision.PENDING


def test_the_review_reads_the_pages_incompatibilities_in_one_query(rome, signed_in):
    # The same queries with no incompatibility on a small round and one per pair on a grown one.
    small_org, grown_org = OrganisationFactory(), OrganisationFactory()
    small = _round_of(small_org, member(Role.COORDINATOR, small_org), 3)
    grown = _round_of(grown_org, member(Role.COORDINATOR, grown_org), 30)
    for proposal in grown.proposals.filter(mentor__isnull=False):
        DeclaredConflict.objects.create(
            organisation=grown_org,
            mentee=proposal.mentee,
            mentor=proposal.mentor,
            reason=DeclaredConflict.Reason.DECLARED_CONFLICT,
        )

    counts = []
    for matching_round in (small, grown):
        signed_in.force_login(matching_round.created_by)
        counts.append(_queries(signed_in, review_url(matching_round)))

    assert counts[0] == counts[1]
    page = html(signed_in.get(review_url(grown)))
    assert page.count("Une incompatibilité est déclarée entre ces deux personnes") == 25


def test_a_publish_failure_is_said_in_the_readers_language(
    rome, organisation, signed_in, coordinator
):
    mentor = mentor_profile(organisation, fiches=["A1901"])
    mentee = mentee_profile(organisation, targets=["A1901"])
    matching_round = services.round_run(organisation=organisation, cohort="", by=coordinator)
    services.round_accept_all(
        matching_round=matching_round, by=coordinator, expected_version=matching_round.version
    )
    # Declared after the acceptance: publishing leaves the pair out (in French, here).
    DeclaredConflict.objects.create(
        organisation=organisation,
        mentee=mentee.user,
        mentor=mentor,
        reason=DeclaredConflict.Reason.REPORTING_LINE,
    )
    matching_round.refresh_from_db()
    report = services.round_publish(
        matching_round=matching_round, by=coordinator, expected_version=matching_round.version
    )
    assert report.failed and not report.published

    french = html(signed_in.get(review_url(matching_round)))
    english = html(signed_in.get(review_url(matching_round), HTTP_ACCEPT_LANGUAGE="en"))

    assert "Non publié : Une incompatibilité est déclarée entre ces deux personnes." in french
    assert "These two people have been declared incompatible." in english
    assert "Une incompatibilité" not in english


def text_of(page: str) -> str:
    """What a person reads: tags dropped, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", page).replace("\u00a0", " ").split())


def test_the_review_figures_read_as_french_sentences(rome, organisation, signed_in, coordinator):
    mentor_profile(organisation, fiches=["A1901"], capacity=3)
    for _ in range(2):
        mentee_profile(organisation, targets=["A1901"])
    mentee_profile(organisation, targets=["A1901"], languages=["de"])
    matching_round = services.round_run(organisation=organisation, cohort="", by=coordinator)

    before = text_of(html(signed_in.get(review_url(matching_round))))
    first = matching_round.proposals.filter(mentor__isnull=False).first()
    signed_in.post(decide_url(first), {"decision": "accept", "version": matching_round.version})
    after = text_of(html(signed_in.get(review_url(matching_round))))

    assert "décision :" not in before
    assert "3 personnes dans ce tour" in before
    assert "2 personnes avec un·e mentor proposé·e" in before
    assert "1 personne sans mentor proposé" in before
    assert "2 propositions à relire" in before
    assert "1 proposition à relire" in after and "1 proposition acceptée" in after


def test_the_choice_page_says_who_is_proposed_why_a_mentor_is_full_and_how_compatible(
    rome, organisation, signed_in, coordinator
):
    close = [mentor_profile(organisation, fiches=["A1901"], capacity=2) for _ in range(2)]
    busy = mentor_profile(organisation, fiches=["D1901"], capacity=1)
    busy.user.last_name = "Occupé"
    busy.user.save()
    Mentorship.objects.create(
        organisation=organisation,
        mentee=member(Role.BENEFICIARY, organisation),
        mentor=busy,
        origin="request",
        started_at=timezone.now(),
        planned_end=(timezone.now() + timedelta(days=150)).date(),
        last_activity_at=timezone.now(),
    )
    mentee = mentee_profile(organisation, targets=["A1901"])
    matching_round = services.round_run(organisation=organisation, cohort="", by=coordinator)
    proposal = matching_round.proposals.get(mentee=mentee.user)
    proposed = proposal.proposed_mentor
    proposed.user.last_name = "Aubry"
    proposed.user.save()
    other = next(mentor for mentor in close if mentor.pk != proposed.pk)
    alternative = round_reads.round_alternatives(proposal=proposal)

    searched = text_of(html(signed_in.get(choose_url(proposal) + "?q=aubry")))
    full = text_of(html(signed_in.get(choose_url(proposal) + "?q=occup")))
    page = text_of(html(signed_in.get(choose_url(proposal))))

    name = proposed.user.get_full_name()
    assert f"{name} est déjà la personne proposée." in searched
    assert "Aucune autre personne ne correspond à « aubry »." in searched
    assert "Aucune personne ne correspond" not in searched
    assert f"{busy.user.get_full_name()} — complet : 1 mentorat en cours" in full
    assert "complet dans ce tour" not in full
    # The proposed pair and each alternative say their compatibility, as the review does.
    assert f"{name} — compatibilité {round(100 * proposal.score)} %" in page
    assert other.pk in alternative
    assert (
        f"{other.user.get_full_name()} — compatibilité {round(100 * alternative[other.pk])} %"
        in page
    )
