"""axe-core on the pages of bounded imports (docs/adr/0012-bounded-imports.md): a background
import while it waits, then failed, then its summarised report; the coordinator's ceilings.
Not a journey: each page is opened directly."""

from playwright.sync_api import expect

from tests.e2e.conftest import axe_check, sign_in
from tests.factories import member
from tisser.core.enums import Role
from tisser.network.exchange import contacts_import
from tisser.network.models import ContactImport, HowKnown


def test_the_background_import_pages_pass_axe(page, live_server, transactional_db):
    beneficiary = member(Role.BENEFICIARY)
    job = ContactImport.objects.create(
        owner=beneficiary,
        filename="gros.csv",
        how_known=HowKnown.OTHER,
        status=ContactImport.Status.RUNNING,
        rows_done=250,
        rows_total=1000,
    )
    sign_in(page, live_server, beneficiary)

    page.goto(f"/reseau/contacts/importer/{job.pk}/")
    expect(page.get_by_role("status")).to_contain_text("250 lignes vérifiées sur 1")
    axe_check(page)

    ContactImport.objects.filter(pk=job.pk).update(
        status=ContactImport.Status.FAILED, error="Le fichier dépasse 5 000 lignes."
    )
    page.get_by_role("link", name="Actualiser la page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import impossible")
    axe_check(page)

    raw = ("Nom;E-mail\n" + "Martin;anne@exemple.fr\n" * 120).encode()
    report = contacts_import(owner=beneficiary, raw=raw)
    ContactImport.objects.filter(pk=job.pk).update(
        status=ContactImport.Status.DONE, error="", report=report.as_data()
    )
    page.goto(f"/reseau/contacts/importer/{job.pk}/")
    expect(page.get_by_text("19 autres ont aussi été ignorés")).to_be_visible()
    axe_check(page)


def test_the_contact_ceiling_pages_pass_axe(page, live_server, transactional_db):
    coordinator = member(Role.COORDINATOR)
    organisation = coordinator.memberships.get().organisation
    beneficiary = member(Role.BENEFICIARY, organisation)
    sign_in(page, live_server, coordinator)

    page.goto("/coordination/plafonds-de-contacts/")
    axe_check(page)
    page.get_by_role("link", name=beneficiary.get_full_name()).click()
    page.get_by_label("Nombre de contacts au plus").fill("10")
    page.get_by_role("button", name="Enregistrer le plafond").click()
    expect(page.locator("#id_ceiling_error")).to_contain_text("Entre 2\xa0000 et 20\xa0000")
    axe_check(page)
