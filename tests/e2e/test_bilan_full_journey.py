"""The whole bilan de compétences, through the pages, as the consultant and the beneficiary:
the bilan opened (employer funding) and its convention downloaded, consent, the phases, an
entretien and its émargement, the isolation check, the interests inventory, a réussite and
the compétence it brings to the portfolio, the pistes de métiers and the shortlist, a
project, the document de synthèse drafted, validated and downloaded as a PDF whose text is
checked, the bilan closed and the satisfaction questionnaire offered. axe-core runs on every
page visited."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.bilans.synthesis_helpers import preliminary_done
from tests.e2e.conftest import axe_check
from tests.e2e.test_invitation_journey import sign_in_as
from tests.factories import member
from tests.fixtures.rome_fixture import FIXTURE
from tisser.bilans.models import Bilan, Phase
from tisser.core.enums import Role
from tisser.meetings.models import Occurrence
from tisser.referentiel.recommendations import clear_recommendation_cache

SYNTHESIS_SENTENCE = "Camille souhaite animer des ateliers numériques auprès de seniors."


@pytest.fixture
def rome(transactional_db):
    clear_recommendation_cache()
    call_command("import_rome", str(FIXTURE), verbosity=0)
    yield
    clear_recommendation_cache()


def visit(page, path: str) -> None:
    response = page.goto(path)
    assert response.status == 200, path
    axe_check(page)


def click_and_land(page, locator, url_glob: str) -> None:
    """Click (a link or a form's button), wait for the new page — even at the same address,
    as after a form posted back to its own page — then check it with axe-core."""
    with page.expect_navigation(url=url_glob):
        locator.click()
    page.wait_for_load_state()
    axe_check(page)


def answer_every_item(page, value_for) -> None:
    """Check one radio of every radio group on the page: `value_for(name)` gives the value."""
    names = page.eval_on_selector_all(
        "input[type=radio]", "radios => [...new Set(radios.map(radio => radio.name))]"
    )
    assert names
    for name in names:
        page.locator(f"input[type=radio][name='{name}'][value='{value_for(name)}']").check()


def pdf_text(download) -> str:
    return "\n".join(pdf_page.extract_text() for pdf_page in PdfReader(download.path()).pages)


def test_a_whole_bilan_from_opening_to_satisfaction(page, live_server, rome):
    consultant = member(Role.CONSULTANT, user__first_name="Claire", user__last_name="Morel")
    beneficiary = member(
        Role.BENEFICIARY,
        consultant.memberships.get().organisation,
        invited_by=consultant,
        user__first_name="Camille",
        user__last_name="Durand",
    )
    main = page.get_by_role("main")

    # --- The consultant opens the bilan, funded by the employer -----------------------------
    sign_in_as(page, live_server, consultant)
    visit(page, "/conseiller/")
    click_and_land(
        page, page.get_by_role("link", name="Ouvrir un bilan — Camille Durand"), "**/ouvrir/**"
    )
    page.get_by_label("Employeur (plan de développement des compétences)").check()
    page.get_by_label("Prix du bilan (euros, TTC)").fill("1800")
    click_and_land(page, page.get_by_role("button", name="Ouvrir le bilan"), "**/bilans/*/")
    bilan = Bilan.objects.get(beneficiary=beneficiary)
    assert "Phase préliminaire" in page.locator("[aria-current=step]").inner_text()

    # The tripartite convention: the legal contents are pre-filled, the employer is typed in.
    click_and_land(
        page,
        main.get_by_role("link", name="Convention tripartite", exact=True),
        "**/convention/",
    )
    page.get_by_label("Employeur (raison sociale)").fill("Atelier Garonne SARL")
    page.get_by_label("Adresse de l'employeur").fill("12 quai de la Daurade, 31000 Toulouse")
    page.get_by_label("Représenté par (nom et fonction)").fill("Léa Martin, DRH")
    click_and_land(
        page, main.get_by_role("button", name="Enregistrer la convention"), "**/convention/"
    )
    # Transmitted and signed by the three parties today (R6313-8): the bilan may move on.
    today = timezone.localdate().isoformat()
    for label in (
        "Transmise à la personne le",
        "Signée par l'organisme le",
        "Signée par l'employeur le",
        "Signée par la personne le",
    ):
        page.get_by_label(label).fill(today)
    page.get_by_label("Fait à").fill("Toulouse")
    click_and_land(
        page,
        main.get_by_role("button", name="Enregistrer la transmission et les signatures"),
        "**/convention/",
    )
    with page.expect_download() as convention_download:
        main.get_by_role("link", name="Télécharger la convention (PDF)").click()
    convention = pdf_text(convention_download.value)
    assert "Objectif" in convention
    assert "Atelier Garonne SARL" in convention
    assert "Camille Durand" in convention

    # --- The beneficiary gives their consent ------------------------------------------------
    sign_in_as(page, live_server, beneficiary)
    visit(page, "/beneficiaire/")
    click_and_land(page, main.get_by_role("link", name="Voir mon bilan"), "**/bilans/")
    click_and_land(
        page,
        main.get_by_role("button", name="J'ai lu ce texte et je donne mon consentement"),
        "**/bilans/",
    )
    assert "votre consentement est enregistré" in main.inner_text()

    # --- The preliminary record, written and acknowledged (its pages: test_bilan_end.py) ----
    preliminary_done(bilan)

    # --- The consultant moves to investigation and plans an entretien -----------------------
    sign_in_as(page, live_server, consultant)
    visit(page, f"/bilans/{bilan.pk}/")
    click_and_land(
        page, main.get_by_role("button", name="Passer à la phase suivante"), "**/bilans/*/"
    )
    assert "Phase d'investigation" in page.locator("[aria-current=step]").inner_text()
    page.get_by_label("Date").fill((timezone.localdate() + timedelta(days=7)).isoformat())
    page.get_by_label("Heure de début").fill("10:00")
    page.get_by_label("Durée (minutes)").fill("120")
    page.get_by_label("Nombre d'entretiens").fill("1")
    page.get_by_label("Modalité").select_option("on_site")
    page.get_by_label("Lieu, lien de visioconférence ou numéro de téléphone").fill("Salle 2")
    click_and_land(page, main.get_by_role("button", name="Planifier", exact=True), "**/bilans/*/")
    hours = main.get_by_role("region", name="Heures").inner_text()
    assert "22 h sur 24 h au plus" in hours
    assert "Heures planifiées\n2 h" in hours

    # Set-up only: the entretien took place yesterday.
    occurrence = Occurrence.objects.get(series__bilan_session__bilan=bilan)
    start = timezone.now() - timedelta(days=1)
    Occurrence.objects.filter(pk=occurrence.pk).update(
        start=start, end=start + timedelta(minutes=120)
    )

    # --- The beneficiary signs the émargement -----------------------------------------------
    sign_in_as(page, live_server, beneficiary)
    visit(page, "/bilans/")
    click_and_land(
        page,
        main.get_by_role("link", name="Tous mes entretiens et mon émargement"),
        "**/entretiens/liste/",
    )
    click_and_land(
        page,
        main.get_by_role("button", name=re.compile("^Je confirme ma présence")),
        "**/rencontres/*/",
    )
    assert "Votre présence est confirmée" in page.get_by_role("status").first.inner_text()
    visit(page, f"/bilans/{bilan.pk}/entretiens/liste/")
    assert "Confirmé par la personne le" in main.inner_text()
    assert "Heures effectuées\n2 h" in main.get_by_role("region", name="Heures").inner_text()

    # --- The isolation check ----------------------------------------------------------------
    visit(page, "/beneficiaire/")
    click_and_land(page, main.get_by_role("link", name="Faire le point"), "**/bilan/isolement/")
    page.get_by_label("À quel moment faites-vous ce point ?").select_option("start")
    answer_every_item(page, lambda name: 4)
    click_and_land(
        page, main.get_by_role("button", name="Voir mes résultats"), "**/bilan/isolement/*/"
    )
    assert "pas un diagnostic" in main.inner_text()

    # --- The interests inventory: Social first, then Artistic -------------------------------
    visit(page, "/bilans/")
    click_and_land(
        page, main.get_by_role("link", name="Mes centres d'intérêt"), "**/bilan/interets/**"
    )
    click_and_land(
        page, main.get_by_role("link", name="Commencer l'inventaire"), "**/interets/repondre/"
    )
    answer_every_item(page, lambda name: {"s": 5, "a": 4}.get(name[0], 1))
    click_and_land(
        page, main.get_by_role("button", name="Voir mes résultats"), "**/bilan/interets/*/"
    )
    assert "« SA »" in main.inner_text()

    # --- A réussite, its suggested compétences, the portfolio -------------------------------
    visit(page, "/bilans/")
    click_and_land(page, main.get_by_role("link", name="Mes réussites"), "**/reussites/")
    page.get_by_label("Titre de la réussite").fill("Les ateliers numériques du club")
    page.get_by_label("La situation").fill(
        "Les adhérents seniors du club n'osaient pas faire leurs démarches en ligne."
    )
    page.get_by_label("Ce que j'ai fait").fill(
        "J'ai animé un atelier d'initiation au numérique chaque semaine et j'ai accompagné "
        "chaque personne dans ses démarches en ligne."
    )
    page.get_by_label("Le résultat").fill("Vingt adhérents font désormais leurs démarches seuls.")
    click_and_land(
        page, main.get_by_role("button", name="Enregistrer la réussite"), "**/reussites/*/**"
    )
    suggestions = page.locator("#suggestions")
    assert "Animer un atelier d'initiation au numérique" in suggestions.inner_text()
    click_and_land(
        page,
        suggestions.get_by_role(
            "button", name="La garder : Animer un atelier d'initiation au numérique"
        ),
        "**/reussites/*/**",
    )
    assert "Gardées, dans le portefeuille" in suggestions.inner_text()
    visit(page, "/bilans/")
    click_and_land(
        page, main.get_by_role("link", name="Mon portefeuille de compétences"), "**/portefeuille/"
    )
    assert "Animer un atelier d'initiation au numérique" in main.inner_text()
    assert "Les ateliers numériques du club" in main.inner_text()

    # --- Pistes de métiers, explained, and the shortlist ------------------------------------
    visit(page, "/bilans/")
    click_and_land(page, main.get_by_role("link", name="Pistes de métiers"), "**/pistes/")
    pistes = page.locator("ol.recommendations > li")
    first = pistes.first
    # Ranked: the fiche sharing the S-A profile and the compétence just accepted comes first,
    # then the other Social one; each says why.
    assert pistes.nth(0).locator("h2").inner_text().endswith("K1901")
    assert pistes.nth(1).locator("h2").inner_text().endswith("K1902")
    assert "Votre profil S-A rejoint le profil S-A de ce métier." in first.inner_text()
    assert "Vous avez déjà : Animer un atelier d'initiation au numérique" in first.inner_text()
    assert "Cœur de métier à acquérir" in first.inner_text()
    click_and_land(
        page,
        first.get_by_role(
            "button", name="Garder pour l'explorer : Animateur / Animatrice d'ateliers numériques"
        ),
        "**/pistes/**",
    )
    assert "Dans ma sélection" in page.locator("#piste-K1901").inner_text()
    click_and_land(page, main.get_by_role("link", name="Voir ma sélection"), "**/selection/")
    assert "Animateur / Animatrice d'ateliers numériques" in main.inner_text()

    # --- A project targeting that fiche, with one step --------------------------------------
    visit(page, f"/bilans/{bilan.pk}/projets/")
    click_and_land(page, main.get_by_role("link", name="Nouveau projet"), "**/projets/nouveau/")
    page.get_by_label("Reconversion").check()
    page.get_by_label("Intitulé").fill("Devenir animatrice numérique")
    page.get_by_label("Animateur / Animatrice d'ateliers numériques (K1901)").check()
    page.get_by_label("Ce qui me motive").fill("Transmettre et recréer du lien.")
    click_and_land(page, main.get_by_role("button", name="Créer le projet"), "**/projets/*/")
    page.get_by_label(re.compile(r"^Étape")).fill("Enquête-métier auprès d'un animateur")
    page.get_by_label("Échéance").fill((timezone.localdate() + timedelta(days=20)).isoformat())
    click_and_land(page, main.get_by_role("button", name="Ajouter l'étape"), "**/projets/*/**")
    assert "Enquête-métier auprès d'un animateur" in main.inner_text()
    assert "Animateur / Animatrice d'ateliers numériques" in main.inner_text()

    # --- Conclusion: the consultant drafts and submits the synthèse -------------------------
    sign_in_as(page, live_server, consultant)
    visit(page, f"/bilans/{bilan.pk}/")
    click_and_land(
        page, main.get_by_role("button", name="Passer à la phase suivante"), "**/bilans/*/"
    )
    assert "Phase de conclusion" in page.locator("[aria-current=step]").inner_text()
    click_and_land(page, main.get_by_role("link", name="Document de synthèse"), "**/synthese/")
    click_and_land(
        page,
        main.get_by_role("link", name="Pré-remplir les parties vides à partir du bilan"),
        "**/synthese/?preremplir=1",
    )
    circumstances = page.get_by_label("1. Circonstances du bilan")
    # The pre-fill tells the bilan's story, with the entretien the beneficiary signed.
    assert "1 entretien réalisé, soit 2 h d'entretien" in circumstances.input_value()
    page.get_by_label("2. Compétences et aptitudes au regard du ou des projets").fill(
        "Camille sait animer un groupe et accompagner des personnes dans leurs démarches."
    )
    page.get_by_label("3. Le ou les projets et leurs principales étapes").fill(
        SYNTHESIS_SENTENCE + " Première étape : une enquête-métier."
    )
    click_and_land(
        page, main.get_by_role("button", name="Enregistrer le brouillon"), "**/synthese/"
    )
    click_and_land(page, main.get_by_role("button", name="Présenter à la personne"), "**/synthese/")

    # --- The beneficiary validates it and downloads the PDF ---------------------------------
    sign_in_as(page, live_server, beneficiary)
    visit(page, "/bilans/")
    click_and_land(
        page, main.get_by_role("link", name="Mon document de synthèse"), "**/ma-synthese/"
    )
    assert SYNTHESIS_SENTENCE in main.inner_text()
    page.get_by_label(re.compile("^J'ai relu mon document de synthèse")).check()
    click_and_land(
        page, main.get_by_role("button", name="Valider ma synthèse"), "**/ma-synthese/**"
    )
    download_link = main.get_by_role("link", name="Télécharger la synthèse (PDF)")
    if not download_link.is_visible():  # rendered in a background task: reload once ready
        page.reload()
    with page.expect_download() as synthesis_download:
        download_link.click()
    synthesis = pdf_text(synthesis_download.value)
    assert "Camille Durand" in synthesis
    for title in (
        "1. Circonstances du bilan",
        "2. Compétences et aptitudes au regard du ou des projets",
        "3. Le ou les projets et leurs principales étapes",
    ):
        assert title in synthesis
    assert SYNTHESIS_SENTENCE in " ".join(synthesis.split())

    # --- The consultant closes the bilan ----------------------------------------------------
    sign_in_as(page, live_server, consultant)
    visit(page, f"/bilans/{bilan.pk}/")
    # An ending is asked for once more, with what it does (tisser/www/confirmation.py).
    click_and_land(
        page,
        main.get_by_role("button", name="Terminer le bilan : mené à son terme"),
        "**/bilans/*/phase/",
    )
    expect(page.get_by_role("heading", name="Terminer ce bilan ?")).to_be_visible()
    click_and_land(page, main.get_by_role("button", name="Oui, terminer le bilan"), "**/bilans/*/")
    bilan.refresh_from_db()
    assert bilan.status == Phase.CLOSED

    # --- The beneficiary is offered the satisfaction questionnaire --------------------------
    sign_in_as(page, live_server, beneficiary)
    visit(page, "/bilans/")
    offer = main.get_by_role("link", name=re.compile("^Donner mon avis"))
    expect(offer.first).to_be_visible()
    click_and_land(page, offer.first, "**/satisfaction/**")
    assert (
        page.get_by_role("heading", level=1).inner_text().startswith("Votre avis sur votre bilan")
    )
