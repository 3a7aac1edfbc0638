import re
from dataclasses import dataclass

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from tests.bilans.synthesis_helpers import (
    SECTIONS,
    advance_to,
    attended_session,
    drafted_synthesis,
    submitted_synthesis,
    validated_synthesis,
)
from tests.documents.pdf_helpers import pdf_info
from tisser.bilans import services as bilans
from tisser.bilans.models import (
    Funding,
    Phase,
    SynthesisDocument,
    SynthesisPdf,
    SynthesisShare,
    SynthesisShareDownload,
    SynthesisStatus,
)
from tisser.bilans.notice_kinds import BilanNotice
from tisser.bilans.services.synthesis import synthesis_pdf_context
from tisser.core.errors import StaleVersion
from tisser.core.models import AuditEvent
from tisser.documents.pdf import render_html
from tisser.notifications.models import Notification


@pytest.fixture
def bilan(people):
    return bilans.bilan_open(
        consultant=people["consultant"], beneficiary=people["beneficiary"], funding=Funding.CPF
    )


def actions():
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


# --- Drafting --------------------------------------------------------------------------------


def test_the_synthesis_is_written_from_the_investigation_phase_on(bilan):
    with pytest.raises(ValidationError) as error:
        bilans.synthesis_save(
            consultant=bilan.consultant, bilan=bilan, sections=SECTIONS, expected_version=0
        )
    assert error.value.code == "phase"
    assert not SynthesisDocument.objects.exists()


def test_the_first_save_creates_the_draft_and_is_audited(bilan):
    advance_to(bilan, Phase.INVESTIGATION)

    document = bilans.synthesis_save(
        consultant=bilan.consultant, bilan=bilan, sections=SECTIONS, expected_version=0
    )

    assert document.status == SynthesisStatus.DRAFT
    assert document.version == 1
    assert document.projects == SECTIONS.projects
    assert "synthesis.create" in actions()


@pytest.mark.parametrize("role", ["beneficiary", "mentor", "coordinator"])
def test_only_the_consultant_writes_the_synthesis(bilan, people, role):
    advance_to(bilan, Phase.INVESTIGATION)
    with pytest.raises(PermissionDenied):
        bilans.synthesis_save(
            consultant=people[role], bilan=bilan, sections=SECTIONS, expected_version=0
        )


def test_a_stale_save_keeps_the_other_text_and_says_so(bilan):
    document = drafted_synthesis(bilan)
    bilans.synthesis_save(
        consultant=bilan.consultant,
        bilan=bilan,
        sections=bilans.SynthesisSections("Onglet 1", "Onglet 1", "Onglet 1"),
        expected_version=document.version,
    )

    with pytest.raises(StaleVersion) as conflict:
        bilans.synthesis_save(
            consultant=bilan.consultant,
            bilan=bilan,
            sections=bilans.SynthesisSections("Onglet 2", "Onglet 2", "Onglet 2"),
            expected_version=document.version,
        )

    assert conflict.value.current.circumstances == "Onglet 1"
    assert conflict.value.version == document.version + 1
    document.refresh_from_db()
    assert document.circumstances == "Onglet 1"


def test_a_second_tab_cannot_create_a_second_synthesis(bilan):
    drafted_synthesis(bilan)
    with pytest.raises(StaleVersion):
        bilans.synthesis_save(
            consultant=bilan.consultant, bilan=bilan, sections=SECTIONS, expected_version=0
        )
    assert SynthesisDocument.objects.count() == 1


def test_the_prefill_tells_the_bilan_dates_funding_sessions_and_hours(bilan):
    advance_to(bilan, Phase.INVESTIGATION)
    attended_session(bilan, minutes=90)

    initial = bilans.synthesis_draft_initial(bilan)

    assert "Compte personnel de formation (CPF)" in initial.circumstances
    assert bilan.organisation.name in initial.circumstances
    assert "1 entretien réalisé, soit 1,5 h" in initial.circumstances
    assert "Phase d'investigation à partir du" in initial.circumstances
    assert initial.competences and initial.projects
    assert not SynthesisDocument.objects.exists()  # only offered, never saved by itself


def test_the_prefill_gathers_portfolio_achievements_inventories_and_projects(bilan):
    from datetime import date

    from tisser.assessments import riasec, values
    from tisser.assessments.services import interests_record, values_record
    from tisser.bilans.models import Achievement, PortfolioItem

    advance_to(bilan, Phase.INVESTIGATION)
    person = bilan.beneficiary
    for code, label, preference in [
        (1, "Animer une réunion", PortfolioItem.Preference.WANTED),
        (2, "Tenir une comptabilité", PortfolioItem.Preference.ENDURED),
        (3, "Rédiger un compte rendu", PortfolioItem.Preference.NEUTRAL),
    ]:
        PortfolioItem.objects.create(
            bilan=bilan,
            kind="competence",
            code_ogr=code,
            label=label,
            level=3,
            preference=preference,
        )
    Achievement.objects.create(
        bilan=bilan, title="Salon régional", situation="s", action="a", result="r"
    )
    social = {item.id: (5 if item.dimension in ("S", "A") else 1) for item in riasec.ITEMS}
    interests_record(user=person, answers=social)
    balance = {item.id: (5 if item.dimension == "balance" else 2) for item in values.ITEMS}
    values_record(user=person, answers=balance)
    project = bilans.project_create(
        actor=person,
        bilan=bilan,
        kind="training",
        title="Devenir formatrice",
        motivation="Transmettre.",
    )
    bilans.project_step_add(
        actor=person, project=project, title="Financer la formation", due_on=date(2027, 3, 1)
    )

    initial = bilans.synthesis_draft_initial(bilan)

    assert "mobilisées avec plaisir : Animer une réunion" in initial.competences
    assert "par nécessité plutôt que par goût : Tenir une comptabilité" in initial.competences
    assert "également maîtrisées : Rédiger un compte rendu" in initial.competences
    assert "« Salon régional »" in initial.competences
    assert "Centres d'intérêt dominants : AS" in initial.competences
    assert "Valeurs prioritaires : Équilibre" in initial.competences
    assert initial.projects.startswith("Projet retenu : Devenir formatrice")
    assert "Motivation : Transmettre." in initial.projects
    assert "— Financer la formation (1er mars 2027)" in initial.projects


# --- Submitting, sending back, validating ----------------------------------------------------


def test_submitting_needs_the_three_sections(bilan):
    advance_to(bilan, Phase.CONCLUSION)
    document = drafted_synthesis(bilan, bilans.SynthesisSections("Circonstances", "", " "))

    with pytest.raises(ValidationError) as error:
        bilans.synthesis_submit(
            consultant=bilan.consultant, bilan=bilan, expected_version=document.version
        )

    assert set(error.value.message_dict) == {"competences", "projects"}


def test_submitting_tells_the_beneficiary(bilan, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = submitted_synthesis(bilan)

    assert document.status == SynthesisStatus.SUBMITTED
    assert document.submitted_by == bilan.consultant
    notices = Notification.objects.filter(
        recipient=bilan.beneficiary, kind=BilanNotice.SYNTHESIS_SUBMITTED
    )
    assert notices.count() == 2  # in the app and by e-mail
    assert [message.to for message in mail.outbox] == [[bilan.beneficiary.email]]


def test_the_beneficiary_sends_it_back_with_a_comment(bilan):
    document = submitted_synthesis(bilan)

    with pytest.raises(ValidationError) as error:
        bilans.synthesis_return(
            beneficiary=bilan.beneficiary, bilan=bilan, comment="  ", expected_version=2
        )
    assert "comment" in error.value.message_dict

    document = bilans.synthesis_return(
        beneficiary=bilan.beneficiary,
        bilan=bilan,
        comment="Parlez aussi de mon bénévolat.",
        expected_version=document.version,
    )

    assert document.status == SynthesisStatus.DRAFT
    assert document.beneficiary_comment == "Parlez aussi de mon bénévolat."
    assert document.returned_at is not None
    assert Notification.objects.filter(
        recipient=bilan.consultant, kind=BilanNotice.SYNTHESIS_RETURNED
    ).exists()
    # A draft again: the consultant edits it.
    bilans.synthesis_save(
        consultant=bilan.consultant,
        bilan=bilan,
        sections=SECTIONS,
        expected_version=document.version,
    )


def test_nobody_validates_a_text_that_changed_since_they_read_it(bilan):
    read = submitted_synthesis(bilan)
    withdrawn = bilans.synthesis_withdraw(
        consultant=bilan.consultant, bilan=bilan, expected_version=read.version
    )
    bilans.synthesis_submit(
        consultant=bilan.consultant, bilan=bilan, expected_version=withdrawn.version
    )

    with pytest.raises(ValidationError) as error:
        bilans.synthesis_validate(
            beneficiary=bilan.beneficiary, bilan=bilan, expected_version=read.version
        )

    assert error.value.code == "stale"
    assert SynthesisDocument.objects.get().status == SynthesisStatus.SUBMITTED


@pytest.mark.parametrize("role", ["consultant", "mentor", "coordinator"])
def test_only_the_beneficiary_validates(bilan, people, role):
    document = submitted_synthesis(bilan)
    with pytest.raises(PermissionDenied):
        bilans.synthesis_validate(
            beneficiary=people[role], bilan=bilan, expected_version=document.version
        )


def test_a_draft_cannot_be_validated(bilan):
    document = drafted_synthesis(bilan)
    with pytest.raises(ValidationError) as error:
        bilans.synthesis_validate(
            beneficiary=bilan.beneficiary, bilan=bilan, expected_version=document.version
        )
    assert error.value.code == "not_submitted"


def test_a_validated_synthesis_is_no_longer_edited(bilan):
    document = validated_synthesis(bilan)
    for attempt in (
        lambda: bilans.synthesis_save(
            consultant=bilan.consultant,
            bilan=bilan,
            sections=SECTIONS,
            expected_version=document.version,
        ),
        lambda: bilans.synthesis_withdraw(
            consultant=bilan.consultant, bilan=bilan, expected_version=document.version
        ),
    ):
        with pytest.raises(ValidationError):
            attempt()


def test_every_step_is_audited(bilan):
    document = submitted_synthesis(bilan)
    bilans.synthesis_validate(
        beneficiary=bilan.beneficiary, bilan=bilan, expected_version=document.version
    )
    assert [a for a in actions() if a.startswith("synthesis.")] == [
        "synthesis.create",
        "synthesis.submit",
        "synthesis.validate",
    ]


# --- Closing the bilan -----------------------------------------------------------------------


@pytest.mark.parametrize("prepare", [None, drafted_synthesis])
def test_a_bilan_does_not_close_without_a_presented_synthesis(bilan, prepare):
    advance_to(bilan, Phase.CONCLUSION)
    if prepare:
        prepare(bilan)

    with pytest.raises(ValidationError) as error:
        bilans.bilan_phase_advance(actor=bilan.consultant, bilan=bilan, to_phase=Phase.CLOSED)

    assert error.value.code == "synthesis"
    assert "document de synthèse" in error.value.messages[0]
    bilan.refresh_from_db()
    assert bilan.status == Phase.CONCLUSION


@pytest.mark.parametrize("prepare", [submitted_synthesis, validated_synthesis])
def test_a_bilan_closes_once_the_synthesis_is_presented_validated_or_not(bilan, prepare):
    advance_to(bilan, Phase.CONCLUSION)
    prepare(bilan)
    bilan.refresh_from_db()

    bilans.bilan_phase_advance(actor=bilan.consultant, bilan=bilan, to_phase=Phase.CLOSED)

    assert bilan.status == Phase.CLOSED


# --- The PDF ---------------------------------------------------------------------------------


def test_validating_renders_the_pdf_in_the_background(bilan, django_capture_on_commit_callbacks):
    advance_to(bilan, Phase.INVESTIGATION)
    attended_session(bilan, minutes=120)

    with django_capture_on_commit_callbacks(execute=True):
        document = validated_synthesis(bilan)

    pdf = SynthesisPdf.objects.get(document=document)
    content = bytes(pdf.content)
    assert content.startswith(b"%PDF-")
    assert pdf.version == document.version
    assert pdf_info(content, "Title") == "Document de synthèse du bilan de compétences"
    assert pdf_info(content, "Author") == bilan.organisation.name
    assert pdf_info(content, "Lang") == "fr"
    assert bilans.synthesis_pdf_ready(document)
    assert "synthesis.pdf_render" in actions()


def test_the_pdf_html_carries_the_identity_dates_hours_and_sections(bilan):
    advance_to(bilan, Phase.INVESTIGATION)
    attended_session(bilan, minutes=90)
    document = validated_synthesis(bilan)

    html = render_html(
        template_name="documents/synthesis.html",
        context=synthesis_pdf_context(document),
    )

    assert bilan.organisation.name in html
    assert bilan.beneficiary.get_full_name() in html
    assert bilan.consultant.get_full_name() in html
    assert "1,5 h, en 1 entretien" in html
    for text in (SECTIONS.circumstances, SECTIONS.competences, SECTIONS.projects):
        assert text in html
    assert '<html lang="fr">' in html
    assert "INVALID_TEMPLATE_VARIABLE" not in html


def test_rendering_twice_keeps_the_first_pdf(bilan):
    document = validated_synthesis(bilan)
    first = bilans.synthesis_pdf_render(document_id=document.pk)

    again = bilans.synthesis_pdf_render(document_id=document.pk)

    assert again.pk == first.pk and again.rendered_at == first.rendered_at
    assert SynthesisPdf.objects.count() == 1


def test_a_synthesis_presented_on_an_open_bilan_gets_no_pdf_yet(bilan):
    document = submitted_synthesis(bilan)
    assert bilans.synthesis_pdf_render(document_id=document.pk) is None
    assert bilans.synthesis_pdf_render(document_id=document.pk + 1000) is None
    assert not SynthesisPdf.objects.exists()


@pytest.mark.parametrize("role", ["mentor", "coordinator"])
def test_the_pdf_goes_to_the_beneficiary_and_the_consultant_only(bilan, people, role):
    document = validated_synthesis(bilan)
    bilans.synthesis_pdf_render(document_id=document.pk)

    assert bilans.synthesis_pdf_download(actor=bilan.beneficiary, document=document)
    assert bilans.synthesis_pdf_download(actor=bilan.consultant, document=document)
    with pytest.raises(PermissionDenied):
        bilans.synthesis_pdf_download(actor=people[role], document=document)


# --- Sharing ---------------------------------------------------------------------------------

RECIPIENT = bilans.ShareRecipient(
    name="Inès Martin",
    email="ines.martin@cep.example.org",
    role="Conseillère en évolution professionnelle",
    organisation="CEP Occitanie",
    purpose="Préparer mon dossier de formation",
)


@dataclass(frozen=True)
class Shared:
    share: SynthesisShare
    raw_token: str


def shared(bilan, django_capture_on_commit_callbacks) -> Shared:
    """Share, and read the link's token in the e-mail: the task that sends it creates it
    (nothing else ever holds it, ADR 0010)."""
    document = validated_synthesis(bilan)
    bilans.synthesis_pdf_render(document_id=document.pk)
    with django_capture_on_commit_callbacks(execute=True):
        issued = bilans.synthesis_share_create(
            beneficiary=bilan.beneficiary, document=document, recipient=RECIPIENT
        )
    [email] = [m for m in mail.outbox if m.to == [RECIPIENT.email]]
    prefix = reverse("bilans:synthesis_shared", args=["JETON"]).split("JETON")[0]
    token = re.search(re.escape(prefix) + r"([\w-]+)/", email.body).group(1)
    return Shared(share=issued.share, raw_token=token)


def test_sharing_needs_a_validated_synthesis(bilan):
    document = submitted_synthesis(bilan)
    with pytest.raises(ValidationError) as error:
        bilans.synthesis_share_create(
            beneficiary=bilan.beneficiary, document=document, recipient=RECIPIENT
        )
    assert error.value.code == "not_validated"


@pytest.mark.parametrize("role", ["consultant", "coordinator"])
def test_only_the_beneficiary_shares(bilan, people, role):
    document = validated_synthesis(bilan)
    with pytest.raises(PermissionDenied):
        bilans.synthesis_share_create(
            beneficiary=people[role], document=document, recipient=RECIPIENT
        )


def test_a_share_names_its_recipient(bilan):
    document = validated_synthesis(bilan)
    with pytest.raises(ValidationError) as error:
        bilans.synthesis_share_create(
            beneficiary=bilan.beneficiary,
            document=document,
            recipient=bilans.ShareRecipient(name="", email="", role="", purpose=""),
        )
    assert set(error.value.message_dict) == {
        "recipient_name",
        "recipient_email",
        "recipient_role",
        "purpose",
    }


def test_the_recipient_gets_a_private_link_stored_hashed(bilan, django_capture_on_commit_callbacks):
    issued = shared(bilan, django_capture_on_commit_callbacks)

    share = SynthesisShare.objects.get()
    assert share.token_hash != issued.raw_token and len(share.token_hash) == 64
    assert share.email_sent_at is not None
    [email] = [m for m in mail.outbox if m.to == [RECIPIENT.email]]
    assert issued.raw_token in email.body
    assert bilan.beneficiary.get_full_name() in email.subject
    assert "synthesis.share_create" in actions()


def test_the_link_serves_the_pdf_and_records_each_download(
    bilan, django_capture_on_commit_callbacks
):
    issued = shared(bilan, django_capture_on_commit_callbacks)

    content, filename = bilans.synthesis_share_download(
        raw_token=issued.raw_token, user_agent="Navigateur"
    )
    bilans.synthesis_share_download(raw_token=issued.raw_token)

    assert content.startswith(b"%PDF-")
    person = slugify(bilan.beneficiary.get_full_name())
    validated_on = timezone.localdate(SynthesisDocument.objects.get(bilan=bilan).validated_at)
    assert filename == f"synthese-{person}-{validated_on:%Y-%m-%d}.pdf"
    assert SynthesisShareDownload.objects.filter(share=issued.share).count() == 2
    assert actions().count("synthesis.share_download") == 2


def test_a_revoked_consent_closes_the_link(bilan, django_capture_on_commit_callbacks):
    issued = shared(bilan, django_capture_on_commit_callbacks)

    bilans.synthesis_share_revoke(beneficiary=bilan.beneficiary, share=issued.share)
    revoked_at = SynthesisShare.objects.get().revoked_at
    bilans.synthesis_share_revoke(beneficiary=bilan.beneficiary, share=issued.share)

    assert SynthesisShare.objects.get().revoked_at == revoked_at
    with pytest.raises(bilans.ShareRevoked):
        bilans.synthesis_share_download(raw_token=issued.raw_token)
    with pytest.raises(bilans.ShareRevoked):
        bilans.synthesis_share_resolve(raw_token=issued.raw_token)
    with pytest.raises(bilans.ShareUnknown):
        bilans.synthesis_share_resolve(raw_token="pas-un-jeton")
    assert actions().count("synthesis.share_revoke") == 1
    assert not SynthesisShareDownload.objects.exists()


def test_only_the_beneficiary_revokes(bilan, people, django_capture_on_commit_callbacks):
    issued = shared(bilan, django_capture_on_commit_callbacks)
    with pytest.raises(PermissionDenied):
        bilans.synthesis_share_revoke(beneficiary=people["consultant"], share=issued.share)


def test_the_email_task_is_safe_to_run_twice(bilan, django_capture_on_commit_callbacks):
    from tisser.bilans.tasks import synthesis_share_email_send

    issued = shared(bilan, django_capture_on_commit_callbacks)
    sent = len(mail.outbox)

    result = synthesis_share_email_send.call(share_id=issued.share.pk)

    assert result is False
    assert len(mail.outbox) == sent
