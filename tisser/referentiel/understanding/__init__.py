"""Reading free French text with the ROME: what a réussite shows, what a person does.

* :class:`Understanding` — the engine of one ROME version (:mod:`.engine`, ADR 0040);
* :func:`get_understanding` — the engine of the current version, cached (:mod:`.service`).
"""

from tisser.referentiel.understanding.engine import (
    COMPETENCE,
    SAVOIR,
    MetierReading,
    RomeText,
    Suggestion,
    Understanding,
)
from tisser.referentiel.understanding.service import (
    clear_understanding_cache,
    get_understanding,
)

__all__ = [
    "COMPETENCE",
    "SAVOIR",
    "MetierReading",
    "RomeText",
    "Suggestion",
    "Understanding",
    "clear_understanding_cache",
    "get_understanding",
]
