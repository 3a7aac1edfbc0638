"""PDFs of a bilan kept as they were rendered (ADR 0030): the attestation, the émargement,
the convention, the contract and the detailed results take WeasyPrint a few hundred
milliseconds each. The last rendering of each is kept with the fingerprint of the HTML it was
made from (`tisser.documents.pdf.pdf_fingerprint`); a download whose HTML has the same
fingerprint gets these bytes, any other renders again."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tisser.bilans.models.core import Bilan


class RenderedPdf(models.Model):
    class Kind(models.TextChoices):
        ATTESTATION = "attestation", _("Attestation de présence")
        EMARGEMENT = "emargement", _("Feuille d'émargement")
        RESULTS = "results", _("Résultats détaillés")
        CONVENTION = "convention", _("Convention")
        CONTRACT = "contract", _("Contrat")

    bilan = models.ForeignKey(Bilan, on_delete=models.CASCADE, related_name="rendered_pdfs")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # SHA-256 of everything printed: the HTML (organisme's identity and logo included), the
    # print stylesheet and the renderer's version.
    fingerprint = models.CharField(max_length=64)
    content = models.BinaryField()
    rendered_at = models.DateTimeField()

    class Meta:
        verbose_name = _("PDF rendu d'un bilan")
        constraints = [
            models.UniqueConstraint(fields=["bilan", "kind"], name="rendered_pdf_one_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.bilan_id} {self.kind}"
