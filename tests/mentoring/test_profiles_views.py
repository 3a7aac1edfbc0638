"""Pages of mentor profiles, mentee needs and the coordination's pool."""

from django.urls import reverse

from tests.factories import member
from tests.mentoring.helpers import mentee_profile, mentor_profile
from tisser.bilans.models import Funding, ProjectKind
from tisser.bilans.services import bilan_open, project_create
from tisser.core.enums import Role
from tisser.mentoring import services
from tisser.mentoring.models import (
    DeclaredConflict,
    MenteeProfile,
    MentorProfile,
    Mentorship,
    availability_bit,
)
from tisser.mentoring.notice_kinds import MentoringNotice
from tisser.notifications.models import Notification
from tisser.referentiel.models import Metier

MENTOR_FORM = {
    "version": "0",
    "headline": "Cheffe d'atelier",
    "career_path": "Vingt ans en atelier.",
    "motivation": "Transmettre.",
    "current_fiches": ["A1901"],
    "help_offered": ["job_discovery"],
    "capacity": "2",
    "availability": ["0-0", "3-2"],
    "languages": ["fr"],
    "mode": "remote",
}


def test_a_mentor_writes_a_draft_then_sees_its_status(client, rome, people):
    client.force_login(people["mentor"])
    url = reverse("mentoring:mentor_profile")

    page = client.get(url)
    assert page.status_code == 200
    assert '<th scope="row">Lundi</th>' in page.text
    assert "lundi matin" in page.text

    response = client.post(url, MENTOR_FORM)

    assert response.status_code == 302
    profile = MentorProfile.objects.get(user=people["mentor"])
    assert profile.status == MentorProfile.Status.DRAFT
    assert profile.availability == availability_bit(0, 0) | availability_bit(3, 2)
    page = client.get(url)
    assert "Brouillon" in page.text
    assert reverse("mentoring:mentor_profile_submit") in page.text


def test_a_bad_departement_is_explained_next_to_the_field_and_nothing_typed_is_lost(
    client, rome, people
):
    client.force_login(people["mentor"])

    response = client.post(
        reverse("mentoring:mentor_profile"),
        {**MENTOR_FORM, "mode": "in_person", "departement": "20", "motivation": "Mon mot"},
    )

    assert response.status_code == 400
    assert "« 20 » n&#x27;est pas un département" in response.text
    assert "Mon mot" in response.text
    assert 'value="A1901"' in response.text
    assert not MentorProfile.objects.exists()


def test_an_unknown_rome_code_stays_in_the_add_box_with_an_error(client, rome, people):
    client.force_login(people["mentor"])

    response = client.post(
        reverse("mentoring:mentor_profile"), {**MENTOR_FORM, "past_fiches": ["d1902, Z9999"]}
    )

    assert response.status_code == 400
    assert "Fiche métier introuvable : Z9999" in response.text
    assert 'id="past_fiches-add"' in response.text
    assert 'value="Z9999"' in response.text


def test_adding_fiches_offers_their_competences_without_saving(client, rome, people):
    client.force_login(people["mentor"])

    response = client.post(
        reverse("mentoring:mentor_profile"),
        {**MENTOR_FORM, "current_fiches": ["A1901", "D1902"], "refresh": "1"},
    )

    assert response.status_code == 200
    assert not MentorProfile.objects.exists()
    metier = Metier.objects.get(code_rome="D1902")
    competence = metier.competence_links.first().competence
    assert f'id="skill-{competence.pk}"' in response.text


def test_a_concurrent_edit_is_refused_and_the_typed_values_kept(client, rome, people):
    client.force_login(people["mentor"])
    url = reverse("mentoring:mentor_profile")
    client.post(url, MENTOR_FORM)
    client.post(url, {**MENTOR_FORM, "version": "1", "headline": "Autre onglet"})

    response = client.post(url, {**MENTOR_FORM, "version": "1", "headline": "Cet onglet"})

    assert response.status_code == 409
    assert "modifié entre-temps" in response.text
    assert 'value="Cet onglet"' in response.text
    assert MentorProfile.objects.get().headline == "Autre onglet"


def test_submit_and_pause_from_the_profile_page(client, rome, people):
    mentor = people["mentor"]
    client.force_login(mentor)
    client.post(reverse("mentoring:mentor_profile"), MENTOR_FORM)

    client.post(reverse("mentoring:mentor_profile_submit"))
    client.post(reverse("mentoring:mentor_profile_pause"), {"pause": "1"})

    profile = MentorProfile.objects.get(user=mentor)
    assert profile.status == MentorProfile.Status.SUBMITTED
    assert profile.paused_at is not None
    assert Notification.objects.filter(
        recipient=people["coordinator"], kind=MentoringNotice.MENTOR_PROFILE_SUBMITTED
    ).exists()
    page = client.get(reverse("mentoring:mentor_profile"))
    assert "En attente de validation" in page.text
    assert "En pause depuis le" in page.text
    assert "Reprendre" in page.text


def test_an_incomplete_profile_is_not_sent_and_the_mentor_is_told_why(client, rome, people):
    client.force_login(people["mentor"])
    client.post(
        reverse("mentoring:mentor_profile"),
        {**MENTOR_FORM, "current_fiches": [], "availability": []},
    )

    page = client.post(reverse("mentoring:mentor_profile_submit"), follow=True)

    assert "Avant d&#x27;envoyer votre profil" in page.text
    assert MentorProfile.objects.get().status == MentorProfile.Status.DRAFT


def test_mentee_needs_are_prefilled_from_the_preferred_project(client, rome, people, organisation):
    beneficiary = people["beneficiary"]
    bilan = bilan_open(
        consultant=people["consultant"], beneficiary=beneficiary, funding=Funding.CPF
    )
    project_create(
        actor=beneficiary,
        bilan=bilan,
        kind=ProjectKind.RECONVERSION,
        title="Devenir fleuriste",
        targets=Metier.objects.filter(code_rome="D1901"),
    )
    client.force_login(beneficiary)

    page = client.get(reverse("mentoring:mentee_needs"))

    assert page.status_code == 200
    assert 'id="target_fiches-D1901"' in page.text
    assert "Ce qu'un·e mentor verra" in page.text
    assert "Partager mes métiers visés : non" in page.text
    assert not MenteeProfile.objects.exists()


NEEDS_FORM = {
    "version": "0",
    "seeking": "on",
    "target_fiches": ["A1901"],
    "help_wanted": ["network"],
    "wishes": "Voir le métier de près.",
    "availability": ["1-2"],
    "languages": ["fr"],
    "mode": "remote",
    "employer": "Acme",
}


def test_the_preview_follows_the_consents_without_saving(client, rome, people):
    client.force_login(people["beneficiary"])

    response = client.post(
        reverse("mentoring:mentee_needs"),
        {**NEEDS_FORM, "share_targets": "on", "preview": "1"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert "<html" not in response.text
    assert "Métiers visés" in response.text
    assert "A1901" in response.text
    assert "Acme" not in response.text
    assert not MenteeProfile.objects.exists()


def test_the_preview_promises_only_what_the_requests_keep(client, rome, people):
    # A request shows the mentee's full name to the mentor written to ("Demande de Camille
    # Roussel"): the preview must not promise that the last name is never shown.
    client.force_login(people["beneficiary"])

    response = client.post(
        reverse("mentoring:mentee_needs"),
        {**NEEDS_FORM, "preview": "1"},
        headers={"HX-Request": "true"},
    )

    assert "votre nom de famille" not in response.text
    assert "Votre nom complet n'est donné qu'aux mentors à qui vous écrivez" in (response.text)


def test_a_beneficiary_saves_their_needs(client, rome, people):
    client.force_login(people["beneficiary"])

    response = client.post(reverse("mentoring:mentee_needs"), {**NEEDS_FORM, "share_gap": "on"})

    assert response.status_code == 302
    profile = MenteeProfile.objects.get(user=people["beneficiary"])
    assert profile.share_gap and not profile.share_project
    assert profile.availability == availability_bit(1, 2)
    page = client.get(reverse("mentoring:mentee_needs"))
    assert 'name="version" value="1"' in page.text


def test_missing_help_is_explained_next_to_the_field(client, rome, people):
    client.force_login(people["beneficiary"])

    response = client.post(reverse("mentoring:mentee_needs"), {**NEEDS_FORM, "help_wanted": []})

    assert response.status_code == 400
    assert 'id="id_help_wanted_error"' in response.text
    assert "Voir le métier de près." in response.text


def test_the_pool_lists_profiles_to_validate_first_with_places_in_few_queries(
    client, people, organisation, django_assert_max_num_queries
):
    coordinator = people["coordinator"]
    busy = mentor_profile(organisation, capacity=2)
    for _ in range(6):
        mentor_profile(organisation, capacity=3)
    waiting = mentor_profile(organisation, status=MentorProfile.Status.SUBMITTED)
    services.mentorship_start(
        mentee=member(Role.BENEFICIARY, organisation),
        mentor=busy,
        origin=Mentorship.Origin.ROUND,
        by=coordinator,
    )
    mentor_profile(member(Role.COORDINATOR).memberships.get().organisation)
    client.force_login(coordinator)

    with django_assert_max_num_queries(12):
        page = client.get(reverse("mentoring:pool"))

    assert page.status_code == 200
    rows = page.context["rows"]
    assert rows[0]["profile"] == waiting
    assert len(rows) == 8
    totals = page.context["totals"]
    assert (totals.capacity, totals.current, totals.free, totals.over) == (20, 1, 19, 0)


def test_the_coordinator_reviews_a_profile_and_sees_the_employer(client, people, organisation):
    profile = mentor_profile(
        organisation, status=MentorProfile.Status.SUBMITTED, employer="Menuiserie Dupont"
    )
    client.force_login(people["coordinator"])
    url = reverse("mentoring:pool_profile_review", args=[profile.pk])

    page = client.get(reverse("mentoring:pool_profile", args=[profile.pk]))
    assert "Menuiserie Dupont" in page.text

    refused = client.post(url, {"decision": "reject", "note": ""})
    assert refused.status_code == 400
    assert "la remarque est obligatoire" in refused.text

    client.post(url, {"decision": "validate"})
    profile.refresh_from_db()
    assert profile.status == MentorProfile.Status.VALIDATED

    again = client.post(url, {"decision": "validate"})
    assert again.status_code == 400
    assert "Seul un profil en attente de validation peut être relu" in again.text


def test_the_mentees_page_shows_cohorts_not_wishes(client, people, organisation):
    mentee = mentee_profile(organisation, wishes="Secret très personnel")
    mentee_profile(organisation, seeking=False)
    client.force_login(people["coordinator"])

    page = client.get(reverse("mentoring:mentees"))
    assert page.status_code == 200
    assert len(page.context["rows"]) == 1
    assert "Secret très personnel" not in page.text

    client.post(reverse("mentoring:mentee_cohort", args=[mentee.pk]), {"cohort": "Printemps"})
    mentee.refresh_from_db()
    assert mentee.cohort == "Printemps"


def test_the_coordinator_declares_and_lifts_an_incompatibility(client, people, organisation):
    mentee = mentee_profile(organisation)
    mentor = mentor_profile(organisation)
    client.force_login(people["coordinator"])
    url = reverse("mentoring:conflicts")

    missing = client.post(url, {"mentee": mentee.pk, "mentor": mentor.pk})
    assert missing.status_code == 400
    assert "Choisissez un motif." in missing.text

    client.post(
        url, {"mentee": mentee.pk, "mentor": mentor.pk, "reason": "reporting_line", "note": "N+1"}
    )
    conflict = DeclaredConflict.objects.get()
    assert "N+1" in client.get(url).text

    client.post(reverse("mentoring:conflict_delete", args=[conflict.pk]))
    assert not DeclaredConflict.objects.exists()


def test_the_incompatibilities_page_offers_a_few_people_and_finds_the_others(
    client, people, organisation
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(url) -> tuple[int, str]:
        client.get(url)  # the first request after signing in writes the session
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured), response.content.decode()

    url = reverse("mentoring:conflicts")
    client.force_login(people["coordinator"])
    for _ in range(3):
        mentee_profile(organisation)
        mentor_profile(organisation)
    small, small_page = queries(url)
    for _ in range(55):
        mentee_profile(organisation)
    last = mentee_profile(organisation)
    last.user.last_name = "Zzyzx"
    last.user.save()
    grown, page = queries(url)
    found_count, found = queries(url + "?personne=zzyz")

    assert small == grown == found_count
    # 3 people, then 59 of whom the list offers 50 (and the search, the one it finds).
    assert page.count("<option") - small_page.count("<option") == 50 - 3
    assert f'value="{last.pk}"' not in page
    assert f'value="{last.pk}"' in found
    assert found.count("<option") - small_page.count("<option") == 1 - 3


def test_a_search_of_the_incompatibilities_that_finds_nobody_says_so(client, people, organisation):
    mentee_profile(organisation)
    mentor_profile(organisation)
    client.force_login(people["coordinator"])

    page = client.get(reverse("mentoring:conflicts") + "?mentor=xyz").content.decode()

    assert page.count("Aucune personne ne correspond à «\u00a0xyz\u00a0».") == 1
    assert 'aria-describedby="search-mentor-none"' in page
    assert 'id="search-mentee-none"' not in page


def test_a_mentee_of_another_organisation_cannot_be_chosen(client, people, organisation):
    foreign = mentee_profile(member(Role.COORDINATOR).memberships.get().organisation)
    mentor = mentor_profile(organisation)
    client.force_login(people["coordinator"])

    response = client.post(
        reverse("mentoring:conflicts"),
        {"mentee": foreign.pk, "mentor": mentor.pk, "reason": "reporting_line"},
    )

    assert response.status_code == 400
    assert not DeclaredConflict.objects.exists()


def test_searching_a_fiche_by_name_keeps_everything_typed(client, rome, people):
    client.force_login(people["mentor"])

    response = client.post(
        reverse("mentoring:mentor_profile"),
        {
            **MENTOR_FORM,
            "headline": "Tapé avant la recherche",
            "past_fiches_q": "épicier",
            "fiche_search": "past_fiches",
        },
    )

    assert response.status_code == 200
    assert 'id="past_fiches-found-D1902"' in response.text
    assert 'value="Tapé avant la recherche"' in response.text
    assert 'id="current_fiches-A1901"' in response.text
    assert not MentorProfile.objects.exists()


def test_the_mentor_profile_folds_the_competences_and_lists_those_chosen(client, rome, people):
    profile = mentor_profile(
        people["mentor"].memberships.get().organisation,
        user=people["mentor"],
        fiches=["A1901", "D1901"],
    )
    fiches = list(Metier.objects.filter(code_rome__in=["A1901", "D1901"]))
    chosen = services.mentor_skill_choices(fiches)[0][1][0]
    profile.skills.set([chosen])
    client.force_login(people["mentor"])

    page = client.get(reverse("mentoring:mentor_profile"))
    html = " ".join(page.content.decode().split())

    groups = page.context["skill_groups"]
    assert [group["checked"] for group in groups] == [1, 0]
    assert html.count('<details class="compact-group"') == 3  # two fiches and the sectors
    assert '<details class="compact-group" open' not in html  # folded: no wall of boxes
    assert "1 compétence choisie" in html and chosen.libelle in html
    assert f"1 cochée sur {groups[0]['total']}" in html
    assert 'class="check-columns"' in html
