"""'À faire maintenant' on Mon bilan: what comes next at each point of the journey."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.bilans.helpers import advance_to, closed_bilan, open_bilan
from tests.bilans.synthesis_helpers import submitted_synthesis
from tests.bilans.test_satisfaction import full_answers
from tests.mentoring.helpers import mentee_profile
from tisser.assessments import isolation
from tisser.assessments.services import isolation_check_record
from tisser.bilans import services as bilans
from tisser.bilans.journey import next_steps
from tisser.bilans.models import Bilan, Experience, Outcome, Phase


@pytest.fixture
def bilan(people):
    return open_bilan(people["consultant"], people["beneficiary"])


def labels(bilan, *, has_consent=True, limit=10):
    return [str(step.label) for step in next_steps(bilan, has_consent=has_consent, limit=limit)]


def test_consent_comes_first(bilan):
    assert labels(bilan, has_consent=False) == ["Lire et donner votre consentement"]


def test_then_the_starting_point_on_isolation(bilan):
    steps = next_steps(bilan, has_consent=True)
    assert [str(s.label) for s in steps] == ["Faire le point sur votre isolement (début du bilan)"]
    assert steps[0].url.endswith("?moment=start")


def test_in_investigation_the_tools_not_yet_used_are_proposed_in_order(bilan):
    bilan = advance_to(bilan, Phase.INVESTIGATION)
    isolation_check_record(
        user=bilan.beneficiary, moment="start", answers={i.id: 3 for i in isolation.ITEMS}
    )
    Experience.objects.create(
        bilan=bilan, kind=Experience.Kind.JOB, title="Comptable", started_on=date(2015, 1, 1)
    )

    assert labels(bilan)[:3] == [
        "Raconter une réussite",
        "Explorer vos centres d'intérêt",
        "Préciser vos valeurs et motivations",
    ]
    assert "Retracer votre parcours" not in labels(bilan)
    assert len(next_steps(bilan, has_consent=True)) == 3  # a short list, not a checklist


def test_a_submitted_synthesis_to_validate_comes_before_anything_else(bilan):
    bilan = advance_to(bilan, Phase.CONCLUSION)
    submitted_synthesis(bilan)

    assert labels(bilan)[0] == "Relire et valider votre document de synthèse"


def test_after_the_bilan_the_final_download_then_satisfaction_isolation_a_mentor(people):
    bilan = closed_bilan(people["consultant"], people["beneficiary"])
    download = "Télécharger vos documents avant leur destruction"

    # R6313-7: the documents go the day after the end; keeping a copy comes first.
    assert labels(bilan) == [
        download,
        "Donner votre avis sur le bilan",
        "Refaire le point sur votre isolement",
        "Trouver un·e mentor pour passer à l'action",
    ]
    bilans.satisfaction_respond(
        beneficiary=bilan.beneficiary,
        bilan=bilan,
        moment="end",
        answers=full_answers(),
    )
    assert labels(bilan) == [
        download,
        "Refaire le point sur votre isolement",
        "Trouver un·e mentor pour passer à l'action",
    ]
    # once they have described what they expect of a mentor, the step is done
    mentee_profile(bilan.organisation, user=bilan.beneficiary)
    assert labels(bilan) == [download, "Refaire le point sur votre isolement"]
    # once the documents are destroyed, there is nothing left to download
    Bilan.objects.filter(pk=bilan.pk).update(purged_at=timezone.now())
    bilan.refresh_from_db()
    assert labels(bilan) == ["Refaire le point sur votre isolement"]


def test_an_interrupted_bilan_leads_to_no_mentor(people):
    bilan = closed_bilan(people["consultant"], people["beneficiary"])
    Bilan.objects.filter(pk=bilan.pk).update(outcome=Outcome.INTERRUPTED)
    bilan.refresh_from_db()
    bilans.satisfaction_respond(
        beneficiary=bilan.beneficiary, bilan=bilan, moment="end", answers=full_answers()
    )

    assert "Trouver un·e mentor pour passer à l'action" not in labels(bilan)


def test_mon_bilan_shows_what_to_do_now(client, bilan):
    client.force_login(bilan.beneficiary)

    html = client.get(reverse("bilans:mine")).content.decode()

    assert "À faire maintenant" in html
    assert 'href="#consent-title"' in html
