"""Mentorat, through the pages, on the demo data (issue #6): Camille describes her needs (a
mistake refused next to its field first), reads her suggestions and why, writes to Bernard;
Bernard reads only what she shared, accepts and writes the agreement, which both sign; Camille
finds the first monthly meeting in Rencontres, puts a blocker on its agenda and posts news.
Then Nadia, the coordinator, runs a round for the "Promotion automne 2026", overrides one
proposal (a reason is required), publishes it, and finds the mentorships on the health page.
axe-core runs on every page visited."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.test_bilan_full_journey import click_and_land, visit
from tests.e2e.test_invitation_journey import sign_in_as
from tests.factories import totp_activate
from tests.fixtures.rome_fixture import FIXTURE
from tisser.accounts.models import User
from tisser.meetings.models import AgendaItem, Occurrence
from tisser.mentoring.demo import COHORT
from tisser.mentoring.models import (
    Agreement,
    MatchingRound,
    MenteeProfile,
    Mentorship,
    MentorshipRequest,
    ProgressUpdate,
    RoundProposal,
)
from tisser.referentiel.recommendations import clear_recommendation_cache

WISHES = "Savoir si je peux vivre de la culture de plantes aromatiques en Occitanie."
MESSAGE_ADDITION = "Je serais ravie d'en parler un mardi soir, à distance."
BLOCKER = "Je ne sais pas comment financer une première parcelle."
NEWS = "J'ai visité deux exploitations de plantes aromatiques près d'Albi."
OVERRIDE_REASON = "Même département, et elle connaît déjà son réseau."


@pytest.fixture
def demo(transactional_db):
    clear_recommendation_cache()
    call_command("import_rome", str(FIXTURE), verbosity=0)
    call_command("seed_demo", verbosity=0)
    yield
    clear_recommendation_cache()


def person(first_name: str, last_name: str) -> User:
    return User.objects.get(email=f"{first_name}.{last_name}@demo.tisser.fr")


def test_from_needs_to_a_first_meeting_and_a_coordinator_round(page, live_server, demo):
    camille = person("camille", "roussel")
    bernard = person("bernard", "aubry")
    nadia = person("nadia", "benali")
    main = page.get_by_role("main")
    nav = page.get_by_role("navigation", name="Navigation principale")

    # --- Camille: the menu, the hub, her needs ------------------------------------------------
    sign_in_as(page, live_server, camille)
    visit(page, "/beneficiaire/")
    click_and_land(page, nav.get_by_role("link", name="Mentorat"), "**/mentorat/")
    click_and_land(page, main.get_by_role("link", name="Décrire mes besoins"), "**/mes-besoins/")
    # Her métiers come from the preferred project of her bilan.
    assert "Repris du projet privilégié de votre bilan" in main.inner_text()
    expect(page.get_by_label(re.compile("^Animateur / Animatrice d'ateliers"))).to_be_checked()
    page.get_by_label("Découvrir le métier et tester la faisabilité du projet").check()
    page.get_by_label("Ouvrir son réseau, faire des mises en relation").check()
    page.get_by_label("Ce que j'attends d'un·e mentor").fill(WISHES)
    page.get_by_label("mardi soir").check()
    page.get_by_label("Partager mes métiers visés").check()
    preview = main.locator("#needs-preview")
    expect(preview).to_contain_text("Métiers visés")
    expect(preview).to_contain_text("Partager mon projet privilégié : non")
    expect(preview).to_contain_text("Partager les compétences que je veux acquérir : non")
    shown = preview.locator("dt").all_inner_texts()
    assert "Projet privilégié" not in shown and "Compétences à acquérir" not in shown
    assert "mardi soir" in preview.inner_text()
    assert "Votre nom complet n'est donné qu'aux mentors à qui vous écrivez" in (
        preview.inner_text()
    )

    # In person without a département: refused next to the field, what she typed kept.
    page.get_by_label("En présentiel", exact=True).check()
    # The preview follows each change (HTMX); let it answer before saving, as a person would.
    expect(preview).to_contain_text("Corrigez les champs signalés pour voir l'aperçu.")
    click_and_land(
        page, main.get_by_role("button", name="Enregistrer mes besoins"), "**/mes-besoins/"
    )
    departement = page.locator(".field-error").filter(has=page.get_by_label("Département"))
    expect(departement).to_be_visible()
    assert "département" in departement.locator(".errorlist").inner_text().lower()
    assert page.get_by_label("Ce que j'attends d'un·e mentor").input_value() == WISHES
    assert page.get_by_label("mardi soir").is_checked()
    assert page.get_by_label("Partager mes métiers visés").is_checked()
    assert not MenteeProfile.objects.filter(user=camille).exists()

    page.get_by_label("Département").fill("31")
    page.get_by_label("Département").press("Tab")
    expect(preview).to_contain_text("département 31")
    click_and_land(
        page, main.get_by_role("button", name="Enregistrer mes besoins"), "**/mes-besoins/"
    )
    assert "Vos besoins sont enregistrés." in page.get_by_role("status").first.inner_text()
    needs = MenteeProfile.objects.get(user=camille)
    assert needs.departement == "31"
    assert needs.share_targets and not needs.share_project and not needs.share_gap
    assert list(needs.target_fiches.values_list("code_rome", flat=True)) == ["K1901"]

    # --- Her suggestions, and why Bernard -----------------------------------------------------
    click_and_land(page, nav.get_by_role("link", name="Mentorat"), "**/mentorat/")
    click_and_land(
        page,
        main.get_by_role("link", name="Voir les mentors qui me correspondent, et pourquoi"),
        "**/suggestions/",
    )
    card = main.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name="Bernard Aubry")
    )
    expect(card.get_by_role("heading", name="Pourquoi cette personne")).to_be_visible()
    why = card.get_by_role("region", name="Pourquoi cette personne").inner_text()
    assert "Compatibilité d'ensemble" in why
    assert "Aide que vous recherchez : 100 %" in why
    assert "Disponibilités communes : 100 %" in why
    click_and_land(page, card.get_by_role("link", name="Voir tout son profil"), "**/mentors/*/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bernard Aubry")
    assert "Aubry Formation" not in main.inner_text()  # his employer stays private
    click_and_land(page, main.get_by_role("link", name="Écrire à Bernard"), "**/demande/")
    message = page.get_by_label("Votre message")
    prefilled = message.input_value()
    # The draft says why, from the explanation: the help she wants, their common slot.
    assert prefilled.startswith("Bonjour Bernard,")
    assert "découvrir le métier et tester la faisabilité du projet" in prefilled
    assert "nous avons des créneaux en commun (mardi soir)" in prefilled
    message.fill(prefilled.replace("Merci d'avance", MESSAGE_ADDITION + "\n\nMerci d'avance"))
    click_and_land(page, main.get_by_role("button", name="Envoyer ma demande"), "**/demandes/*/")
    sent = MentorshipRequest.objects.get(mentee=camille)
    assert sent.mentor.user == bernard
    assert sent.status == MentorshipRequest.Status.PENDING
    assert MESSAGE_ADDITION in sent.message

    click_and_land(
        page, main.get_by_role("link", name="Toutes les demandes"), "**/mentorat/demandes/"
    )
    waiting = main.get_by_role("region", name="En attente de réponse")
    row = waiting.get_by_role("row").filter(has=page.get_by_role("link", name="Bernard Aubry"))
    assert "En attente" in row.inner_text()
    assert "encore 7 jours" in row.inner_text()

    # --- Bernard: his home, the request, only what Camille shared -----------------------------
    sign_in_as(page, live_server, bernard)
    visit(page, "/mentor/")
    assert "1 demande attend votre réponse" in main.inner_text()
    click_and_land(page, main.get_by_role("link", name="Voir les demandes"), "**/demandes/")
    click_and_land(page, main.get_by_role("link", name="Camille Roussel"), "**/demandes/*/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Demande de Camille Roussel")
    shared = main.get_by_role("region", name="Ce qu'il ou elle a choisi de partager")
    shared_text = shared.inner_text()
    assert WISHES in shared_text
    assert "Métiers visés" in shared_text
    assert "Projet privilégié" not in shared_text
    assert "partager mon projet privilégié" in shared_text
    assert "partager les compétences que je veux acquérir" in shared_text
    assert MESSAGE_ADDITION in main.inner_text()
    page.locator("#id_accept-answer").fill("Avec plaisir, Camille : parlons-en mardi.")
    click_and_land(
        page,
        main.get_by_role("button", name="Accepter et commencer le mentorat"),
        "**/relations/*/",
    )
    sent.refresh_from_db()
    assert sent.status == MentorshipRequest.Status.ACCEPTED
    mentorship = Mentorship.objects.get(mentee=camille)
    assert mentorship.mentor.user == bernard
    expect(page.get_by_role("heading", level=1)).to_have_text("Mentorat avec Camille Roussel")

    # --- The agreement, written and signed by Bernard -----------------------------------------
    click_and_land(page, main.get_by_role("link", name="Écrire la charte"), "**/charte/")
    page.get_by_label("Objectifs du mentorat").fill(
        "Vérifier que la culture de plantes aromatiques peut devenir un métier pour Camille."
    )
    page.get_by_label("Ce que la personne mentorée attend").fill(
        "Un regard de l'intérieur et deux mises en relation avec des producteurs."
    )
    first = timezone.localdate() + timedelta(days=5)
    page.get_by_label("Date de la première rencontre").fill(first.isoformat())
    page.get_by_label("Heure").fill("18:30")
    page.get_by_label("Modalité").select_option(label="Visioconférence")
    page.get_by_label("Lien de visioconférence, adresse ou numéro de téléphone").fill(
        "https://visio.demo.tisser.fr/camille-bernard"
    )
    click_and_land(page, main.get_by_role("button", name="Enregistrer la charte"), "**/charte/")
    expect(page.get_by_text("La charte est enregistrée")).to_be_visible()
    click_and_land(page, main.get_by_role("button", name="Signer la charte"), "**/relations/*/")
    expect(page.get_by_text("Elle attend l'autre signature")).to_be_visible()
    agreement = Agreement.objects.get(mentorship=mentorship)
    assert agreement.mentor_signed_at and not agreement.mentee_signed_at

    # --- Camille signs; the monthly meeting appears -------------------------------------------
    sign_in_as(page, live_server, camille)
    visit(page, "/mentorat/")
    click_and_land(page, main.get_by_role("link", name="Bernard Aubry"), "**/relations/*/")
    click_and_land(page, main.get_by_role("link", name="Relire et signer la charte"), "**/charte/")
    click_and_land(page, main.get_by_role("button", name="Signer la charte"), "**/relations/*/")
    expect(page.get_by_text("La charte est signée par vous deux")).to_be_visible()
    agreement.refresh_from_db()
    assert agreement.is_signed
    mentorship.refresh_from_db()
    assert mentorship.series_id is not None
    next_meeting = main.get_by_role("region", name="Prochaine rencontre")
    assert "https://visio.demo.tisser.fr/camille-bernard" in next_meeting.inner_text()
    assert "L'ordre du jour est encore vide." in next_meeting.inner_text()
    click_and_land(
        page,
        next_meeting.get_by_role("link", name=re.compile("^Préparer la rencontre")),
        "**/rencontres/**",
    )
    occurrence = Occurrence.objects.filter(series=mentorship.series).order_by("start").first()
    assert timezone.localtime(occurrence.start).date() == first
    page.get_by_label("Type").select_option(label="Point de blocage")
    page.get_by_label("Point à aborder").fill(BLOCKER)
    main.get_by_role("button", name="Ajouter à l'ordre du jour").click()
    agenda = main.locator("#agenda")
    expect(agenda.get_by_role("listitem").filter(has_text=BLOCKER)).to_contain_text(
        "Point de blocage"
    )
    item = AgendaItem.objects.get(occurrence=occurrence)
    assert item.kind == AgendaItem.Kind.BLOCKER
    assert item.author == camille

    # News from the space.
    visit(page, f"/mentorat/relations/{mentorship.pk}/")
    assert "1 point à l'ordre du jour." in main.inner_text()
    updates = main.get_by_role("region", name="Messages")
    updates.get_by_label("Message").fill(NEWS)
    click_and_land(page, updates.get_by_role("button", name="Envoyer"), "**/relations/*/")
    expect(main.get_by_text(NEWS)).to_be_visible()
    assert ProgressUpdate.objects.filter(mentorship=mentorship, text=NEWS).exists()

    # --- Nadia: a round for the cohort --------------------------------------------------------
    # Nadia set up her two-factor authentication when she first signed in (the demo accounts
    # have none yet); `sign_in_as` then opens her session without the code.
    totp_activate(nadia)
    sign_in_as(page, live_server, nadia)
    visit(page, "/coordination/")
    assert page.url.endswith("/coordination/")
    click_and_land(page, nav.get_by_role("link", name="Mentorat"), "**/mentorat/")
    click_and_land(page, main.get_by_role("link", name="Les tours d'appariement"), "**/tours/")
    page.get_by_label(re.compile("^" + re.escape(COHORT))).check()
    click_and_land(
        page, main.get_by_role("button", name="Calculer les propositions"), "**/tours/*/"
    )
    round_ = MatchingRound.objects.get()
    assert round_.cohort == COHORT
    proposals = main.get_by_role("table", name=re.compile("^Mentor proposé·e à chaque"))
    matched = RoundProposal.objects.filter(round=round_, proposed_mentor__isnull=False)
    assert matched.count() >= 1
    assert proposals.get_by_role("row").count() == matched.count() + 1
    assert "%" in proposals.inner_text()
    unmatched = RoundProposal.objects.filter(round=round_, proposed_mentor__isnull=True)
    if unmatched.exists():
        section = main.get_by_role("region", name="Personnes sans mentor proposé")
        for proposal in unmatched:
            card = section.get_by_role("listitem").filter(
                has=page.get_by_role("heading", name=proposal.mentee.get_full_name())
            )
            assert "Raison :" in card.inner_text()

    # Override the first proposal: without a reason, refused next to the field.
    target = matched.order_by("pk").first()
    name = target.mentee.get_full_name()
    row = page.locator(f"#proposition-{target.pk}")
    # Another mentor is chosen on the proposal's own page (ADR 0030: no list of every mentor
    # on each row of the review).
    click_and_land(page, row.get_by_role("link", name="Choisir un·e autre mentor"), "**/choisir/**")
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    # Nadia picks one of the alternatives the page offers with room in this round.
    choices = [
        value
        for value in page.locator('input[name="mentor"]').evaluate_all(
            "inputs => inputs.map(i => i.value)"
        )
        if value and value != str(target.proposed_mentor_id)
    ]
    page.locator(f'input[name="mentor"][value="{choices[0]}"]').check()
    page.get_by_role("button", name="Enregistrer ce choix").click()
    # In the error summary and next to the field (ADR 0028): the one next to the field.
    expect(page.get_by_text("Indiquez le motif de la modification.").last).to_be_visible()
    expect(page.locator(f'input[name="mentor"][value="{choices[0]}"]')).to_be_checked()
    target.refresh_from_db()
    assert target.decision == RoundProposal.Decision.PENDING

    page.get_by_label("Motif de la modification").fill(OVERRIDE_REASON)
    click_and_land(page, page.get_by_role("button", name="Enregistrer ce choix"), "**/tours/*/**")
    target.refresh_from_db()
    assert target.decision == RoundProposal.Decision.OVERRIDDEN
    assert target.override_reason == OVERRIDE_REASON
    assert OVERRIDE_REASON in page.locator(f"#proposition-{target.pk}").inner_text()

    click_and_land(
        page,
        main.get_by_role("button", name="Accepter toutes les propositions à relire"),
        "**/tours/*/**",
    )
    before = Mentorship.objects.count()
    click_and_land(page, main.get_by_role("button", name="Publier le tour"), "**/tours/*/**")
    expect(page.get_by_text("Tour publié")).to_be_visible()
    round_.refresh_from_db()
    assert round_.status == MatchingRound.Status.PUBLISHED
    started = Mentorship.objects.count() - before
    assert started == matched.count()
    target.refresh_from_db()
    assert target.mentorship.mentor_id == int(choices[0])

    # The history shows it published, with the mentorships started.
    click_and_land(
        page, main.get_by_role("link", name="Retour aux tours d'appariement"), "**/tours/"
    )
    history = main.get_by_role("table", name=re.compile("^Tours d'appariement de votre"))
    row = history.get_by_role("row").filter(has_text=COHORT)
    assert "Publié" in row.inner_text()
    assert re.search(rf"\b{started} mentorats? publiés?", row.inner_text())

    # --- The health page lists every mentorship -----------------------------------------------
    visit(page, "/mentorat/")
    click_and_land(
        page, main.get_by_role("link", name="La santé des mentorats"), "**/coordination/sante/"
    )
    health = main.get_by_role("table")
    for mentorship in Mentorship.objects.select_related("mentee", "mentor__user"):
        line = health.get_by_role("row").filter(
            has=page.get_by_role("rowheader", name=mentorship.mentee.get_full_name())
        )
        assert mentorship.mentor.user.get_full_name() in line.inner_text()
    camille_row = health.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Camille Roussel")
    )
    assert "Bernard Aubry" in camille_row.inner_text()
