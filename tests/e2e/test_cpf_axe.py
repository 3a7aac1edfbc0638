"""A CPF bilan interrupted for absences: its service-fait line in the coordinator's export
page, the CPF list, the dossier pages and the BPF page, with axe-core at 1280 and 390 px and
no sideways scroll on a phone."""

from django.utils import timezone
from playwright.sync_api import expect

from tests.bilans.test_cpf_pages import interrupted
from tests.e2e.conftest import axe_check, sign_in
from tests.factories import member
from tisser.core.enums import Role

WIDTHS = (1280, 390)


def check_widths(page) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        axe_check(page)
        if width < 500:
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{page.url} scrolls sideways at {width} px"


def test_the_interrupted_cpf_bilan_in_the_service_fait_export(page, live_server, transactional_db):
    consultant = member(Role.CONSULTANT)
    organisation = consultant.memberships.get().organisation
    coordinator = member(Role.COORDINATOR, organisation)
    people = {"consultant": consultant, "coordinator": coordinator}
    bilan = interrupted(people, organisation)

    sign_in(page, live_server, coordinator)
    page.goto("/coordination/cpf/service-fait/")
    row = page.get_by_role("row").filter(has_text="7903318472")
    expect(row).to_contain_text("Élodie Gauthier")
    expect(row).to_contain_text("partielle")
    expect(row).to_contain_text("Absence")
    expect(row).to_contain_text("38")
    check_widths(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger les lignes (CSV)").click()
    assert download.value.suggested_filename.startswith("cpf-service-fait-")

    for path in (
        "/coordination/cpf/",
        f"/coordination/cpf/{bilan.pk}/",
        f"/coordination/bpf/?year={timezone.localdate().year}",
    ):
        page.goto(path)
        check_widths(page)

    sign_in(page, live_server, consultant)
    page.goto(f"/bilans/{bilan.pk}/dossier-cpf/")
    page.get_by_label("Numéro de dossier CPF").fill("AB12")
    page.get_by_role("button", name="Enregistrer le dossier CPF").click()
    expect(page.locator(".field-error").first).to_be_visible()
    check_widths(page)
