"""Short forms people type when looking for a job, and what they stand for.

The rule: the référentiel is searched as published, and it is the *query* that is expanded.
A query containing a known short form ("dev web", "DRH", "prof des écoles", "kiné") is also
searched with the short form replaced by its full wording ("developpeur web", "directeur des
ressources humaines", ...). The original query is always searched too, since some short
forms also occur in labels ("(RH)", "(IDE)").

Entries are written in plain French and normalised when the module loads (so "kiné" also
covers "kine"). Expansions use the masculine form: the index holds both genders of every
label, so the gender of the expansion does not matter, and a feminine form alone
("coiffeuse") needs no entry. Keep expansions to words that occur in ROME labels
(``tests/referentiel/test_search.py`` checks it against the full data). Acronyms that ROME
labels end with ("(IDE)", "-DSI-", "(DRH)") are indexed from the data itself; this table
only holds those the data lacks.
"""

from __future__ import annotations

from dataclasses import dataclass

from tisser.referentiel.search.normalize import content_tokens, tokenize

EXPANSION_CONFIDENCE = 0.95
"""Scores found through an expansion are discounted a little, so that a label matching the
words actually typed ranks first when both match equally well."""

MAX_VARIANTS = 6

SHORT_FORMS: dict[str, tuple[str, ...]] = {
    # Informatique, numérique
    "dev": ("développeur",),
    "front": ("front end",),
    "frontend": ("front end",),
    "backend": ("back end",),
    "fullstack": ("full stack",),
    "sysadmin": ("administrateur systèmes",),
    "admin sys": ("administrateur systèmes",),
    "adminsys": ("administrateur systèmes",),
    "admin réseau": ("administrateur réseaux",),
    "info": ("informatique",),
    "it": ("informatique",),
    "ux": ("UX designer",),
    "ui": ("UI designer",),
    "ux ui": ("UX designer",),
    "ui ux": ("UX designer",),
    "webdesigner": ("web designer",),
    "cm": ("community manager",),
    "po": ("product owner",),
    "ia": ("intelligence artificielle",),
    "ml": ("machine learning",),
    "bi": ("business intelligence",),
    "cdp": ("chef de projet",),
    "technicien informatique": ("technicien support informatique",),
    "hotliner": ("technicien hotline",),
    # Ressources humaines, gestion, direction
    "rh": ("ressources humaines",),
    "grh": ("gestionnaire ressources humaines",),
    "dg": ("directeur général",),
    "compta": ("comptable", "comptabilité"),
    "paie": ("gestionnaire de paie",),
    "recruteur": ("chargé de recrutement",),
    "recruteuse": ("chargé de recrutement",),
    "cac": ("commissaire aux comptes",),
    "adv": ("administration des ventes",),
    "sav": ("service après-vente",),
    "com": ("communication",),
    "qhse": ("qualité hygiène sécurité environnement",),
    "hse": ("hygiène sécurité environnement",),
    "immo": ("immobilier",),
    # Enseignement, éducation, social
    "prof": ("professeur",),
    "maths": ("mathématiques",),
    "instit": ("professeur des écoles",),
    "instituteur": ("professeur des écoles",),
    "institutrice": ("professeur des écoles",),
    "maîtresse d'école": ("professeur des écoles",),
    "maître d'école": ("professeur des écoles",),
    "pe": ("professeur des écoles",),
    "prof de sport": ("professeur d'éducation physique et sportive", "éducateur sportif"),
    "eps": ("éducation physique et sportive",),
    "aed": ("assistant d'éducation",),
    "pion": ("surveillant en milieu scolaire",),
    "collège": ("scolaire",),
    "lycée": ("scolaire",),
    "éduc": ("éducateur",),
    "éduc spé": ("éducateur spécialisé",),
    "es": ("éducateur spécialisé",),
    "eje": ("éducateur de jeunes enfants",),
    "as": ("aide-soignant", "assistant de service social"),
    "amp": ("aide médico-psychologique",),
    "avf": ("auxiliaire de vie sociale",),
    "assmat": ("assistant maternel",),
    "ass mat": ("assistant maternel",),
    "nounou": ("assistant maternel", "garde d'enfants"),
    "baby sitter": ("garde d'enfants",),
    "babysitter": ("garde d'enfants",),
    "psy": ("psychologue",),
    # Santé
    "kiné": ("kinésithérapeute",),
    "kinési": ("kinésithérapeute",),
    "ostéo": ("ostéopathe",),
    "ergo": ("ergothérapeute",),
    "psychomot": ("psychomotricien",),
    "ortho": ("orthophoniste", "orthoptiste"),
    "podo": ("pédicure-podologue",),
    "manip radio": ("manipulateur en électroradiologie médicale",),
    "idel": ("infirmier libéral",),
    "aux puer": ("auxiliaire de puériculture",),
    "véto": ("vétérinaire",),
    "médecin traitant": ("médecin généraliste",),
    "généraliste": ("médecin généraliste",),
    "docteur": ("médecin",),
    "toubib": ("médecin",),
    "prepa pharma": ("préparateur en pharmacie",),
    "pharma": ("pharmacie",),
    "labo": ("laboratoire",),
    "ambulance": ("ambulancier",),
    # Transport, logistique
    "chauffeur": ("conducteur",),
    "chauffeuse": ("conducteur",),
    "routier": ("conducteur routier",),
    "pl": ("poids lourd",),
    "spl": ("super poids lourd",),
    "taxi": ("conducteur de taxi",),
    "manut": ("manutentionnaire",),
    "prépa de commandes": ("préparateur de commandes",),
    # Bâtiment, industrie, maintenance
    "élec": ("électricien",),
    "mécano": ("mécanicien automobile",),
    "clim": ("climatisation",),
    "btp": ("bâtiment travaux publics",),
    "tech": ("technicien",),
    "technico": ("technico-commercial",),
    "ingé": ("ingénieur",),
    "ing": ("ingénieur",),
    "archi": ("architecte",),
    # Commerce, hôtellerie, services
    "cuisto": ("cuisinier",),
    "mcdo": ("restauration rapide",),
    "macdo": ("restauration rapide",),
    "fast food": ("restauration rapide",),
    "commis": ("commis de cuisine",),
    "plongeur": ("plongeur en restauration",),
    "femme de ménage": ("aide ménager", "agent de propreté"),
    "ménage": ("agent de propreté", "aide ménager"),
    "agent de ménage": ("agent de propreté",),
    # Sécurité, défense, fonction publique
    "sécu": ("sécurité",),
    "ssiap": ("agent de sécurité incendie",),
    "vigile": ("agent de sécurité",),
    "pompier": ("sapeur-pompier",),
    "flic": ("gardien de la paix",),
    "policier": ("gardien de la paix",),
    "soldat": ("militaire du rang",),
    "fonctionnaire": ("agent administratif",),
}
"""Short form → full wordings, the first one being the most likely."""


@dataclass(frozen=True, slots=True)
class QueryVariant:
    """A query as it is searched: its content tokens and how much to trust the rewrite."""

    tokens: tuple[str, ...]
    confidence: float


def _normalised_table() -> dict[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    table: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {}
    for short_form, expansions in SHORT_FORMS.items():
        key = tuple(tokenize(short_form))
        table[key] = tuple(tuple(tokenize(expansion)) for expansion in expansions)
    return table


_TABLE = _normalised_table()
_LONGEST_KEY = max(len(key) for key in _TABLE)


def _segments(tokens: list[str]) -> list[tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]]:
    """Cut the query into known short forms (longest first, left to right) and plain words.

    Each segment is (its tokens, its expansions); plain words have no expansion.
    """
    segments = []
    position = 0
    while position < len(tokens):
        for length in range(min(_LONGEST_KEY, len(tokens) - position), 0, -1):
            key = tuple(tokens[position : position + length])
            expansions = _TABLE.get(key)
            if expansions is not None:
                segments.append((key, expansions))
                position += length
                break
        else:
            segments.append(((tokens[position],), ()))
            position += 1
    return segments


def expand_query(tokens: list[str]) -> list[QueryVariant]:
    """The variants under which a normalised query is searched, the query itself first.

    Variants: the query as typed; every short form replaced by its first expansion; then,
    for a short form with several expansions, each other expansion in turn. At most
    ``MAX_VARIANTS``, without duplicates (compared on content tokens).
    """
    original = tuple(content_tokens(tokens))
    variants = [QueryVariant(original, 1.0)]
    segments = _segments(tokens)
    if not any(expansions for _key, expansions in segments):
        return variants

    def rewrite(choice: dict[int, int]) -> tuple[str, ...]:
        words: list[str] = []
        for position, (key, expansions) in enumerate(segments):
            words.extend(expansions[choice.get(position, 0)] if expansions else key)
        return tuple(content_tokens(words))

    candidates = [rewrite({})]
    for position, (_key, expansions) in enumerate(segments):
        candidates.extend(rewrite({position: other}) for other in range(1, len(expansions)))
    seen = {original}
    for candidate in candidates:
        if candidate not in seen and len(variants) < MAX_VARIANTS:
            seen.add(candidate)
            variants.append(QueryVariant(candidate, EXPANSION_CONFIDENCE))
    return variants
