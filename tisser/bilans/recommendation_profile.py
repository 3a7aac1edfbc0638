"""A bilan as the recommendation engine sees it: the :class:`~matchcore.recommend.Profile` that
:mod:`tisser.referentiel.recommendations` ranks the fiches métier against. It lives with the
bilans because it reads them (and the interests inventory); the référentiel below does not."""

from matchcore.recommend import Profile
from tisser.assessments.services import interest_profile_latest
from tisser.bilans.models import Bilan, DismissedFiche, Experience, PortfolioItem

HELD_MIN_LEVEL = 2
"""A portfolio item counts as held from level 2 ("pratique encadrée") up. Level 1 ("notions")
is something the person has heard of or tried, not something an employer could rely on: it
is still shown on the gap page as held at a beginner's level, but does not lift a fiche."""


def beneficiary_profile(bilan: Bilan) -> Profile:
    """The engine's profile of a bilan's beneficiary, in four queries:

    * RIASEC: their latest interests inventory (``interest_profile_latest``), 0–100 scaled to
      [0, 1]; all zeros when they have not completed it (the RIASEC signal then adds nothing).
    * Held items: the portfolio's compétences and savoirs of level ``HELD_MIN_LEVEL`` (2,
      "pratique encadrée") or more.
    * Current and past fiches: the fiches linked to the experiences of the parcours, current
      experiences first, then the most recent; they feed the mobility signal and are not
      proposed themselves.
    * Excluded: the fiches the person asked not to be proposed again.
    """
    scores = interest_profile_latest(user=bilan.beneficiary) or {}
    riasec = {letter: max(0.0, min(1.0, value / 100)) for letter, value in scores.items()}
    held = frozenset(
        PortfolioItem.objects.filter(bilan=bilan, level__gte=HELD_MIN_LEVEL).values_list(
            "code_ogr", flat=True
        )
    )
    rows = Experience.fiches.through.objects.filter(experience__bilan=bilan).values_list(
        "experience__ended_on", "experience__started_on", "experience_id", "metier__code_rome"
    )
    # Current experiences first, then the most recently ended (databases disagree on where
    # NULL sorts, so the order is made here).
    rows = sorted(
        rows,
        key=lambda row: (
            row[0] is not None,
            -(row[0] or row[1]).toordinal(),
            -row[1].toordinal(),
            row[2],
            row[3],
        ),
    )
    current = tuple(dict.fromkeys(row[3] for row in rows))
    excluded = frozenset(
        DismissedFiche.objects.filter(bilan=bilan).values_list("metier__code_rome", flat=True)
    )
    return Profile(riasec=riasec, held_items=held, current_fiches=current, excluded=excluded)
