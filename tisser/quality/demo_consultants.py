"""Demo records for the demo organisme's consultants (indicators 21 and 22): Claire Morel's
is complete and up to date; Julien Fabre's has a continuing training due and an
accreditation ending soon, so that the coordinator's list shows who is due for what.
Idempotent: a consultant who already has a record is left as is."""

import datetime
from decimal import Decimal

from django.utils import timezone

from tisser.core.demo import Demo, register
from tisser.core.enums import Role
from tisser.quality.files import CheckedUpload
from tisser.quality.models import ConsultantRecord
from tisser.quality.services.consultants import (
    RecordItemKind,
    consultant_item_add,
    consultant_record_save,
)


def demo_proof(title: str) -> CheckedUpload:
    """A one-page PDF that says it is a demo proof (hand-written: no renderer needed)."""
    text = f"Justificatif de demonstration : {title}".encode("latin-1", "replace")
    text = text.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    stream = b"BT /F1 14 Tf 50 780 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    body = b"%PDF-1.4\n"
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += str(number).encode() + b" 0 obj\n" + content + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 " + str(len(objects) + 1).encode() + b"\n0000000000 65535 f \n"
    for offset in offsets:
        body += f"{offset:010d} 00000 n \n".encode()
    body += (
        b"trailer\n<< /Size " + str(len(objects) + 1).encode() + b" /Root 1 0 R >>\n"
        b"startxref\n" + str(xref).encode() + b"\n%%EOF\n"
    )
    return CheckedUpload(content=body, content_type="application/pdf", extension="pdf")


def _seed(membership, *, years, roles, summary, qualifications, methods, trainings) -> None:
    actor = membership.user
    consultant_record_save(
        actor=actor,
        membership=membership,
        expected_version=0,
        years_in_guidance=years,
        previous_roles=roles,
        summary=summary,
    )
    for title, body, year in qualifications:
        consultant_item_add(
            actor=actor,
            membership=membership,
            kind=RecordItemKind.QUALIFICATION,
            values={"title": title, "awarding_body": body, "year": year},
            proof=demo_proof(title),
            proof_name=f"{title}.pdf",
        )
    for name, accredited_on, expires_on in methods:
        consultant_item_add(
            actor=actor,
            membership=membership,
            kind=RecordItemKind.METHOD,
            values={"name": name, "accredited_on": accredited_on, "expires_on": expires_on},
            proof=demo_proof(name),
            proof_name=f"{name}.pdf",
        )
    for title, provider, started_on, hours in trainings:
        consultant_item_add(
            actor=actor,
            membership=membership,
            kind=RecordItemKind.TRAINING,
            values={
                "title": title,
                "provider": provider,
                "started_on": started_on,
                "ended_on": started_on + datetime.timedelta(days=1),
                "hours": Decimal(hours),
                "indicator": 22,
            },
            proof=demo_proof(title),
            proof_name=f"{title}.pdf",
        )


@register("quality_consultants", order=60, after=("people",))
def consultants_demo(demo: Demo) -> None:
    today = timezone.localdate()
    days = datetime.timedelta
    consultants = demo.people.get(Role.CONSULTANT, [])
    seeded = 0
    for index, user in enumerate(consultants[:2]):
        membership = user.memberships.get(organisation=demo.organisation)
        if ConsultantRecord.objects.filter(membership=membership).exists():
            continue
        if index == 0:  # Claire Morel: complete and up to date
            _seed(
                membership,
                years=12,
                roles="Conseillère en insertion professionnelle, puis chargée de "
                "recrutement dans un cabinet de conseil en ressources humaines.",
                summary="Bilans de compétences depuis 2014, reconversions de cadres et "
                "de soignants.",
                qualifications=[
                    ("Master de psychologie du travail", "Université Lumière Lyon 2", 2011),
                    (
                        "Titre de praticien en bilan de compétences",
                        "Centre interinstitutionnel de bilan de compétences",
                        2014,
                    ),
                ],
                methods=[
                    ("Inventaire RIASEC (Strong)", today - days(900), None),
                    ("MBTI", today - days(700), today + days(700)),
                    ("Entretien d'explicitation", today - days(1200), None),
                ],
                trainings=[
                    (
                        "Accompagner les reconversions de soignants",
                        "Centre Inffo",
                        today - days(60),
                        "14",
                    ),
                    ("Le ROME 4.0 et ses fiches métiers", "France Travail", today - days(200), "7"),
                ],
            )
        else:  # Julien Fabre: a training due, an accreditation ending soon
            _seed(
                membership,
                years=5,
                roles="Formateur en techniques de recherche d'emploi.",
                summary="Bilans de compétences de salariés de l'industrie.",
                qualifications=[
                    (
                        "Licence professionnelle de conseiller en insertion",
                        "Université de Bordeaux",
                        2016,
                    ),
                ],
                methods=[
                    ("Process Communication Model", today - days(1050), today + days(40)),
                    ("Exploration des métiers avec le ROME", today - days(800), None),
                ],
                trainings=[
                    (
                        "Conduire un entretien de bilan à distance",
                        "Cnam",
                        today - days(500),
                        "10.5",
                    ),
                ],
            )
        seeded += 1
    if seeded:
        demo.notes.append(
            f"Qualité : dossiers de consultants créés : {seeded} (diplômes, méthodes, formations)."
        )
