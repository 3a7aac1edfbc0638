"""The end of a bilan, by the law (R6313-7): the beneficiary, in conclusion, downloads their
synthèse and their "résultats détaillés" from their bilan page; the bilan is closed; the daily
job runs the next day (the service is called with that day: the browser's server runs in
another thread, freezegun cannot reach it) and the documents are gone. axe-core at 1280 and
390 px on the final-download page, with no sideways scroll at 390 px."""

from datetime import date, timedelta

from django.utils import timezone
from pypdf import PdfReader

from tests.bilans.helpers import open_bilan
from tests.bilans.synthesis_helpers import advance_to, validated_synthesis
from tests.e2e.conftest import axe_check, sign_in
from tests.factories import member
from tisser.bilans import services as bilans
from tisser.bilans.models import Experience, Phase, ProjectKind, SynthesisDocument
from tisser.bilans.services.retention import retention_apply
from tisser.core.enums import Role


def pdf_text(download) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(download.path()).pages)


def test_final_download_then_the_documents_are_gone_the_next_day(
    page, live_server, transactional_db
):
    consultant = member(Role.CONSULTANT)
    organisation = consultant.memberships.get().organisation
    person = member(Role.BENEFICIARY, organisation, invited_by=consultant)
    bilan = open_bilan(consultant, person)
    advance_to(bilan, Phase.INVESTIGATION)
    bilans.experience_create(
        actor=person,
        bilan=bilan,
        kind=Experience.Kind.JOB,
        title="Assistante de direction",
        organisation_name="Garonne Logistique",
        started_on=date(2015, 9, 1),
        ended_on=None,
        description="Agendas, budget, événements internes.",
    )
    bilans.project_create(
        actor=person, bilan=bilan, kind=ProjectKind.TRAINING, title="Devenir formatrice"
    )
    advance_to(bilan, Phase.CONCLUSION)
    validated_synthesis(bilan)

    sign_in(page, live_server, person)
    page.goto("/bilans/")
    main = page.get_by_role("main")
    main.get_by_role("link", name="Télécharger mes documents de fin de bilan").click()
    page.wait_for_url(f"**/bilans/{bilan.pk}/fin-du-bilan/")
    axe_check(page)
    page.set_viewport_size({"width": 390, "height": 844})
    axe_check(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.set_viewport_size({"width": 1280, "height": 900})

    synthesis_link = main.get_by_role("link", name="Mon document de synthèse (PDF)")
    if not synthesis_link.is_visible():  # rendered in a background task: reload once ready
        page.reload()
    with page.expect_download() as synthesis_download:
        synthesis_link.click()
    assert "3. Le ou les projets" in pdf_text(synthesis_download.value)
    with page.expect_download() as results_download:
        main.get_by_role("link", name="Mes résultats détaillés (PDF)").click()
    results = pdf_text(results_download.value)
    assert "Assistante de direction" in results
    assert "Devenir formatrice" in results

    # The consultant closes the bilan (services); the job runs the next day.
    bilan.refresh_from_db()
    bilans.bilan_phase_advance(actor=consultant, bilan=bilan, to_phase=Phase.CLOSED)
    bilan.refresh_from_db()
    sign_in(page, live_server, consultant)
    page.goto(f"/bilans/{bilan.pk}/")
    assert "Synthèse (PDF) téléchargée le" in main.inner_text()
    assert "Résultats détaillés (PDF) téléchargés le" in main.inner_text()

    retention_apply(today=timezone.localdate(bilan.closed_at) + timedelta(days=1))

    assert not Experience.objects.filter(bilan=bilan).exists()
    assert not SynthesisDocument.objects.filter(bilan=bilan).exists()
    sign_in(page, live_server, person)
    page.goto(f"/bilans/{bilan.pk}/fin-du-bilan/")
    assert "ont été détruits le" in main.inner_text()
    axe_check(page)
