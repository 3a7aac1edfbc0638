from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from tests.bilans.synthesis_helpers import (
    SECTIONS,
    advance_to,
    drafted_synthesis,
    submitted_synthesis,
    validated_synthesis,
)
from tests.factories import member
from tisser.bilans import services as bilans
from tisser.bilans.models import (
    Convention,
    Funding,
    Phase,
    SynthesisDocument,
    SynthesisShare,
    SynthesisShareDownload,
    SynthesisStatus,
)
from tisser.core.enums import Role


def issued(kind: str, bilan) -> str:
    """The name of a PDF of `bilan` issued today."""
    person = slugify(bilan.beneficiary.get_full_name())
    return f"{kind}-{person}-{timezone.localdate():%Y-%m-%d}.pdf"


@pytest.fixture
def bilan(people):
    return bilans.bilan_open(
        consultant=people["consultant"], beneficiary=people["beneficiary"], funding=Funding.CPF
    )


def form_data(document=None, **sections):
    return {
        "circumstances": SECTIONS.circumstances,
        "competences": SECTIONS.competences,
        "projects": SECTIONS.projects,
        "version": document.version if document else 0,
        **sections,
    }


# --- Consultant ------------------------------------------------------------------------------


def test_the_consultant_drafts_from_the_prefill_and_saves(client, bilan):
    advance_to(bilan, Phase.INVESTIGATION)
    client.force_login(bilan.consultant)
    url = reverse("bilans:synthesis_edit", args=[bilan.pk])

    html = client.get(url + "?preremplir=1").content.decode()
    assert "Compte personnel de formation (CPF)" in html
    # The three sections come from the former R6322-38; R6313-7 is the destruction rule.
    assert "R6322-38" in html and "R6313-7" not in html
    assert not SynthesisDocument.objects.exists()

    response = client.post(url, form_data())

    assert response.status_code == 302
    assert SynthesisDocument.objects.get().circumstances == SECTIONS.circumstances


def test_the_prefill_never_replaces_written_text(client, bilan):
    document = drafted_synthesis(bilan, bilans.SynthesisSections("Mon texte", "", ""))
    client.force_login(bilan.consultant)

    html = client.get(
        reverse("bilans:synthesis_edit", args=[bilan.pk]) + "?preremplir=1"
    ).content.decode()

    assert "Mon texte</textarea>" in html
    assert "Compétences professionnelles et personnelles mises en évidence" in html
    document.refresh_from_db()
    assert document.competences == ""


def test_a_concurrent_save_shows_both_texts(client, bilan):
    document = drafted_synthesis(bilan)
    bilans.synthesis_save(
        consultant=bilan.consultant,
        bilan=bilan,
        sections=bilans.SynthesisSections("Version de l'autre onglet", "b", "c"),
        expected_version=document.version,
    )
    client.force_login(bilan.consultant)

    response = client.post(
        reverse("bilans:synthesis_edit", args=[bilan.pk]),
        form_data(document, circumstances="Ma version à moi"),
    )

    html = response.content.decode()
    assert response.status_code == 409
    assert "Version de l&#x27;autre onglet" in html
    assert "Ma version à moi</textarea>" in html
    assert f'name="version" value="{document.version + 1}"' in html


def test_the_consultant_submits_then_takes_it_back(client, bilan):
    advance_to(bilan, Phase.CONCLUSION)
    document = drafted_synthesis(bilan)
    client.force_login(bilan.consultant)

    client.post(reverse("bilans:synthesis_submit", args=[bilan.pk]), {"version": document.version})
    document.refresh_from_db()
    assert document.status == SynthesisStatus.SUBMITTED
    html = client.get(reverse("bilans:synthesis_edit", args=[bilan.pk])).content.decode()
    assert "Reprendre en brouillon" in html and "<textarea" not in html

    client.post(
        reverse("bilans:synthesis_withdraw", args=[bilan.pk]), {"version": document.version}
    )
    document.refresh_from_db()
    assert document.status == SynthesisStatus.DRAFT


def test_submitting_an_incomplete_synthesis_says_why(client, bilan):
    advance_to(bilan, Phase.CONCLUSION)
    document = drafted_synthesis(bilan, bilans.SynthesisSections("a", "", "c"))
    client.force_login(bilan.consultant)

    response = client.post(
        reverse("bilans:synthesis_submit", args=[bilan.pk]),
        {"version": document.version},
        follow=True,
    )

    assert "Rédigez cette partie avant de soumettre la synthèse." in response.content.decode()
    assert SynthesisDocument.objects.get().status == SynthesisStatus.DRAFT


def test_the_editor_waits_for_the_investigation_phase(client, bilan):
    client.force_login(bilan.consultant)
    html = client.get(reverse("bilans:synthesis_edit", args=[bilan.pk])).content.decode()
    assert "à partir de la phase d'investigation" in html
    assert "<textarea" not in html


def test_the_bilan_pages_link_the_documents(client, people):
    bilan = bilans.bilan_open(
        consultant=people["consultant"],
        beneficiary=people["beneficiary"],
        funding=Funding.EMPLOYER,
    )
    client.force_login(bilan.consultant)
    html = client.get(reverse("bilans:detail", args=[bilan.pk])).content.decode()
    for name in ("synthesis_edit", "convention_edit", "attestation_pdf"):
        assert reverse(f"bilans:{name}", args=[bilan.pk]) in html

    client.force_login(bilan.beneficiary)
    html = client.get(reverse("bilans:mine")).content.decode()
    assert reverse("bilans:synthesis_mine", args=[bilan.pk]) in html
    assert reverse("bilans:attestation_pdf", args=[bilan.pk]) in html


# --- Beneficiary -----------------------------------------------------------------------------


def test_the_beneficiary_does_not_see_the_consultants_draft(client, bilan):
    drafted_synthesis(bilan)
    client.force_login(bilan.beneficiary)

    html = client.get(reverse("bilans:synthesis_mine", args=[bilan.pk])).content.decode()

    assert "en train de la rédiger" in html
    assert SECTIONS.projects not in html


def test_validating_needs_an_explicit_confirmation(client, bilan):
    document = submitted_synthesis(bilan)
    client.force_login(bilan.beneficiary)

    response = client.post(
        reverse("bilans:synthesis_validate", args=[bilan.pk]),
        {"validate-version": document.version},
    )

    assert response.status_code == 400
    assert 'id="id_validate-confirm_error"' in response.content.decode()
    assert SynthesisDocument.objects.get().status == SynthesisStatus.SUBMITTED


def test_the_beneficiary_validates_then_downloads_the_pdf(
    client, bilan, django_capture_on_commit_callbacks
):
    document = submitted_synthesis(bilan)
    client.force_login(bilan.beneficiary)
    assert (
        SECTIONS.projects
        in client.get(reverse("bilans:synthesis_mine", args=[bilan.pk])).content.decode()
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("bilans:synthesis_validate", args=[bilan.pk]),
            {"validate-version": document.version, "validate-confirm": "on"},
        )
    assert response.status_code == 302

    response = client.get(reverse("bilans:synthesis_pdf", args=[bilan.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{bilans.synthesis_pdf_filename(SynthesisDocument.objects.get())}"'
    )
    assert "synthese-" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF-")


def test_the_pdf_is_in_preparation_until_rendered(client, bilan):
    validated_synthesis(bilan)  # on-commit callbacks not run: no PDF yet
    client.force_login(bilan.beneficiary)

    page = client.get(reverse("bilans:synthesis_mine", args=[bilan.pk])).content.decode()
    poll = client.get(
        reverse("bilans:synthesis_pdf_status", args=[bilan.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    download = client.get(reverse("bilans:synthesis_pdf", args=[bilan.pk]))

    assert "en préparation" in page and 'hx-trigger="every 3s"' in page
    assert "en préparation" in poll
    assert download.status_code == 302

    bilans.synthesis_pdf_render(document_id=SynthesisDocument.objects.get().pk)
    poll = client.get(
        reverse("bilans:synthesis_pdf_status", args=[bilan.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert reverse("bilans:synthesis_pdf", args=[bilan.pk]) in poll
    assert "hx-trigger" not in poll


def test_the_beneficiary_sends_it_back_with_a_comment(client, bilan):
    document = submitted_synthesis(bilan)
    client.force_login(bilan.beneficiary)
    url = reverse("bilans:synthesis_return", args=[bilan.pk])

    empty = client.post(url, {"return-version": document.version, "return-comment": ""})
    assert empty.status_code == 400
    assert "Dites à votre conseiller·ère" in empty.content.decode()

    client.post(
        url, {"return-version": document.version, "return-comment": "Ajoutez mon bénévolat."}
    )

    document.refresh_from_db()
    assert document.status == SynthesisStatus.DRAFT
    client.force_login(bilan.consultant)
    html = client.get(reverse("bilans:synthesis_edit", args=[bilan.pk])).content.decode()
    assert "Ajoutez mon bénévolat." in html


@pytest.mark.parametrize("role", ["coordinator", "mentor"])
def test_nobody_else_reads_or_downloads_the_synthesis(client, bilan, people, role):
    validated_synthesis(bilan)
    bilans.synthesis_pdf_render(document_id=SynthesisDocument.objects.get().pk)
    client.force_login(people[role])

    for name in ("synthesis_pdf", "synthesis_mine", "synthesis_edit", "attestation_pdf"):
        assert client.get(reverse(f"bilans:{name}", args=[bilan.pk])).status_code == 404


def test_another_beneficiary_gets_a_404(client, bilan, organisation):
    validated_synthesis(bilan)
    client.force_login(member(Role.BENEFICIARY, organisation))
    assert client.get(reverse("bilans:synthesis_mine", args=[bilan.pk])).status_code == 404
    assert client.get(reverse("bilans:synthesis_pdf", args=[bilan.pk])).status_code == 404


# --- Sharing ---------------------------------------------------------------------------------

SHARE = {
    "share-recipient_name": "Inès Martin",
    "share-recipient_email": "ines.martin@cep.example.org",
    "share-recipient_role": "Conseillère en évolution professionnelle",
    "share-recipient_organisation": "",
    "share-purpose": "Préparer mon dossier de formation",
    "share-consent": "on",
}


def share_link(client, bilan, django_capture_on_commit_callbacks) -> str:
    document = validated_synthesis(bilan)
    bilans.synthesis_pdf_render(document_id=document.pk)
    client.force_login(bilan.beneficiary)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("bilans:synthesis_share_create", args=[bilan.pk]), SHARE)
    assert response.status_code == 302
    [email] = [m for m in mail.outbox if m.to == [SHARE["share-recipient_email"]]]
    path = reverse("bilans:synthesis_shared", args=["TOKEN"]).split("TOKEN")[0]
    return path + email.body.split(path, 1)[1].split("/", 1)[0] + "/"


def test_a_share_form_without_consent_keeps_what_was_typed(client, bilan):
    validated_synthesis(bilan)
    client.force_login(bilan.beneficiary)

    response = client.post(
        reverse("bilans:synthesis_share_create", args=[bilan.pk]),
        {**SHARE, "share-consent": ""},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_share-consent_error"' in html
    assert 'value="Inès Martin"' in html
    assert not SynthesisShare.objects.exists()


def test_the_recipient_downloads_until_the_consent_is_revoked(
    client, bilan, django_capture_on_commit_callbacks
):
    link = share_link(client, bilan, django_capture_on_commit_callbacks)
    client.logout()

    page = client.get(link)
    download = client.get(link + "pdf/", headers={"User-Agent": "Lecteur"})

    assert page.status_code == 200 and "Préparer mon dossier de formation" in page.content.decode()
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment; filename=")
    assert download["Content-Disposition"].endswith('.pdf"')
    assert SynthesisShareDownload.objects.get().user_agent == "Lecteur"

    share = SynthesisShare.objects.get()
    client.force_login(bilan.beneficiary)
    html = client.get(reverse("bilans:synthesis_mine", args=[bilan.pk])).content.decode()
    assert "Inès Martin" in html and "1 fois" in html
    client.post(reverse("bilans:synthesis_share_revoke", args=[share.pk]))
    client.logout()

    gone_page = client.get(link)
    gone_pdf = client.get(link + "pdf/")
    assert gone_page.status_code == 410 and gone_pdf.status_code == 410
    assert "retiré son accord" in gone_pdf.content.decode()
    assert SynthesisShareDownload.objects.count() == 1


def test_only_the_beneficiary_revokes_a_share(
    client, bilan, people, django_capture_on_commit_callbacks
):
    share_link(client, bilan, django_capture_on_commit_callbacks)
    share = SynthesisShare.objects.get()
    for role in ("consultant", "coordinator"):
        client.force_login(people[role])
        url = reverse("bilans:synthesis_share_revoke", args=[share.pk])
        assert client.post(url).status_code == 404
    assert SynthesisShare.objects.get().revoked_at is None


def test_the_shares_list_costs_the_same_queries_for_many_shares(
    client, bilan, django_assert_max_num_queries
):
    document = validated_synthesis(bilan)
    for index in range(6):
        bilans.synthesis_share_create(
            beneficiary=bilan.beneficiary,
            document=document,
            recipient=bilans.ShareRecipient(
                name=f"Personne {index}", email=f"p{index}@example.org", role="CEP", purpose="x"
            ),
        )
    client.force_login(bilan.beneficiary)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("bilans:synthesis_mine", args=[bilan.pk]))

    assert response.content.decode().count("Retirer mon accord") == 6


# --- Convention and attestation --------------------------------------------------------------


def convention_data(bilan, **overrides):
    initial = bilans.convention_initial(bilan)
    return {
        **{key: str(value) for key, value in initial.items()},
        "employer_name": "Transports Garonne SA",
        "employer_address": "12 quai de la Daurade, 31000 Toulouse",
        "employer_representative": "Mme Durand, DRH",
        "price_euros": "1800",
        "version": 0,
        **overrides,
    }


def test_the_convention_page_is_for_employer_funded_bilans(client, bilan):
    client.force_login(bilan.consultant)
    assert client.get(reverse("bilans:convention_edit", args=[bilan.pk])).status_code == 404


def test_the_consultant_fills_in_the_convention_and_downloads_it(client, people):
    bilan = bilans.bilan_open(
        consultant=people["consultant"],
        beneficiary=people["beneficiary"],
        funding=Funding.EMPLOYER,
    )
    client.force_login(bilan.consultant)
    url = reverse("bilans:convention_edit", args=[bilan.pk])
    assert "R6313-8" in client.get(url).content.decode()

    bad = client.post(url, convention_data(bilan, price_euros="-5"))
    assert bad.status_code == 400
    assert "Le prix ne peut pas être négatif." in bad.content.decode()
    assert 'value="Transports Garonne SA"' in bad.content.decode()

    assert client.post(url, convention_data(bilan)).status_code == 302
    assert Convention.objects.get().price_euros == Decimal("1800")

    pdf = client.get(reverse("bilans:convention_pdf", args=[bilan.pk]))
    assert pdf.status_code == 200
    assert pdf["Content-Disposition"] == f'attachment; filename="{issued("convention", bilan)}"'
    client.force_login(people["coordinator"])
    assert client.get(reverse("bilans:convention_pdf", args=[bilan.pk])).status_code == 404


def test_a_concurrent_convention_save_shows_the_saved_values(client, people):
    bilan = bilans.bilan_open(
        consultant=people["consultant"],
        beneficiary=people["beneficiary"],
        funding=Funding.EMPLOYER,
    )
    client.force_login(bilan.consultant)
    url = reverse("bilans:convention_edit", args=[bilan.pk])
    client.post(url, convention_data(bilan))
    client.post(url, convention_data(bilan, price_euros="2100", version=1))

    response = client.post(url, convention_data(bilan, price_euros="1500", version=1))

    html = response.content.decode()
    assert response.status_code == 409
    assert "2100" in html and 'value="1500' in html
    assert Convention.objects.get().price_euros == Decimal("2100")


@pytest.mark.parametrize("role", ["beneficiary", "consultant"])
def test_the_attestation_downloads_for_the_beneficiary_and_consultant(client, bilan, people, role):
    client.force_login(people[role])

    response = client.get(reverse("bilans:attestation_pdf", args=[bilan.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="{issued("attestation-presence", bilan)}"'
    )
    assert response.content.startswith(b"%PDF-")
