import time

from tisser.referentiel.models import RomeVersion

# How long a process keeps the current ROME version number before reading it again.
ROME_NUMBER_SECONDS = 60
_rome_number: tuple[float, int] | None = None


def rome_attribution(request):
    """The ROME version shown in the footer attribution of every page.

    Kept a minute in the process itself, not in the shared cache: in production that cache is
    a database table, and reading it cost every page a query. An import in this process
    forgets it at once (``rome_number_forget``); other processes see it within the minute."""
    return {"rome_version_number": rome_number_current()}


def rome_number_current() -> int:
    global _rome_number
    now = time.monotonic()
    if _rome_number is None or _rome_number[0] <= now:
        version = RomeVersion.objects.current()
        _rome_number = (now + ROME_NUMBER_SECONDS, version.number if version else 0)
    return _rome_number[1]


def rome_number_forget() -> None:
    global _rome_number
    _rome_number = None
