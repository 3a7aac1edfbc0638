"""The real ROME 4.0 v460 files (settings.ROME_SOURCE); skipped when they are absent."""

from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from tisser.referentiel.fiche import fiche_load
from tisser.referentiel.importer import (
    ImportStatus,
    rome_import,
    rome_source_read,
    source_decode,
)
from tisser.referentiel.models import (
    Appellation,
    AppellationClassification,
    Metier,
    RomeVersion,
    SecteurNaf,
)

ROME_SOURCE = Path(settings.ROME_SOURCE)

pytestmark = [
    pytest.mark.rome_full,
    pytest.mark.django_db,
    pytest.mark.skipif(
        not ROME_SOURCE.exists(),
        reason=f"données ROME 4.0 absentes ({ROME_SOURCE}) : test d'intégration ignoré",
    ),
]


@pytest.fixture(scope="module")
def full_import(django_db_setup, django_db_blocker):
    """The real data imported once for the module, in a transaction rolled back at the end
    (each test's own transaction nests inside it, as with TestCase.setUpTestData)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield rome_import(ROME_SOURCE)
        transaction.set_rollback(True)


def test_full_import_counts(full_import):
    assert full_import.status == ImportStatus.IMPORTED
    assert full_import.version.number == 60
    assert {
        key: full_import.counts[key]
        for key in ("metiers", "appellations", "competences", "macro_competences", "savoirs")
    } == {
        "metiers": 1584,
        "appellations": 13120,
        "competences": 17810,
        "macro_competences": 507,
        "savoirs": 15354,
    }


def test_full_import_matches_the_database(full_import):
    assert Metier.objects.count() == 1584
    assert (
        Appellation.objects.filter(classification=AppellationClassification.PRINCIPALE).count()
        == 1584
    )
    assert SecteurNaf.objects.count() == full_import.counts["secteurs_naf"] > 0
    assert RomeVersion.objects.current().number == 60


def test_full_import_twice_changes_nothing(full_import):
    assert rome_import(ROME_SOURCE).status == ImportStatus.UNCHANGED


def test_windows_1252_file_of_the_real_data_decodes_to_accented_text():
    # given
    source = rome_source_read(ROME_SOURCE)

    file = source.files["arborescence_secteur_naf"]

    # when
    text = source_decode(file.filename, file.data)

    # then
    assert "Jardinier / Jardinière paysagiste" in text


def test_full_fiche_loads_in_a_fixed_number_of_queries(full_import, django_assert_max_num_queries):
    # when
    with django_assert_max_num_queries(9):
        fiche = fiche_load("F1703")

    # then
    assert fiche.libelle == "Maçon / Maçonne"
    assert fiche.appellations[0].is_principale
    assert fiche.competences[0].libelle == "Savoir-faire"
    assert fiche.competences[0].items[0].coeur_de_metier
    assert "gros œuvre" in " ".join(fiche.acces)  # a U+009C repaired
    assert "''" not in " ".join(fiche.definition + fiche.acces)
    assert fiche.riasec_majeur is not None
    assert fiche.mobilites
