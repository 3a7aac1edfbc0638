"""Documents uploaded for Qualiopi (the organisme's own documents, a consultant's diplomas and
training certificates): checked on the way in, kept in the database (like the organisme's logo,
ADR 0018: no media storage to secure or back up apart, the same on SQLite and PostgreSQL, gone
with their row), served only by a view that checked who asks."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _

UPLOAD_MAX_BYTES = 5 * 1024 * 1024

# The kinds accepted, told by their first bytes rather than by the name or the browser's word.
SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)


@dataclass(frozen=True)
class CheckedUpload:
    content: bytes
    content_type: str
    extension: str


def upload_check(upload: UploadedFile, *, max_bytes: int = UPLOAD_MAX_BYTES) -> CheckedUpload:
    """The upload's bytes and kind when it is a PDF, PNG or JPEG of at most `max_bytes`; a
    ValidationError in French otherwise (for the form's field)."""
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            _("Le fichier dépasse %(mo)s Mo : envoyez une version plus légère.")
            % {"mo": max_bytes // (1024 * 1024)},
            code="too_big",
        )
    content = upload.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise ValidationError(
            _("Le fichier dépasse %(mo)s Mo : envoyez une version plus légère.")
            % {"mo": max_bytes // (1024 * 1024)},
            code="too_big",
        )
    if not content:
        raise ValidationError(_("Le fichier est vide."), code="empty")
    for signature, content_type, extension in SIGNATURES:
        if content.startswith(signature):
            return CheckedUpload(content=content, content_type=content_type, extension=extension)
    raise ValidationError(_("Envoyez un PDF, une image PNG ou une image JPEG."), code="kind")


def file_response(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    """The stored file as a download, never shown inline (a PDF is not run in our origin)."""
    response = HttpResponse(bytes(content), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# The ligatures slugify drops (it keeps what NFKD decomposes to ASCII): « mise en œuvre ».
LIGATURES = str.maketrans({"œ": "oe", "Œ": "Oe", "æ": "ae", "Æ": "Ae"})


def file_stem(text: str) -> str:
    """`text` as a file or folder name in an archive: lower case, ASCII, words joined by dashes
    ("" when nothing is left)."""
    return slugify(str(text).translate(LIGATURES))
