"""axe-core on the exploration and projects pages, as the beneficiary (forms) and as their
consultant (read-only). Not a journey: the lead's bilan journey walks through them."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.e2e.conftest import axe_check
from tests.factories import OrganisationFactory, member
from tests.fixtures.rome_fixture import FIXTURE
from tisser.assessments.models import InventoryResponse
from tisser.bilans import services as bilans
from tisser.bilans.models import Funding, ItemKind, PortfolioItem, ProjectKind
from tisser.core.enums import Role
from tisser.referentiel.models import Metier
from tisser.referentiel.recommendations import clear_recommendation_cache

SCREENSHOTS = None  # a folder path to keep screenshots while working on the pages


@pytest.fixture
def explored(transactional_db):
    clear_recommendation_cache()
    call_command("import_rome", str(FIXTURE), verbosity=0)
    organisation = OrganisationFactory()
    consultant = member(Role.CONSULTANT, organisation)
    beneficiary = member(Role.BENEFICIARY, organisation, invited_by=consultant)
    bilan = bilans.bilan_open(consultant=consultant, beneficiary=beneficiary, funding=Funding.CPF)
    InventoryResponse.objects.create(
        user=beneficiary,
        organisation=organisation,
        kind=InventoryResponse.Kind.INTERESTS,
        version="test",
        scores={"R": 10, "I": 20, "A": 70, "S": 90, "E": 30, "C": 10},
    )
    PortfolioItem.objects.create(
        bilan=bilan, kind=ItemKind.COMPETENCE, code_ogr=96008, label="Atelier", level=3
    )
    k1901 = Metier.objects.get(code_rome="K1901")
    bilans.shortlist_add(actor=beneficiary, bilan=bilan, metier=k1901)
    project = bilans.project_create(
        actor=beneficiary,
        bilan=bilan,
        kind=ProjectKind.TRAINING,
        title="Animer des ateliers",
        targets=[k1901],
    )
    today = timezone.localdate()
    bilans.project_step_add(
        actor=beneficiary, project=project, title="En retard", due_on=today - timedelta(3)
    )
    bilans.project_step_add(
        actor=beneficiary, project=project, title="À venir", due_on=today + timedelta(9)
    )
    yield {"bilan": bilan, "project": project, "beneficiary": beneficiary, "consultant": consultant}
    clear_recommendation_cache()


def sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


@pytest.mark.parametrize("who", ["beneficiary", "consultant"])
def test_exploration_and_project_pages_pass_axe(page, live_server, explored, who):
    sign_in(page, live_server, explored[who])
    bilan, project = explored["bilan"].pk, explored["project"].pk
    paths = [
        f"/bilans/{bilan}/pistes/",
        f"/bilans/{bilan}/pistes/K1901/",
        f"/bilans/{bilan}/pistes/chercher/?q=boulanger",
        f"/bilans/{bilan}/selection/",
        f"/bilans/{bilan}/projets/",
        f"/bilans/{bilan}/projets/{project}/",
    ]
    if who == "beneficiary":
        step = explored["project"].steps.first().pk
        paths += [
            f"/bilans/{bilan}/projets/nouveau/",
            f"/bilans/{bilan}/projets/{project}/modifier/",
            f"/bilans/{bilan}/projets/{project}/etapes/{step}/",
            f"/bilans/{bilan}/projets/{project}/supprimer/",
        ]
    for number, path in enumerate(paths):
        response = page.goto(path)
        assert response.status == 200, path
        axe_check(page)
        if SCREENSHOTS:
            page.screenshot(path=f"{SCREENSHOTS}/{who}-{number}.png", full_page=True)
