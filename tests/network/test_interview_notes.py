import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import escape

from tests.bilans.helpers import open_bilan
from tests.network.guides_helpers import interview, metier
from tisser.bilans.models import ProjectKind
from tisser.bilans.services import project_create
from tisser.core.errors import StaleVersion
from tisser.core.models import AuditEvent
from tisser.network.models import GuideTheme, InterviewNote, InterviewQuestion, Verdict
from tisser.network.services import guides, notes, preparation


@pytest.fixture
def guide(organisation):
    return guides.interview_guide_install_default(organisation=organisation)


@pytest.fixture
def enquete(people):
    return interview(people["beneficiary"])


def prepared(enquete, theme=GuideTheme.CAREER):
    return list(enquete.questions.filter(theme=theme).values_list("text", flat=True))


def test_preparing_copies_the_guide_questions_once(people, guide, enquete):
    owner = people["beneficiary"]
    preparation.interview_question_add(
        actor=owner, interview=enquete, theme=GuideTheme.CAREER, text="Ma question à moi ?"
    )

    added = preparation.interview_guide_apply(actor=owner, interview=enquete, guide=guide)
    again = preparation.interview_guide_apply(actor=owner, interview=enquete, guide=guide)

    assert added == guide.questions.count() and again == 0
    assert prepared(enquete)[0] == "Ma question à moi ?"
    assert prepared(enquete)[1:] == list(
        guide.questions.filter(theme=GuideTheme.CAREER).values_list("text", flat=True)
    )
    assert AuditEvent.objects.filter(action="interview.guide_apply").count() == 2


def test_a_prepared_copy_does_not_change_when_the_guide_does(people, guide, enquete):
    preparation.interview_guide_apply(actor=people["beneficiary"], interview=enquete, guide=guide)
    question = guide.questions.first()

    guides.guide_question_delete(actor=people["coordinator"], question=question)

    assert question.text in prepared(enquete, question.theme)


def test_an_inactive_guide_cannot_be_copied(people, guide, enquete):
    guide.is_active = False
    guide.save()
    with pytest.raises(PermissionDenied):
        preparation.interview_guide_apply(
            actor=people["beneficiary"], interview=enquete, guide=guide
        )


def test_only_the_owner_prepares_the_enquete(people, enquete):
    with pytest.raises(PermissionDenied):
        preparation.interview_question_add(
            actor=people["consultant"], interview=enquete, theme=GuideTheme.CAREER, text="?"
        )


def test_prepared_questions_are_reordered_and_removed(people, enquete):
    owner = people["beneficiary"]
    first, second = (
        preparation.interview_question_add(
            actor=owner, interview=enquete, theme=GuideTheme.ADVICE, text=text
        )
        for text in ("Un ?", "Deux ?")
    )

    preparation.interview_question_move(actor=owner, question=second, direction="up")
    assert prepared(enquete, GuideTheme.ADVICE) == ["Deux ?", "Un ?"]

    preparation.interview_question_delete(actor=owner, question=first)
    assert prepared(enquete, GuideTheme.ADVICE) == ["Deux ?"]


def test_notes_are_saved_per_theme_and_only_changed_ones_move_on(people, enquete):
    owner = people["beneficiary"]
    changed = notes.interview_notes_save(
        actor=owner,
        interview=enquete,
        texts={"career": "Ingénieure puis cheffe de projet", "advice": ""},
        versions={"career": 0, "advice": 0},
    )
    assert changed == 1
    note = InterviewNote.objects.get(interview=enquete, theme="career")
    assert (note.text, note.version) == ("Ingénieure puis cheffe de projet", 1)

    notes.interview_notes_save(
        actor=owner,
        interview=enquete,
        texts={"career": "Ingénieure puis cheffe de projet", "missions": "Réunions"},
        versions={"career": 1, "missions": 0},
    )
    note.refresh_from_db()
    assert note.version == 1


def test_a_note_saved_elsewhere_is_a_conflict_and_nothing_is_written(people, enquete):
    owner = people["beneficiary"]
    notes.interview_notes_save(
        actor=owner, interview=enquete, texts={"career": "Onglet A"}, versions={"career": 0}
    )

    with pytest.raises(StaleVersion) as conflict:
        notes.interview_notes_save(
            actor=owner,
            interview=enquete,
            texts={"career": "Onglet B", "advice": "Conseil"},
            versions={"career": 0, "advice": 0},
        )

    assert conflict.value.current == {"career": ("Onglet A", 1)}
    assert list(enquete.notes.values_list("theme", "text")) == [("career", "Onglet A")]


def test_the_synthesis_links_a_bilan_project_and_a_fiche(people, enquete):
    owner = people["beneficiary"]
    bilan = open_bilan(people["consultant"], owner)
    project = project_create(
        actor=owner, bilan=bilan, kind=ProjectKind.TRAINING, title="Devenir dev"
    )
    fiche = metier()

    saved = notes.interview_synthesis_save(
        actor=owner,
        interview=enquete,
        takeaways="Beaucoup de travail en équipe",
        about_me="J'aime apprendre",
        verdict=Verdict.GO,
        project=project,
        metier=fiche,
        expected_version=enquete.version,
    )

    assert (saved.verdict, saved.project, saved.metier, saved.version) == (
        "go",
        project,
        fiche,
        2,
    )


def test_another_persons_project_is_refused(people, enquete):
    from tests.factories import member
    from tisser.core.enums import Role

    other = member(Role.BENEFICIARY, enquete.contact.organisation, invited_by=people["consultant"])
    project = project_create(
        actor=other,
        bilan=open_bilan(people["consultant"], other),
        kind=ProjectKind.TRAINING,
        title="Le sien",
    )
    with pytest.raises(ValidationError) as error:
        notes.interview_synthesis_save(
            actor=people["beneficiary"],
            interview=enquete,
            takeaways="",
            about_me="",
            verdict="",
            project=project,
            metier=None,
            expected_version=enquete.version,
        )
    assert "project" in error.value.message_dict


def test_a_synthesis_saved_elsewhere_is_a_conflict(people, enquete):
    args = {"about_me": "", "verdict": "", "project": None, "metier": None}
    notes.interview_synthesis_save(
        actor=people["beneficiary"],
        interview=enquete,
        takeaways="Première",
        expected_version=1,
        **args,
    )
    with pytest.raises(StaleVersion) as conflict:
        notes.interview_synthesis_save(
            actor=people["beneficiary"],
            interview=enquete,
            takeaways="Seconde",
            expected_version=1,
            **args,
        )
    assert conflict.value.current.takeaways == "Première"
    enquete.refresh_from_db()
    assert enquete.takeaways == "Première"


# Pages


def test_the_preparation_page_copies_a_guide_and_prints(client, people, guide, enquete):
    client.force_login(people["beneficiary"])
    page = client.get(reverse("network:interview_prepare", args=[enquete.pk]))
    assert page.status_code == 200 and escape(guide.title) in page.content.decode()

    response = client.post(
        reverse("network:interview_guide_apply", args=[enquete.pk]), {"guide": guide.pk}
    )
    printed = client.get(reverse("network:interview_print", args=[enquete.pk])).content.decode()

    assert response.status_code == 302
    assert InterviewQuestion.objects.filter(interview=enquete).count() == guide.questions.count()
    assert f"Mon guide pour l'entretien avec {enquete.contact}" in printed
    assert "@media print" not in printed  # the print rules live in the stylesheet


def test_choosing_no_guide_says_so_next_to_the_choice(client, people, guide, enquete):
    client.force_login(people["beneficiary"])
    response = client.post(reverse("network:interview_guide_apply", args=[enquete.pk]), {})
    assert response.status_code == 400
    assert "Choisissez un guide." in response.content.decode()


def test_conflicting_notes_keep_the_persons_text_and_show_the_saved_one(client, people, enquete):
    notes.interview_notes_save(
        actor=people["beneficiary"],
        interview=enquete,
        texts={"career": "Texte de l'autre onglet"},
        versions={"career": 0},
    )
    client.force_login(people["beneficiary"])
    data = {f"version_{theme}": "0" for theme in GuideTheme.values} | {
        "text_career": "Mon texte à moi"
    }

    response = client.post(reverse("network:interview_notes", args=[enquete.pk]), data)

    content = response.content.decode()
    assert response.status_code == 409
    assert "Mon texte à moi" in content and "Texte de l&#x27;autre onglet" in content
    assert 'name="version_career" value="1"' in content


def test_the_notes_page_shows_the_prepared_questions_above_each_theme(client, people, enquete):
    preparation.interview_question_add(
        actor=people["beneficiary"],
        interview=enquete,
        theme=GuideTheme.CONDITIONS,
        text="Quels horaires ?",
    )
    client.force_login(people["beneficiary"])
    content = client.get(reverse("network:interview_notes", args=[enquete.pk])).content.decode()
    assert content.index("Quels horaires ?") < content.index('id="id_text_conditions"')


def test_the_synthesis_form_refuses_an_unknown_rome_code(client, people, enquete):
    client.force_login(people["beneficiary"])
    response = client.post(
        reverse("network:interview_synthesis", args=[enquete.pk]),
        {"synthese-takeaways": "Gardé", "synthese-code_rome": "Z0000", "synthese-version": "1"},
    )
    content = response.content.decode()
    assert response.status_code == 400
    assert "Aucune fiche ne porte le code" in content and "Gardé" in content


def test_a_consultant_reads_shared_notes_but_cannot_write_them(client, people, enquete):
    from tisser.network.models import NetworkSharing

    NetworkSharing.objects.create(owner=people["beneficiary"], with_consultant=True)
    client.force_login(people["consultant"])
    url = reverse("network:interview_notes", args=[enquete.pk])

    assert client.get(url).status_code == 200
    assert "Enregistrer mes notes" not in client.get(url).content.decode()
    assert client.post(url, {"text_career": "x"}).status_code == 404
    assert client.get(reverse("network:interview_prepare", args=[enquete.pk])).status_code == 404
