"""The one error of the ROME import: bad input or a refused import, said in one French line."""

from __future__ import annotations

from django.utils.translation import gettext as _


class RomeImportError(Exception):
    """Bad ROME input or a refused import; ``str()`` is one French line naming file and line."""

    def __init__(self, message: str, *, filename: str | None = None, line: int | None = None):
        self.message = " ".join(str(message).split())
        self.filename = filename
        self.line = line
        super().__init__(self.render())

    def render(self) -> str:
        if self.filename and self.line:
            return _("%(file)s, ligne %(line)d : %(message)s") % {
                "file": self.filename,
                "line": self.line,
                "message": self.message,
            }
        if self.filename:
            return _("%(file)s : %(message)s") % {"file": self.filename, "message": self.message}
        return self.message
