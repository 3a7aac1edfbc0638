from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from tests.fixtures.rome_fixture import FIXTURE
from tisser.referentiel.fiche import CodeLabel, fiche_load
from tisser.referentiel.models import Appellation, Metier

FICHE_QUERIES = 9


@pytest.fixture
def rome(db):
    call_command("import_rome", str(FIXTURE), stdout=StringIO())


def titles(group) -> list[str]:
    return [item.libelle for item in group.items]


def test_fiche_load_gives_the_texts_tags_and_tree(rome):
    # when
    fiche = fiche_load("D1901")

    # then
    assert (fiche.code_rome, fiche.libelle) == ("D1901", "Fournier / Fournière de quartier")
    assert fiche.definition == (
        "Fabrique des pains au levain et des viennoiseries dans un fournil de quartier.",
        "Vend sa production en boutique et conseille la clientèle.",
    )
    assert fiche.acces == (
        "Un CAP de boulanger est demandé.",
        "1. Une expérience d'au moins un an est souhaitée.",
    )
    assert fiche.domaine == CodeLabel("D19", "Métiers de bouche artisanaux")
    assert fiche.grand_domaine == CodeLabel("D", "Commerce, vente et métiers de bouche")
    assert fiche.tags.emploi_reglemente
    assert not fiche.tags.emploi_cadre
    assert fiche.tags.labels == ("Emploi réglementé",)
    assert fiche.rome_version == 60
    assert fiche.attribution == "Source : France Travail, ROME 4.0 version 60"


def test_fiche_lists_the_principal_appellation_first_then_the_others_alphabetically(rome):
    # when
    fiche = fiche_load("D1901")

    # then
    assert [(a.libelle, a.is_principale) for a in fiche.appellations] == [
        ("Fournier / Fournière de quartier", True),
        ("Artisan / Artisane du pain", False),
        ("Boulanger / Boulangère au feu de bois", False),
    ]


def test_fiche_groups_competences_by_rubrique_with_coeur_de_metier_first(rome):
    # when
    fiche = fiche_load("D1901")

    # then
    savoir_faire, savoir_etre = fiche.competences
    assert savoir_faire.libelle == "Savoir-faire"
    assert titles(savoir_faire) == [
        "Conduire une cuisson au four à bois",
        "Façonner des pâtons à la main",
        "Conseiller un client sur l'accord des produits",
        "Préparer des produits de boulangerie",
    ]
    assert [(i.coeur_de_metier, i.emergente) for i in savoir_faire.items] == [
        (True, False),
        (True, False),
        (False, True),
        (False, False),
    ]
    assert savoir_etre.libelle == "Savoir-être professionnels"
    assert titles(savoir_etre) == ["Organiser son travail"]


def test_fiche_groups_savoirs_by_category_and_contextes_by_type(rome):
    # when
    fiche = fiche_load("K1901")

    # then
    assert [(g.libelle, titles(g)) for g in fiche.savoirs] == [
        ("Certifications et habilitations", ["Certificat de médiation numérique"]),
        ("Domaines d'expertise", ["Écoute active"]),
        ("Produits, outils et matières", ["Outils de visioconférence"]),
    ]
    assert fiche.savoirs[2].items[0].coeur_de_metier
    assert [(g.libelle, titles(g)) for g in fiche.contextes] == [
        ("Publics spécifiques", ["Auprès de personnes âgées"]),
        ("Types de structures", ["Au sein d'une association"]),
    ]


@pytest.mark.parametrize(
    ("code_rome", "majeur", "mineur"),
    [
        ("A1901", CodeLabel("R", "Réaliste"), CodeLabel("I", "Investigateur")),
        ("A1902", CodeLabel("R", "Réaliste"), None),
        ("D1901", CodeLabel("R", "Réaliste"), CodeLabel("C", "Conventionnel")),
        ("D1902", CodeLabel("E", "Entreprenant"), CodeLabel("S", "Social")),
        ("K1901", CodeLabel("S", "Social"), CodeLabel("A", "Artistique")),
    ],
)
def test_fiche_names_its_riasec_profile_in_french(rome, code_rome, majeur, mineur):
    # when
    fiche = fiche_load(code_rome)

    # then
    assert (fiche.riasec_majeur, fiche.riasec_mineur) == (majeur, mineur)


@pytest.mark.parametrize(
    ("code_rome", "labels"),
    [
        ("A1901", ("Emploi vert",)),
        ("A1902", ("Emploi stratégique pour la transition écologique",)),
        ("D1902", ()),
        ("K1901", ("Transition numérique", "Transition démographique")),
        ("K1902", ("Emploi cadre", "Emploi brun", "Transition démographique")),
    ],
)
def test_fiche_tags_name_what_deserves_a_badge(rome, code_rome, labels):
    assert fiche_load(code_rome).tags.labels == labels


def test_fiche_lists_mobilites_in_the_source_order(rome):
    # when
    fiche = fiche_load("K1902")

    # then
    assert fiche.mobilites == (
        CodeLabel("D1902", "Épicier / Épicière de produits fins"),
        CodeLabel("K1901", "Animateur / Animatrice d'ateliers numériques"),
    )


def test_fiche_lists_centres_interet_and_secteurs_principal_first(rome):
    # when
    fiche = fiche_load("D1902")

    # then
    assert [(c.libelle, c.principal) for c in fiche.centres_interet] == [
        ("J'aime le goût des bonnes choses", True),
        ("J'aime transmettre et accompagner", False),
    ]
    assert [(s.libelle, s.sous_secteur, s.principal) for s in fiche.secteurs] == [
        ("Agriculture et alimentation", "Commerce alimentaire", True)
    ]


def test_fiche_load_takes_a_fixed_number_of_queries(rome, django_assert_max_num_queries):
    with django_assert_max_num_queries(FICHE_QUERIES):
        fiche_load("K1901")


def test_fiche_load_of_an_unknown_code_raises_does_not_exist(rome):
    with pytest.raises(Metier.DoesNotExist):
        fiche_load("Z9999")


def test_fiche_without_any_imported_version_has_a_generic_attribution(rome):
    # given
    Metier.objects.update(definition="")
    from tisser.referentiel.models import RomeVersion

    RomeVersion.objects.all().delete()

    # when
    fiche = fiche_load("A1901")

    # then
    assert fiche.rome_version is None
    assert fiche.definition == ()
    assert fiche.attribution == "Source : France Travail, ROME 4.0"


@pytest.mark.parametrize("model", [Metier, Appellation])
def test_the_referentiel_is_visible_to_everyone(rome, model):
    assert model.objects.visible_to(AnonymousUser()).count() == model.objects.count() > 0
