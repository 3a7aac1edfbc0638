"""Mon réseau, through the pages, as a beneficiary and then their consultant: a former
colleague added with her fiche métier found by the search, a mistyped e-mail refused next to
its field, a second contact introduced by the first, an enquête-métier with the first (its
approach message, its questions from the organisation's guide, each step from the board's
buttons, notes and a GO synthesis, thanks, and a third contact recommended), the to-dos, the
network drawn with its table alternative, the comparison per fiche, a CSV import with a bad
row and the CSV export, then the sharing with the consultant switched on and off. axe-core
runs on every page visited."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.test_bilan_full_journey import click_and_land, visit
from tests.e2e.test_invitation_journey import sign_in_as
from tests.factories import member
from tests.fixtures.rome_fixture import FIXTURE
from tisser.core.enums import Role
from tisser.network.models import InformationalInterview, StageEvent
from tisser.network.services.guides import interview_guide_install_default
from tisser.referentiel.recommendations import clear_recommendation_cache

# "Nom :" (Django's label suffix), not "Prénom".
LAST_NAME = re.compile(r"^Nom\W*$")
FICHE = "Animateur / Animatrice d'ateliers numériques"
OWN_QUESTION = "Quel conseil donneriez-vous à quelqu'un qui vient du secteur associatif ?"
TAKEAWAYS = "Le métier demande surtout de la patience et de la pédagogie."

# A spreadsheet saved by a French Excel: ';' separators, Windows-1252, one line whose
# e-mail is wrong (line 3, the header being line 1).
IMPORT_CSV = (
    "Prénom;Nom;Structure;E-mail\r\n"
    "Hélène;Lefèvre;Médiathèque de Blagnac;helene.lefevre@example.org\r\n"
    "Marc;Petit;Fablab du Mirail;marc.petit@\r\n"
).encode("cp1252")


@pytest.fixture
def rome(transactional_db):
    clear_recommendation_cache()
    call_command("import_rome", str(FIXTURE), verbosity=0)
    yield
    clear_recommendation_cache()


def test_a_network_grows_from_one_enquete_metier(page, live_server, rome):
    consultant = member(Role.CONSULTANT, user__first_name="Claire", user__last_name="Morel")
    organisation = consultant.memberships.get().organisation
    beneficiary = member(
        Role.BENEFICIARY,
        organisation,
        invited_by=consultant,
        user__first_name="Camille",
        user__last_name="Durand",
    )
    interview_guide_install_default(organisation=organisation)
    main = page.get_by_role("main")

    # --- "Mon réseau" from the menu -----------------------------------------------------------
    sign_in_as(page, live_server, beneficiary)
    visit(page, "/beneficiaire/")
    click_and_land(
        page,
        page.get_by_role("navigation", name="Navigation principale").get_by_role(
            "link", name="Mon réseau"
        ),
        "**/reseau/",
    )

    # --- A former colleague, her fiche found with the métier search (the no-JS "Chercher") ----
    click_and_land(
        page, main.get_by_role("link", name="Ajouter un contact"), "**/contacts/nouveau/"
    )
    page.get_by_label("Prénom").fill("Sophie")
    page.get_by_label(LAST_NAME).fill("Martin")
    page.get_by_label("Fonction").fill("Animatrice numérique")
    page.get_by_label("Structure").fill("Espace numérique de Colomiers")
    page.get_by_label("Comment je connais cette personne").select_option(label="Ancien·ne collègue")
    page.get_by_label("Téléphone").fill("06 12 34 56 78")
    page.get_by_label("Chercher une autre fiche métier").fill("animateur")
    click_and_land(
        page, main.get_by_role("button", name="Chercher", exact=True), "**/contacts/nouveau/"
    )
    # The whole form came back with the fiches found, nothing typed lost.
    assert page.get_by_label("Prénom").input_value() == "Sophie"
    assert page.get_by_label("Téléphone").input_value() == "06 12 34 56 78"
    page.get_by_label(re.compile("^" + re.escape(FICHE))).check()
    click_and_land(page, main.get_by_role("button", name="Enregistrer"), "**/contacts/*/")
    assert "Sophie Martin est dans vos contacts" in page.get_by_role("status").first.inner_text()
    facts = main.inner_text()
    assert FICHE in facts
    assert "Ancien·ne collègue" in facts
    assert "06 12 34 56 78" in facts
    sophie_url = page.url

    # --- A second contact, introduced by the first; a mistyped e-mail first ------------------
    click_and_land(
        page,
        main.get_by_role("link", name="Ajouter une personne qu'il ou elle m'a présentée"),
        "**/contacts/nouveau/?presente_par=*",
    )
    page.get_by_label("Prénom").fill("Karim")
    page.get_by_label(LAST_NAME).fill("Benali")
    page.get_by_label("Structure").fill("Maison des seniors de Tournefeuille")
    page.get_by_label("Adresse e-mail").fill("karim.benali@")
    click_and_land(page, main.get_by_role("button", name="Enregistrer"), "**/contacts/nouveau/")
    email_field = page.locator(".field-error").filter(has=page.get_by_label("Adresse e-mail"))
    expect(email_field).to_be_visible()
    assert "e-mail" in email_field.locator(".errorlist").inner_text()
    assert page.get_by_label("Adresse e-mail").input_value() == "karim.benali@"
    assert page.get_by_label("Prénom").input_value() == "Karim"
    assert page.get_by_label("Présenté·e par").locator("option:checked").inner_text() == (
        "Sophie Martin"
    )
    page.get_by_label("Adresse e-mail").fill("karim.benali@example.org")
    click_and_land(page, main.get_by_role("button", name="Enregistrer"), "**/contacts/*/")
    assert "Présenté·e par" in main.inner_text()
    expect(main.get_by_role("link", name="Sophie Martin").first).to_be_visible()

    # --- An enquête with Sophie, on her fiche ------------------------------------------------
    visit(page, sophie_url)
    click_and_land(
        page,
        main.get_by_role("link", name="Préparer une enquête-métier"),
        "**/contacts/*/enquete/",
    )
    assert page.get_by_label(re.compile("^" + re.escape(FICHE))).is_checked()
    click_and_land(page, main.get_by_role("button", name="Commencer l'enquête"), "**/enquetes/*/")
    interview = InformationalInterview.objects.get(contact__last_name="Martin")

    # The approach message: for her, 20 to 30 minutes, information and not a job.
    body = page.get_by_label("Message", exact=True).input_value()
    assert "Bonjour Sophie Martin" in body
    assert "20 à 30 minutes" in body
    assert "Je ne vous sollicite pas pour un emploi" in body
    assert FICHE.lower() in body.lower() or "ateliers numériques" in body
    assert "20 minutes" in page.get_by_label("Note d'invitation").input_value()

    # --- Prepared from the organisation's guide, plus an own question ------------------------
    click_and_land(page, main.get_by_role("link", name="Préparer mes questions"), "**/preparer/")
    page.get_by_role("region", name="Partir d'un guide de votre organisme").get_by_role(
        "radio"
    ).first.check()
    click_and_land(
        page,
        main.get_by_role("button", name="Reprendre les questions de ce guide"),
        "**/preparer/",
    )
    assert "du guide ajoutée" in page.get_by_role("status").first.inner_text()
    advice = main.get_by_role("region", name="Conseils", exact=True)
    guide_questions = advice.locator(".question-text").count()
    assert guide_questions > 0
    advice.get_by_label("Nouvelle question").fill(OWN_QUESTION)
    click_and_land(
        page, advice.get_by_role("button", name="Ajouter ma question : Conseils"), "**/preparer/**"
    )
    advice = main.get_by_role("region", name="Conseils", exact=True)
    assert advice.locator(".question-text").count() == guide_questions + 1
    assert OWN_QUESTION in advice.inner_text()

    # --- The pipeline, from the board's buttons ----------------------------------------------
    click_and_land(
        page, main.get_by_role("link", name="Étapes et premier message"), "**/enquetes/*/"
    )
    click_and_land(
        page, main.get_by_role("link", name="Mes enquêtes-métiers", exact=True), "**/enquetes/"
    )
    click_and_land(
        page,
        main.get_by_role("button", name="Passer à : Message envoyé — Sophie Martin"),
        "**/enquetes/",
    )
    expect(
        main.get_by_role("region", name=re.compile("^Message envoyé")).get_by_role(
            "link", name="Sophie Martin"
        )
    ).to_be_visible()

    # Set-up only: the message left eight days ago and Sophie has not answered.
    sent = timezone.now() - timedelta(days=8)
    StageEvent.objects.filter(interview=interview).update(at=sent)
    InformationalInterview.objects.filter(pk=interview.pk).update(stage_changed_at=sent)
    click_and_land(page, main.get_by_role("link", name="À faire", exact=True), "**/a-faire/")
    assert "Relancer Sophie Martin" in main.inner_text()
    click_and_land(
        page, main.get_by_role("link", name="Mes enquêtes-métiers", exact=True), "**/enquetes/"
    )
    assert "En retard" in main.inner_text()

    meeting = timezone.localtime() - timedelta(days=1)
    page.get_by_label("Date du rendez-vous — Sophie Martin").fill(
        meeting.strftime("%Y-%m-%dT14:00")
    )
    click_and_land(
        page,
        main.get_by_role("button", name="Passer à : Rendez-vous fixé — Sophie Martin"),
        "**/enquetes/",
    )
    click_and_land(
        page,
        main.get_by_role("button", name="Passer à : Entretien réalisé — Sophie Martin"),
        "**/enquetes/",
    )
    expect(
        main.get_by_role("region", name=re.compile("^Entretien réalisé")).get_by_role(
            "link", name="Sophie Martin"
        )
    ).to_be_visible()

    # --- Notes on one theme and the synthesis, GO --------------------------------------------
    visit(page, f"/reseau/enquetes/{interview.pk}/")
    assert "Rendez-vous fixé" in main.inner_text()
    click_and_land(page, main.get_by_role("link", name="Notes et synthèse"), "**/notes/")
    page.get_by_label("Mes notes : Missions et activités").fill(
        "Ateliers en petits groupes, accueil libre l'après-midi, un peu de dépannage."
    )
    click_and_land(page, main.get_by_role("button", name="Enregistrer mes notes"), "**/notes/**")
    assert (
        "Ateliers en petits groupes"
        in page.get_by_label("Mes notes : Missions et activités").input_value()
    )
    page.get_by_label("Ce que je retiens").fill(TAKEAWAYS)
    page.get_by_label("Ce que cela me dit de moi").fill("J'aime transmettre, sans urgence.")
    page.get_by_label("GO : ce métier me correspond").check()
    click_and_land(page, main.get_by_role("button", name="Enregistrer ma synthèse"), "**/notes/**")
    assert page.get_by_label("Ce que je retiens").input_value() == TAKEAWAYS
    assert page.get_by_label("GO : ce métier me correspond").is_checked()

    # --- Thanked, then the outcome: Sophie recommended someone -------------------------------
    click_and_land(
        page, main.get_by_role("link", name="Étapes et premier message"), "**/enquetes/*/"
    )
    page.get_by_label("Nouvelle étape").select_option(label="Remercié·e")
    click_and_land(page, main.get_by_role("button", name="Noter cette étape"), "**/enquetes/*/")
    assert "étape « Remercié·e » notée" in page.get_by_role("status").first.inner_text()
    page.get_by_label("M'a recommandé un autre contact").check()
    referred = main.get_by_role(
        "group", name="La personne recommandée (si elle vous en a recommandé une)"
    )
    referred.get_by_label("Prénom").fill("Julie")
    referred.get_by_label(LAST_NAME).fill("Roux")
    referred.get_by_label("Structure").fill("Tiers-lieu de Muret")
    click_and_land(page, main.get_by_role("button", name="Enregistrer la suite"), "**/enquetes/*/")
    assert (
        "Julie Roux est dans vos contacts ; la mise en relation vient de Sophie Martin"
        in page.get_by_role("status").first.inner_text()
    )

    # --- The board and the list show where it stands -----------------------------------------
    click_and_land(
        page, main.get_by_role("link", name="Mes enquêtes-métiers", exact=True), "**/enquetes/"
    )
    # A recommended contact is the enquête's next step: "Suite donnée", after "Remercié·e".
    next_step = main.get_by_role("region", name=re.compile("^Suite donnée"))
    expect(next_step.get_by_role("link", name="Sophie Martin")).to_be_visible()
    visit(page, "/reseau/")
    click_and_land(
        page,
        main.get_by_role("link", name="Mes enquêtes-métiers en liste"),
        "**/enquetes/liste/",
    )
    row = main.get_by_role("row").filter(has_text="Sophie Martin")
    assert "Suite donnée" in row.inner_text()
    assert "M'a recommandé un autre contact" in row.inner_text()

    # --- To-dos: nothing left now that Sophie was thanked and recommended someone ------------
    click_and_land(page, main.get_by_role("link", name="À faire", exact=True), "**/a-faire/")
    assert "Relancer Sophie Martin" not in main.inner_text()
    assert "Rien à faire pour l'instant" in main.inner_text()

    # --- Mon réseau en image: the drawing, and its table with the referrals ------------------
    click_and_land(page, main.get_by_role("link", name="Mon réseau en image"), "**/reseau/carte/")
    drawing = main.locator("svg[role=img]").first
    expect(drawing).to_be_visible()
    assert drawing.get_attribute("aria-labelledby") or drawing.get_attribute("aria-label")
    table = main.get_by_role("table", name=re.compile("^Chaque contact du réseau"))
    rows = {
        name: table.get_by_role("row").filter(has=page.get_by_role("rowheader", name=name))
        for name in ("Sophie Martin", "Karim Benali", "Julie Roux")
    }
    for row in rows.values():
        assert row.count() == 1
    assert rows["Sophie Martin"].get_by_role("cell").first.inner_text() == "—"
    assert rows["Karim Benali"].get_by_role("cell").first.inner_text() == "Sophie Martin"
    assert rows["Julie Roux"].get_by_role("cell").first.inner_text() == "Sophie Martin"
    # The metrics moved: three contacts, one enquête done, two referrals (Karim and Julie).
    figures = main.get_by_role("region", name="Aujourd'hui").inner_text()
    assert re.search(r"\b3\s*contacts", figures), figures
    assert re.search(r"\b1\s*enquête réalisée", figures), figures
    assert re.search(r"\b2\s*mises en relation obtenues", figures), figures

    # --- The enquêtes about the fiche, side by side ------------------------------------------
    # (The notes page links here once a second enquête on the fiche exists: open it directly.)
    visit(page, "/reseau/fiches/K1901/comparer/")
    compared = main.inner_text()
    assert "Sophie Martin" in compared
    assert TAKEAWAYS in compared

    # --- Import a spreadsheet: one row imported, the bad one reported with its line ----------
    visit(page, "/reseau/contacts/")
    click_and_land(
        page, main.get_by_role("link", name=re.compile("^Importer")).first, "**/importer/"
    )
    page.get_by_label("Fichier de contacts").set_input_files(
        {"name": "contacts excel.csv", "mimeType": "text/csv", "buffer": IMPORT_CSV}
    )
    click_and_land(page, main.get_by_role("button", name="Importer"), "**/importer/")
    assert "cp1252" in main.inner_text().lower() or "windows-1252" in main.inner_text().lower()
    errors = main.get_by_role("table", name="Entrées non importées et raisons")
    bad = errors.get_by_role("row").filter(has=page.get_by_role("rowheader", name="3"))
    assert bad.count() == 1
    assert "Marc Petit" in bad.inner_text()
    assert "e-mail" in bad.inner_text()
    assert re.search(r"1\s*contact importé", main.inner_text())

    # --- Export as CSV for a French Excel ----------------------------------------------------
    visit(page, "/reseau/contacts/exporter/")
    with page.expect_download() as export:
        main.get_by_role("link", name="Télécharger au format CSV (tableur)").click()
    exported = Path(export.value.path()).read_bytes()
    assert exported.startswith(b"\xef\xbb\xbf")
    text = exported.decode("utf-8-sig")
    assert ";" in text.splitlines()[0]
    assert "Hélène" in text and "Lefèvre" in text
    assert "Sophie" in text

    # --- Shared with the consultant: the names are visible -----------------------------------
    visit(page, "/reseau/")
    page.get_by_label("Partager le détail de mon réseau avec mon conseiller·ère").check()
    click_and_land(page, main.get_by_role("button", name="Enregistrer mon choix"), "**/reseau/")
    assert "Vous partagez le détail de votre réseau." in main.inner_text()

    sign_in_as(page, live_server, consultant)
    visit(page, "/conseiller/")
    click_and_land(
        page, main.get_by_role("link", name="Réseau — Camille Durand"), "**/beneficiaire/*/"
    )
    shared = main.inner_text()
    for name in ("Sophie Martin", "Karim Benali", "Julie Roux", "Hélène Lefèvre"):
        assert name in shared
    consultant_url = page.url
    # One list at a time (ADR 0030): the enquêtes, with what Camille took from them.
    click_and_land(
        page,
        main.get_by_role("link", name=re.compile(r"^Enquêtes-métiers \(")),
        "**voir=enquetes**",
    )
    assert TAKEAWAYS in main.inner_text()

    # --- Sharing off: counts only ------------------------------------------------------------
    sign_in_as(page, live_server, beneficiary)
    visit(page, "/reseau/")
    page.get_by_label("Partager le détail de mon réseau avec mon conseiller·ère").uncheck()
    click_and_land(page, main.get_by_role("button", name="Enregistrer mon choix"), "**/reseau/")
    assert "Vous ne partagez que les chiffres de votre réseau." in main.inner_text()

    sign_in_as(page, live_server, consultant)
    visit(page, consultant_url)
    counts = main.get_by_role("region", name="Avancée").inner_text()
    assert re.search(r"4\s*contacts", counts)
    assert re.search(r"1\s*entretien réalisé", counts)
    hidden = main.inner_text()
    for name in ("Sophie", "Karim", "Julie", "Hélène"):
        assert name not in hidden
    assert TAKEAWAYS not in hidden
    assert "ne partage pas le détail de son réseau" in hidden
    assert "Suite donnée" in counts
