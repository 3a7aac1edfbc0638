import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import escape

from tests.factories import OrganisationFactory, member
from tisser.core.enums import Role
from tisser.core.errors import StaleVersion
from tisser.core.models import AuditEvent
from tisser.network import default_guide
from tisser.network.models import GuideQuestion, GuideTheme, InterviewGuide
from tisser.network.services import guides as services


@pytest.fixture
def guide(organisation):
    return services.interview_guide_install_default(organisation=organisation)


def texts(guide, theme):
    return list(guide.questions.filter(theme=theme).values_list("text", flat=True))


def test_the_default_guide_has_three_or_four_questions_for_each_of_the_nine_themes():
    assert set(default_guide.QUESTIONS) == set(GuideTheme)
    assert all(3 <= len(questions) <= 4 for questions in default_guide.QUESTIONS.values())


def test_installing_the_default_guide_is_idempotent(organisation):
    first = services.interview_guide_install_default(organisation=organisation)
    second = services.interview_guide_install_default(organisation=organisation)

    assert first is not None and second is None
    assert InterviewGuide.objects.filter(organisation=organisation).count() == 1
    assert first.questions.count() == sum(len(q) for q in default_guide.QUESTIONS.values())
    assert texts(first, GuideTheme.REFERRALS)[0] == str(
        default_guide.QUESTIONS[GuideTheme.REFERRALS][0]
    )


def test_an_organisation_with_its_own_guide_gets_no_default(people, organisation):
    services.interview_guide_create(
        actor=people["coordinator"], organisation=organisation, title="Le nôtre"
    )

    assert services.interview_guide_install_default(organisation=organisation) is None
    assert list(InterviewGuide.objects.values_list("title", flat=True)) == ["Le nôtre"]


@pytest.mark.parametrize("role", ["coordinator", "consultant"])
def test_coordinators_and_consultants_edit_their_organisation_guides(people, guide, role):
    actor = people[role]

    services.interview_guide_update(
        actor=actor,
        guide=guide,
        title="Guide revu",
        description="Pour les reconversions",
        is_active=False,
        expected_version=guide.version,
    )
    question = services.guide_question_add(
        actor=actor, guide=guide, theme=GuideTheme.ADVICE, text="  Une   question ? "
    )

    guide.refresh_from_db()
    assert (guide.title, guide.is_active, guide.version) == ("Guide revu", False, 2)
    assert question.text == "Une question ?"
    assert texts(guide, GuideTheme.ADVICE)[-1] == "Une question ?"
    assert (
        AuditEvent.objects.filter(
            action__in=["interview_guide.update", "guide_question.add"], actor=actor
        ).count()
        == 2
    )


@pytest.mark.parametrize("role", ["beneficiary", "mentor"])
def test_beneficiaries_and_mentors_do_not_edit_guides(people, guide, role):
    question = guide.questions.first()
    with pytest.raises(PermissionDenied):
        services.guide_question_add(
            actor=people[role], guide=guide, theme=GuideTheme.ADVICE, text="?"
        )
    with pytest.raises(PermissionDenied):
        services.guide_question_delete(actor=people[role], question=question)


def test_a_consultant_of_another_organisation_does_not_edit_the_guide(guide):
    outsider = member(Role.CONSULTANT, OrganisationFactory())
    with pytest.raises(PermissionDenied):
        services.interview_guide_update(
            actor=outsider,
            guide=guide,
            title="x",
            description="",
            is_active=True,
            expected_version=guide.version,
        )


def test_two_editors_saving_the_guide_do_not_overwrite_each_other(people, guide):
    services.interview_guide_update(
        actor=people["coordinator"],
        guide=guide,
        title="Version de la coordination",
        description="",
        is_active=True,
        expected_version=1,
    )

    with pytest.raises(StaleVersion) as conflict:
        services.interview_guide_update(
            actor=people["consultant"],
            guide=guide,
            title="Version du conseiller",
            description="",
            is_active=True,
            expected_version=1,
        )

    assert conflict.value.current.title == "Version de la coordination"
    assert conflict.value.version == 2
    guide.refresh_from_db()
    assert guide.title == "Version de la coordination"


def test_a_question_edited_twice_from_the_same_version_is_a_conflict(people, guide):
    question = guide.questions.first()
    services.guide_question_update(
        actor=people["coordinator"],
        question=question,
        theme=question.theme,
        text="Première",
        expected_version=1,
    )
    with pytest.raises(StaleVersion) as conflict:
        services.guide_question_update(
            actor=people["consultant"],
            question=question,
            theme=question.theme,
            text="Seconde",
            expected_version=1,
        )
    assert conflict.value.current.text == "Première"


@pytest.mark.parametrize(
    ("title", "theme", "text", "field"),
    [
        (" ", GuideTheme.ADVICE, "ok", "title"),
        ("ok", "inconnu", "ok", "theme"),
        ("ok", GuideTheme.ADVICE, " ", "text"),
    ],
)
def test_bad_input_is_reported_next_to_its_field(people, guide, title, theme, text, field):
    with pytest.raises(ValidationError) as error:
        if field == "title":
            services.interview_guide_create(
                actor=people["coordinator"], organisation=guide.organisation, title=title
            )
        else:
            services.guide_question_add(
                actor=people["coordinator"], guide=guide, theme=theme, text=text
            )
    assert field in error.value.message_dict


def test_questions_move_up_and_down_within_their_theme(people, guide):
    first, second, third = guide.questions.filter(theme=GuideTheme.CAREER)

    assert services.guide_question_move(actor=people["consultant"], question=third, direction="up")
    assert not services.guide_question_move(
        actor=people["consultant"], question=first, direction="up"
    )

    assert texts(guide, GuideTheme.CAREER) == [first.text, third.text, second.text]


def test_a_question_moved_to_another_theme_goes_to_its_end(people, guide):
    question = guide.questions.filter(theme=GuideTheme.CAREER).first()
    services.guide_question_update(
        actor=people["coordinator"],
        question=question,
        theme=GuideTheme.ADVICE,
        text=question.text,
        expected_version=1,
    )
    assert texts(guide, GuideTheme.ADVICE)[-1] == question.text


# Pages


def test_the_first_editor_to_open_the_guides_page_installs_the_default(
    client, people, organisation
):
    client.force_login(people["coordinator"])

    response = client.get(reverse("network:guides"))

    assert response.status_code == 200
    assert InterviewGuide.objects.filter(organisation=organisation).count() == 1
    assert escape(str(default_guide.TITLE)) in response.content.decode()


def test_beneficiaries_see_the_active_guides_read_only(client, people, organisation, guide):
    hidden = services.interview_guide_create(
        actor=people["coordinator"], organisation=organisation, title="Brouillon", is_active=False
    )
    client.force_login(people["beneficiary"])

    listing = client.get(reverse("network:guides")).content.decode()
    page = client.get(reverse("network:guide", args=[guide.pk]))

    assert escape(guide.title) in listing and "Brouillon" not in listing
    assert page.status_code == 200
    assert "Ajouter la question" not in page.content.decode()
    assert client.get(reverse("network:guide", args=[hidden.pk])).status_code == 404
    assert (
        client.post(
            reverse("network:guide_question_add", args=[guide.pk]),
            {"theme": "advice", "advice-theme": "advice", "advice-text": "Intrusion ?"},
        ).status_code
        == 404
    )
    assert not GuideQuestion.objects.filter(text="Intrusion ?").exists()


def test_an_empty_guide_is_offered_from_its_first_question(client, people, organisation):
    empty = services.interview_guide_create(
        actor=people["coordinator"], organisation=organisation, title="Guide vide"
    )
    client.force_login(people["beneficiary"])
    assert "Guide vide" not in client.get(reverse("network:guides")).content.decode()
    assert client.get(reverse("network:guide", args=[empty.pk])).status_code == 404
    client.force_login(people["coordinator"])
    assert "dès sa première question" in client.get(reverse("network:guides")).content.decode()

    services.guide_question_add(
        actor=people["coordinator"], guide=empty, theme="advice", text="Un conseil ?"
    )

    client.force_login(people["beneficiary"])
    assert "Guide vide" in client.get(reverse("network:guides")).content.decode()
    assert InterviewGuide.objects.offered().filter(pk=empty.pk).exists()


def test_an_editor_adds_a_question_from_the_page(client, people, guide):
    client.force_login(people["consultant"])

    response = client.post(
        reverse("network:guide_question_add", args=[guide.pk]),
        {"theme": "advice", "advice-theme": "advice", "advice-text": "Et demain ?"},
    )

    assert response.status_code == 302
    assert texts(guide, GuideTheme.ADVICE)[-1] == "Et demain ?"


def test_an_empty_question_is_refused_next_to_its_field(client, people, guide):
    client.force_login(people["consultant"])

    response = client.post(
        reverse("network:guide_question_add", args=[guide.pk]),
        {"theme": "advice", "advice-theme": "advice", "advice-text": ""},
    )

    assert response.status_code == 400
    assert 'id="id_advice-text_error"' in response.content.decode()


def test_a_conflicting_guide_save_shows_both_versions(client, people, guide):
    services.interview_guide_update(
        actor=people["coordinator"],
        guide=guide,
        title="Titre enregistré",
        description="",
        is_active=True,
        expected_version=1,
    )
    client.force_login(people["consultant"])

    response = client.post(
        reverse("network:guide", args=[guide.pk]),
        {"title": "Mon titre", "description": "", "is_active": "on", "version": "1"},
    )

    content = response.content.decode()
    assert response.status_code == 409
    assert "Titre enregistré" in content and 'value="Mon titre"' in content


def test_editors_of_another_organisation_get_a_404(client, guide):
    outsider = member(Role.COORDINATOR, OrganisationFactory())
    client.force_login(outsider)
    question = guide.questions.first()

    assert client.get(reverse("network:guide", args=[guide.pk])).status_code == 404
    assert (
        client.post(reverse("network:guide_question_delete", args=[question.pk])).status_code == 404
    )
    assert GuideQuestion.objects.filter(pk=question.pk).exists()


def test_the_guide_list_reads_in_a_constant_number_of_queries(
    client, people, organisation, guide, django_assert_max_num_queries
):
    for index in range(5):
        created = services.interview_guide_create(
            actor=people["coordinator"], organisation=organisation, title=f"Guide {index}"
        )
        services.guide_question_add(
            actor=people["coordinator"], guide=created, theme="advice", text="Un conseil ?"
        )
    client.force_login(people["beneficiary"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("network:guides"))
    assert response.content.decode().count("question") >= 6


def test_the_demo_organisation_gets_the_default_guide_once(db):
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())

    guide = InterviewGuide.objects.get()
    assert guide.title == str(default_guide.TITLE)
    assert guide.questions.count() == sum(len(q) for q in default_guide.QUESTIONS.values())
