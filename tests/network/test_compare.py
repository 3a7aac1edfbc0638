from datetime import datetime
from zoneinfo import ZoneInfo

from django.urls import reverse

from tests.network.guides_helpers import contact, interview, metier
from tisser.network.models import Stage, StageEvent, Verdict
from tisser.network.services import notes

START = datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))


def done(owner, name, fiche, *, career="", verdict="", takeaways=""):
    enquete = interview(
        owner,
        stage=Stage.INTERVIEW_DONE,
        at=START,
        metier=fiche,
        verdict=verdict,
        takeaways=takeaways,
        with_contact=contact(owner, last_name=name),
    )
    StageEvent.objects.create(interview=enquete, stage=Stage.INTERVIEW_DONE, at=START)
    if career:
        notes.interview_notes_save(
            actor=owner, interview=enquete, texts={"career": career}, versions={"career": 0}
        )
    return enquete


def test_enquetes_about_a_fiche_are_compared_side_by_side(client, people):
    owner = people["beneficiary"]
    fiche, other = metier(), metier("K2111", "Formation professionnelle")
    done(owner, "Arnaud", fiche, career="Autodidacte", verdict=Verdict.GO, takeaways="Passion")
    done(owner, "Brigitte", fiche, career="École d'ingénieur", verdict=Verdict.EXPLORE)
    done(owner, "Autre", other, career="Pas ce métier")
    interview(owner, stage=Stage.MESSAGE_SENT, metier=fiche)  # not met yet: no column
    client.force_login(owner)

    response = client.get(reverse("network:fiche_compare", args=[fiche.code_rome]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "<caption>" in content and content.count('<th scope="col">') == 3
    assert content.count('<th scope="row">') == 10  # nine themes and what I retain
    assert "Autodidacte" in content and "École d&#x27;ingénieur" in content
    assert "Pas ce métier" not in content
    assert "GO : ce métier me correspond" in content and "2 mars 2026" in content
    assert 'data-label="Arnaud"' in content


def test_the_contacts_fiche_counts_when_the_enquete_names_none(client, people):
    owner = people["beneficiary"]
    fiche = metier()
    enquete = interview(
        owner, stage=Stage.THANKED, with_contact=contact(owner, last_name="Chloé", metier=fiche)
    )
    client.force_login(owner)

    content = client.get(reverse("network:fiche_compare", args=[fiche.code_rome])).content
    assert str(enquete.contact).encode() in content


def test_the_comparison_reads_in_a_constant_number_of_queries(
    client, people, django_assert_max_num_queries
):
    owner = people["beneficiary"]
    fiche = metier()
    for index in range(6):
        done(owner, f"Nom{index}", fiche, career=f"Parcours {index}")
    client.force_login(owner)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("network:fiche_compare", args=[fiche.code_rome]))
    assert response.content.decode().count('<th scope="col">') == 7


def test_nobody_sees_someone_elses_enquetes_in_the_comparison(client, people, organisation):
    from tests.factories import member
    from tisser.core.enums import Role

    fiche = metier()
    other = member(Role.BENEFICIARY, organisation)
    done(other, "Secret", fiche, career="Confidentiel")
    client.force_login(people["beneficiary"])

    content = client.get(reverse("network:fiche_compare", args=[fiche.code_rome])).content
    assert b"Confidentiel" not in content and b"Secret" not in content
    assert client.get(reverse("network:fiche_compare", args=["Z0000"])).status_code == 404


def test_the_notes_page_links_to_the_comparison_when_there_is_another_enquete(client, people):
    owner = people["beneficiary"]
    fiche = metier()
    first = done(owner, "Un", fiche)
    client.force_login(owner)
    url = reverse("network:interview_notes", args=[first.pk])
    compare = reverse("network:fiche_compare", args=[fiche.code_rome])

    assert compare not in client.get(url).content.decode()
    done(owner, "Deux", fiche)
    assert compare in client.get(url).content.decode()
