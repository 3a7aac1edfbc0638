"""Fiche métier recommendations from the database: the adapter around
:mod:`matchcore.recommend`.

* :func:`fiches_from_database` reads the current référentiel into the engine's
  :class:`~matchcore.recommend.FicheData` in four queries (``values_list``, no N+1).
* :func:`get_recommendation_index` keeps one :class:`~matchcore.recommend.RecommendationIndex`
  per process, keyed by the current :class:`RomeVersion`, rebuilt when an import makes another
  version current. Any process can rebuild it from the database: nothing assumes a single one.
* A bilan becomes the engine's :class:`Profile` in the bilans app
  (:func:`tisser.bilans.recommendation_profile.beneficiary_profile`): the référentiel does not
  import the apps above it.
* :func:`recommendations_explain` and :func:`gap_explain` give the pages what they show, with
  French explanations, in a fixed number of queries.

What counts as an item of a fiche: its savoir-faire compétences and its savoirs, as in
``bench/recommendations.py``. Savoir-être professionnels are left out: they are generic
("faire preuve de rigueur") and would blur the comparison of métiers. OGR codes are unique
across compétences and savoirs in the ROME, so one integer space holds both.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from matchcore.recommend import (
    FicheData,
    Profile,
    Recommendation,
    RecommendationIndex,
    UnknownFiche,
    riasec_fit,
)
from tisser.core.french import sort_key
from tisser.referentiel.models import (
    CoeurMetier,
    Competence,
    CompetenceCategorie,
    Metier,
    MetierCompetence,
    MetierSavoir,
    Mobilite,
    Riasec,
    Savoir,
)
from tisser.referentiel.versioned import PerVersion

MISSING_SHOWN = 3
"""Cœur de métier compétences missing: how many labels a recommendation names."""

HELD_SHOWN = 5
"""Compétences held: how many labels a recommendation names."""

GOOD_FIT = 0.75
PARTIAL_FIT = 0.45

__all__ = [
    "ExplainedRecommendation",
    "GapItem",
    "GapView",
    "ProfileCompleteness",
    "UnknownFiche",
    "clear_recommendation_cache",
    "fiches_from_database",
    "gap_explain",
    "get_recommendation_index",
    "profile_code",
    "profile_completeness",
    "recommendations_explain",
]


# --- The index -------------------------------------------------------------------------------


def fiches_from_database() -> list[FicheData]:
    """Every fiche of the référentiel with a RIASEC majeur, as engine input, in four queries.

    Cœur de métier items are the links marked "principale" (emerging ones are ordinary items
    here). Mobilities keep the référentiel's order (rang, then target code)."""
    items: dict[str, list[int]] = {}
    core: dict[str, set[int]] = {}
    competence_links = MetierCompetence.objects.filter(
        categorie=CompetenceCategorie.SAVOIR_FAIRE
    ).values_list("metier__code_rome", "competence__code_ogr", "coeur_metier")
    savoir_links = MetierSavoir.objects.values_list(
        "metier__code_rome", "savoir__code_ogr", "coeur_metier"
    )
    for links in (competence_links, savoir_links):
        for code_rome, code_ogr, coeur in links.order_by("pk").iterator(chunk_size=5000):
            items.setdefault(code_rome, []).append(code_ogr)
            if coeur == CoeurMetier.PRINCIPALE:
                core.setdefault(code_rome, set()).add(code_ogr)
    mobilities: dict[str, list[str]] = {}
    for code_rome, target in Mobilite.objects.order_by(
        "metier__code_rome", "rang", "cible__code_rome"
    ).values_list("metier__code_rome", "cible__code_rome"):
        mobilities.setdefault(code_rome, []).append(target)
    return [
        FicheData(
            code_rome=code_rome,
            riasec_majeur=majeur,
            riasec_mineur=mineur or None,
            items=tuple(dict.fromkeys(items.get(code_rome, ()))),
            core_items=frozenset(core.get(code_rome, ())),
            mobilities=tuple(mobilities.get(code_rome, ())),
        )
        for code_rome, majeur, mineur in Metier.objects.exclude(riasec_majeur="")
        .order_by("code_rome")
        .values_list("code_rome", "riasec_majeur", "riasec_mineur")
    ]


_index: PerVersion[RecommendationIndex] = PerVersion(
    lambda version: RecommendationIndex.build(fiches_from_database() if version is not None else ())
)


def get_recommendation_index() -> RecommendationIndex:
    """The recommendation index of the current ROME version, built on first use, per process
    and per version (:class:`PerVersion`)."""
    return _index.get()


def clear_recommendation_cache() -> None:
    """Forget the cached index (tests, or after changing rows of the current version)."""
    _index.clear()


# --- The person ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileCompleteness:
    """What the profile is made of, so that the pages say honestly what is missing."""

    has_riasec: bool
    held_count: int
    fiche_count: int


def profile_completeness(profile: Profile) -> ProfileCompleteness:
    return ProfileCompleteness(
        has_riasec=any(value > 0 for value in profile.riasec.values()),
        held_count=len(profile.held_items),
        fiche_count=len(profile.current_fiches),
    )


def profile_code(profile: Profile) -> str:
    """The person's two strongest RIASEC letters ("S-I"), ties in RIASEC order; "" if none."""
    letters = [letter for letter in Riasec.values if profile.riasec.get(letter, 0) > 0]
    ranked = sorted(letters, key=lambda letter: -profile.riasec[letter])
    return "-".join(ranked[:2])


# --- What the pages show ---------------------------------------------------------------------


@dataclass(frozen=True)
class ItemLabel:
    code_ogr: int
    libelle: str
    is_savoir: bool


@dataclass(frozen=True)
class ExplainedRecommendation:
    """One recommended fiche with its explanation in French."""

    code_rome: str
    libelle: str
    score: float
    riasec_code: str  # "S-I", the fiche's majeur-mineur
    riasec_sentence: str  # "" when the person has no RIASEC profile yet
    held: tuple[str, ...]  # labels, cœur de métier first, at most HELD_SHOWN
    held_count: int
    missing_core: tuple[str, ...]  # labels, at most MISSING_SHOWN
    missing_core_count: int
    mobility_sentence: str  # "" without a mobility path

    @property
    def held_more(self) -> int:
        return self.held_count - len(self.held)

    @property
    def missing_core_more(self) -> int:
        return self.missing_core_count - len(self.missing_core)

    @property
    def percent(self) -> int:
        return round(self.score * 100)


@dataclass(frozen=True)
class GapItem:
    code_ogr: int
    libelle: str
    core: bool


@dataclass(frozen=True)
class GapView:
    """What a person would need to acquire for one fiche, and what they already hold."""

    code_rome: str
    libelle: str
    riasec_code: str
    riasec_sentence: str
    competences_missing: tuple[GapItem, ...]  # cœur de métier first, then alphabetically
    savoirs_missing: tuple[GapItem, ...]
    held: tuple[GapItem, ...]

    @property
    def missing_count(self) -> int:
        return len(self.competences_missing) + len(self.savoirs_missing)

    @property
    def core_missing_count(self) -> int:
        return sum(item.core for item in (*self.competences_missing, *self.savoirs_missing))


def _item_labels(codes: Iterable[int]) -> dict[int, ItemLabel]:
    """Labels of compétences and savoirs by OGR code, in two queries."""
    wanted = set(codes)
    if not wanted:
        return {}
    labels = {
        code: ItemLabel(code, libelle, False)
        for code, libelle in Competence.objects.filter(code_ogr__in=wanted).values_list(
            "code_ogr", "libelle"
        )
    }
    labels.update(
        (code, ItemLabel(code, libelle, True))
        for code, libelle in Savoir.objects.filter(code_ogr__in=wanted).values_list(
            "code_ogr", "libelle"
        )
    )
    return labels


def _fiche_rows(codes: Iterable[str]) -> dict[str, tuple[str, str, str]]:
    """(libellé, majeur, mineur) of fiches by code, in one query."""
    return {
        code: (libelle, majeur, mineur)
        for code, libelle, majeur, mineur in Metier.objects.filter(
            code_rome__in=set(codes)
        ).values_list("code_rome", "libelle", "riasec_majeur", "riasec_mineur")
    }


def _riasec_code(majeur: str, mineur: str) -> str:
    return f"{majeur}-{mineur}" if mineur else majeur


def _riasec_sentence(person: str, fiche: str, fit: float) -> str:
    if not person:
        return ""
    values = {"person": person, "fiche": fiche}
    if fit >= GOOD_FIT:
        return _("Votre profil %(person)s rejoint le profil %(fiche)s de ce métier.") % values
    if fit >= PARTIAL_FIT:
        return (
            _("Votre profil %(person)s rejoint en partie le profil %(fiche)s de ce métier.")
            % values
        )
    return _("Le profil %(fiche)s de ce métier s'éloigne de votre profil %(person)s.") % values


def _mobility_sentence(path: Sequence[str] | None, libelles: dict[str, str]) -> str:
    # ROME 4.0 v460 no longer says whether a mobility is "proche" or an "évolution": the
    # sentence only states what the référentiel lists.
    if not path:
        return ""
    if len(path) == 2:
        return _(
            "Depuis « %(origin)s », le ROME indique ce métier comme une mobilité possible."
        ) % {"origin": libelles.get(path[0], path[0])}
    return _(
        "Depuis « %(origin)s », ce métier est accessible en deux étapes, via « %(middle)s »."
    ) % {
        "origin": libelles.get(path[0], path[0]),
        "middle": libelles.get(path[1], path[1]),
    }


def _ordered_labels(codes: Iterable[int], labels: dict[int, ItemLabel]) -> list[str]:
    return [labels[code].libelle for code in codes if code in labels]


def recommendations_explain(
    profile: Profile,
    *,
    limit: int = 20,
    index: RecommendationIndex | None = None,
) -> list[ExplainedRecommendation]:
    """The ``limit`` best fiches for ``profile``, explained, in four queries beyond the
    index (its version check, fiches, compétences, savoirs).

    Held items are listed cœur de métier first as the engine gives them; missing cœur de
    métier items in the engine's order (by code), the first ``MISSING_SHOWN`` named."""
    index = index if index is not None else get_recommendation_index()
    results: tuple[Recommendation, ...] = index.recommend(profile, limit=limit)
    if not results:
        return []
    fiche_codes = {result.code_rome for result in results}
    for result in results:
        fiche_codes.update(result.mobility_path or ())
    fiches = _fiche_rows(fiche_codes)
    labels = _item_labels(
        code
        for result in results
        for code in (*result.held[:HELD_SHOWN], *result.missing_core[:MISSING_SHOWN])
    )
    libelles = {code: row[0] for code, row in fiches.items()}
    person = profile_code(profile)
    explained = []
    for result in results:
        libelle, majeur, mineur = fiches.get(result.code_rome, (result.code_rome, "", ""))
        explained.append(
            ExplainedRecommendation(
                code_rome=result.code_rome,
                libelle=libelle,
                score=result.score,
                riasec_code=_riasec_code(majeur, mineur),
                riasec_sentence=_riasec_sentence(
                    person, _riasec_code(majeur, mineur), result.riasec_fit
                ),
                held=tuple(_ordered_labels(result.held[:HELD_SHOWN], labels)),
                held_count=len(result.held),
                missing_core=tuple(_ordered_labels(result.missing_core[:MISSING_SHOWN], labels)),
                missing_core_count=len(result.missing_core),
                mobility_sentence=_mobility_sentence(result.mobility_path, libelles),
            )
        )
    return explained


def gap_explain(
    profile: Profile, code_rome: str, *, index: RecommendationIndex | None = None
) -> GapView:
    """The gap analysis of one fiche for ``profile``: compétences and savoirs to acquire,
    cœur de métier first then alphabetically, and those held. Raises
    :class:`UnknownFiche` when the fiche is not in the current référentiel."""
    index = index if index is not None else get_recommendation_index()
    gap = index.gap(profile, code_rome)
    fiches = _fiche_rows([code_rome])
    libelle, majeur, mineur = fiches[code_rome]
    labels = _item_labels((*gap.missing_core, *gap.missing_other, *gap.held))
    core = set(gap.missing_core)
    # Against an empty profile every cœur de métier item of the fiche is "missing".
    core_held = set(index.gap(Profile(riasec={}), code_rome).missing_core)

    def items(codes: Iterable[int], *, savoir: bool, core_codes: set[int]) -> tuple:
        chosen = [
            GapItem(code, labels[code].libelle, code in core_codes)
            for code in codes
            if code in labels and labels[code].is_savoir == savoir
        ]
        return tuple(sorted(chosen, key=lambda item: (not item.core, sort_key(item.libelle))))

    missing = (*gap.missing_core, *gap.missing_other)
    held = tuple(
        sorted(
            (
                GapItem(code, labels[code].libelle, code in core_held)
                for code in gap.held
                if code in labels
            ),
            key=lambda item: (not item.core, sort_key(item.libelle)),
        )
    )
    fiche_code = _riasec_code(majeur, mineur)
    return GapView(
        code_rome=code_rome,
        libelle=libelle,
        riasec_code=fiche_code,
        riasec_sentence=_riasec_sentence(
            profile_code(profile), fiche_code, riasec_fit(profile, majeur, mineur or None)
        )
        if majeur
        else "",
        competences_missing=items(missing, savoir=False, core_codes=core),
        savoirs_missing=items(missing, savoir=True, core_codes=core),
        held=held,
    )
