"""Errors the services of several apps raise the same way."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

STALE_MESSAGE = _(
    "Quelqu'un a enregistré cet élément pendant que vous le modifiiez (un autre onglet, un "
    "autre appareil ou une autre personne). Rien n'a été enregistré : comparez avec la version "
    "enregistrée, puis enregistrez à nouveau."
)


class StaleVersion(ValidationError):
    """Someone saved the object meanwhile: nothing was written (optimistic locking, see
    `tisser.core.versioning` and ADR 0007). The only conflict error of the project.

    `current` is what is saved now, for the page to show beside what its user typed: the
    model instance re-read from the database (None when it was deleted meanwhile), or, for a
    save that spans several rows, a mapping documented by the service that raises it.
    `version` is the version saved now, which the re-rendered form starts from."""

    def __init__(self, message=None, *, current, version: int | None = None):
        super().__init__(message or STALE_MESSAGE, code="stale")
        self.current = current
        self.version = getattr(current, "version", 0) if version is None else version

    def saved(self, *names: str) -> dict:
        """The values of `names` as saved now ({} when the row was deleted)."""
        if self.current is None:
            return {}
        if isinstance(self.current, dict):
            return {name: self.current[name] for name in names}
        return {name: getattr(self.current, name) for name in names}
