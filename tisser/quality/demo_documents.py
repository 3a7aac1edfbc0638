"""Demo data for the indicator map (`seed_demo`): the demo organisme's own documents — its
règlement intérieur, a note of legal watch whose review falls due within a fortnight, and its
complaints procedure — kept up to date by the coordinator. Small PDFs made with WeasyPrint;
through the services, once (a document already there by its title is left alone)."""

from datetime import timedelta
from html import escape

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tisser.core.demo import Demo, register
from tisser.core.enums import Role
from tisser.documents.pdf import html_to_pdf
from tisser.quality.models import DocumentKind, OrganismeDocument
from tisser.quality.models.documents import KIND_INDICATORS
from tisser.quality.services.documents import DocumentFields, organisme_document_upload

DOCUMENTS = (
    (
        DocumentKind.HOUSE_RULES,
        "Règlement intérieur",
        "reglement-interieur.pdf",
        200,
        None,
        "Horaires d'accueil, confidentialité des échanges, règles d'hygiène et de sécurité, "
        "droits et devoirs des personnes accompagnées.",
    ),
    (
        DocumentKind.LEGAL_WATCH,
        "Veille légale : note du trimestre",
        "veille-legale.pdf",
        80,
        12,
        "Textes du trimestre sur le bilan de compétences et le CPF, et ce qu'ils changent "
        "dans nos conventions et nos contrats.",
    ),
    (
        DocumentKind.COMPLAINTS_PROCEDURE,
        "Procédure de traitement des réclamations",
        "procedure-reclamations.pdf",
        150,
        200,
        "Qui reçoit une réclamation, l'accusé de réception sous cinq jours ouvrés, la réponse "
        "écrite, le suivi et les actions d'amélioration qui en découlent.",
    ),
)


def _pdf(title: str, body: str, organisation_name: str) -> bytes:
    html = (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title>"
        f'<meta name="author" content="{escape(organisation_name)}"></head>'
        f"<body><h1>{escape(title)}</h1><p>{escape(organisation_name)}</p>"
        f"<p>{escape(body)}</p></body></html>"
    )
    return html_to_pdf(html)


@register("quality_documents", order=300, after=("people",))
def seed(demo: Demo) -> None:
    organisation = demo.organisation
    coordinator = demo.people[Role.COORDINATOR][0]
    today = timezone.localdate()
    existing = set(
        OrganismeDocument.objects.filter(organisation=organisation).values_list("title", flat=True)
    )
    added = 0
    for kind, title, filename, age_days, review_in_days, body in DOCUMENTS:
        if title in existing:
            continue
        content = _pdf(title, body, organisation.display_name)
        organisme_document_upload(
            coordinator=coordinator,
            organisation=organisation,
            fields=DocumentFields(
                kind=kind,
                indicators=list(KIND_INDICATORS[kind]),
                title=title,
                document_date=today - timedelta(days=age_days),
                owner=coordinator,
                review_due_on=(
                    today + timedelta(days=review_in_days) if review_in_days is not None else None
                ),
            ),
            upload=SimpleUploadedFile(filename, content, content_type="application/pdf"),
        )
        added += 1
    if added:
        demo.notes.append(
            f"Qualiopi : {added} documents de l'organisme déposés (/qualite/documents/)."
        )
