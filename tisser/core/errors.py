"""Errors the services of several apps raise the same way."""

from django.core.exceptions import ValidationError


class StaleVersion(ValidationError):
    """Someone saved the object meanwhile: nothing was written. `current` is what is saved
    now, for the page to show beside what its user typed."""

    def __init__(self, message: str, *, current):
        super().__init__(message, code="stale")
        self.current = current
