import datetime
import shutil
import subprocess
import sys
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command

from tests.fixtures.rome_fixture import FIXTURE
from tisser.referentiel.importer import RomeImportError, rome_source_download
from tisser.referentiel.models import (
    Appellation,
    CentreInteret,
    CoeurMetier,
    Competence,
    CompetenceNature,
    ContexteTravail,
    Metier,
    MetierCompetence,
    MetierContexte,
    MetierSavoir,
    Mobilite,
    RomeVersion,
    Savoir,
    SecteurActivite,
    SecteurNaf,
    Theme,
    TransitionEcologique,
)

UNREACHABLE_URL = "https://127.0.0.1:9/RefRomeCsv.zip"  # loopback, nothing listens: no network

pytestmark = pytest.mark.django_db


def rome_import(source, *args) -> str:
    out = StringIO()
    call_command("import_rome", str(source), *args, stdout=out)
    return out.getvalue()


def database_snapshot() -> dict[str, list[dict]]:
    """Every row of every référentiel table, ids included."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_app_config("referentiel").get_models(include_auto_created=True)
    }


def csv_path(folder: Path, name: str) -> Path:
    return next(folder.glob(f"unix_{name}_v*_utf8.csv"))


def csv_edit(folder: Path, name: str, edit) -> None:
    """Rewrite one CSV of a fixture copy through ``edit(text) -> text``, keeping its encoding."""
    path = csv_path(folder, name)
    data = path.read_bytes()
    try:
        encoding, text = "utf-8", data.decode("utf-8")
    except UnicodeDecodeError:
        encoding, text = "cp1252", data.decode("cp1252")
    path.write_bytes(edit(text).encode(encoding))


def fixture_copy(tmp_path: Path, version: int = 60) -> Path:
    """A copy of the synthetic fixture, renumbered when ``version`` is not 60."""
    folder = tmp_path / f"rome-v{version}"
    shutil.copytree(FIXTURE, folder)
    if version != 60:
        for path in folder.glob("unix_*_v460_utf8.csv"):
            path.rename(path.with_name(path.name.replace("_v460_", f"_v4{version}_")))
        version_txt = folder / "version.txt"
        version_txt.write_text(
            version_txt.read_text().replace("version : 60", f"version : {version}"),
        )
    return folder


def drop_rows_mentioning(code: str):
    def edit(text: str) -> str:
        return "".join(line for line in text.splitlines(keepends=True) if f'"{code}"' not in line)

    return edit


# --- the synthetic fixture -------------------------------------------------------------------


def test_import_loads_every_entity_and_reports_counts():
    # when
    output = rome_import(FIXTURE)

    # then
    assert Metier.objects.count() == 6
    assert Appellation.objects.count() == 14
    assert Competence.objects.filter(nature=CompetenceNature.MACRO).count() == 7
    assert Competence.objects.filter(nature=CompetenceNature.COMPETENCE).count() == 10
    assert Savoir.objects.count() == 8
    assert ContexteTravail.objects.count() == 5
    assert MetierCompetence.objects.count() == 25
    assert MetierSavoir.objects.count() == 11
    assert MetierContexte.objects.count() == 9
    assert Mobilite.objects.count() == 10
    assert SecteurActivite.objects.count() == 5
    assert Theme.objects.count() == 2
    assert "Fiches métier : 6" in output
    assert "Appellations : 14" in output
    assert "Version 60 importée (premier import)." in output


def test_import_records_the_version():
    # when
    rome_import(FIXTURE)

    # then
    version = RomeVersion.objects.current()
    assert version.number == 60
    assert version.published_on == datetime.date(2025, 9, 18)
    assert version.validated_on == datetime.date(2025, 8, 27)
    assert version.title == "ROME 4.0 version 60 - jeu d'essai synthétique"
    assert version.counts["metiers"] == 6
    assert version.attribution == "Source : France Travail, ROME 4.0 version 60"


def test_current_version_is_none_before_any_import():
    assert RomeVersion.objects.current() is None


def test_import_decodes_the_windows_1252_file():
    # given unix_arborescence_secteur_naf, Windows-1252 despite its name, and no unix_secteur_naf

    # when
    rome_import(FIXTURE)

    # then
    assert SecteurNaf.objects.get(code="1").libelle == "Culture et production végétale"
    assert (
        SecteurNaf.objects.get(code="10").libelle
        == "Industries alimentaires et boulangerie-pâtisserie"
    )
    assert list(
        Metier.objects.get(code_rome="D1902").secteurs_naf.values_list("code", flat=True)
    ) == ["47"]


def test_import_skips_blank_lines_and_keeps_newlines_inside_quoted_fields():
    # when
    rome_import(FIXTURE)

    # then
    assert CentreInteret.objects.count() == 3
    definition = CentreInteret.objects.get(code=1).definition
    assert definition.startswith(
        "Plantes, jardins, cultures : des métiers au rythme des saisons.\n\n"
    )
    assert SecteurActivite.objects.get(code=10).definition == (
        "Des champs à l'assiette.\n\nProduire, transformer, vendre."
    )


def test_import_tolerates_a_missing_optional_file():
    # when
    output = rome_import(FIXTURE)

    # then
    assert "Fichier facultatif absent : unix_secteur_naf_v460_utf8.csv" in output
    assert SecteurNaf.objects.count() == 4
    assert SecteurNaf.objects.filter(code_technique__isnull=True).count() == 4


@pytest.mark.parametrize(
    ("code_rome", "field", "expected"),
    [
        (
            "A1902",
            "definition",
            "Veille sur des ruchers partagés et sur la santé des colonies d'abeilles.",
        ),
        (
            "D1901",
            "definition",
            "Fabrique des pains au levain et des viennoiseries dans un fournil de quartier.\n"
            "Vend sa production en boutique et conseille la clientèle.",
        ),
        (
            "D1901",
            "acces",
            "Un CAP de boulanger est demandé.\n1. Une expérience d'au moins un an est souhaitée.",
        ),
    ],
)
def test_import_cleans_the_texts(code_rome, field, expected):
    # given texts with doubled apostrophes, a tab and phrases out of order

    # when
    rome_import(FIXTURE)

    # then
    assert getattr(Metier.objects.get(code_rome=code_rome), field) == expected


def test_import_repairs_a_stray_c1_control_character():
    # when
    rome_import(FIXTURE)

    # then
    assert Savoir.objects.get(code_ogr=97007).libelle == "Appellations d’origine protégée"


@pytest.mark.parametrize(
    ("code_rome", "expected"),
    [
        (
            "A1901",
            {
                "transition_eco": TransitionEcologique.VERT,
                "emploi_cadre": False,
                "parent": None,
                "riasec_majeur": "R",
                "riasec_mineur": "I",
            },
        ),
        (
            "A1902",
            {
                "transition_eco": TransitionEcologique.STRATEGIQUE,
                "transition_demo": False,
                "parent": "A1901",
                "riasec_mineur": "",
            },
        ),
        ("D1901", {"emploi_reglemente": True, "emploi_cadre": False}),
        ("K1901", {"transition_num": True, "transition_demo": True}),
        (
            "K1902",
            {"emploi_cadre": True, "transition_eco": TransitionEcologique.BRUN, "parent": "K1901"},
        ),
    ],
)
def test_import_reads_the_fiche_tags(code_rome, expected):
    # when
    rome_import(FIXTURE)

    # then
    metier = Metier.objects.select_related("parent").get(code_rome=code_rome)
    actual = {
        field: (metier.parent.code_rome if metier.parent else None)
        if field == "parent"
        else getattr(metier, field)
        for field in expected
    }
    assert actual == expected


def test_import_reads_appellations_competences_and_links():
    # when
    rome_import(FIXTURE)

    # then
    assert Appellation.objects.get(code_ogr=90001).is_principale
    assert not Appellation.objects.get(code_ogr=90002).is_principale
    assert Appellation.objects.get(code_ogr=90003).peu_usite
    assert Metier.objects.get(code_rome="D1901").appellations.count() == 3
    competence = Competence.objects.select_related("macro").get(code_ogr=96001)
    assert competence.macro.code_ogr == 95001
    macro = Competence.objects.get(code_ogr=95002)
    assert (macro.code_macro, macro.riasec_majeur, macro.riasec_mineur) == ("3B902", "R", "C")
    link = MetierCompetence.objects.get(metier__code_rome="D1901", competence__code_ogr=96006)
    assert link.coeur_metier == CoeurMetier.EMERGENTE
    assert list(
        Mobilite.objects.filter(metier__code_rome="K1902").values_list("cible__code_rome", "rang")
    ) == [("D1902", 1), ("K1901", 2)]


# --- idempotency and versions ----------------------------------------------------------------


def test_second_import_of_the_same_version_changes_nothing():
    # given
    rome_import(FIXTURE)
    before = database_snapshot()

    # when
    output = rome_import(FIXTURE)

    # then
    assert "La version 60 est déjà importée à l'identique : aucun changement." in output
    assert database_snapshot() == before


def test_second_import_of_the_same_files_does_not_parse_them(monkeypatch):
    # given: every `make run` imports the ROME again
    rome_import(FIXTURE)

    def parse(source):
        raise AssertionError("the unchanged files were parsed again")

    monkeypatch.setattr("tisser.referentiel.importer.load.rome_parse", parse)

    # when
    output = rome_import(FIXTURE)

    # then
    assert "La version 60 est déjà importée à l'identique : aucun changement." in output


def test_newer_version_replaces_the_older_one_and_reports_changes(tmp_path):
    # given a version 61 that renames a fiche, drops one, adds one, and moves appellations
    rome_import(FIXTURE)
    ids_before = dict(Metier.objects.values_list("code_rome", "id"))
    v61 = fixture_copy(tmp_path, 61)
    for name in (
        "referentiel_code_rome",
        "referentiel_appellation",
        "referentiel_code_rome_riasec",
        "liens_rome_referentiels",
        "coherence_item",
        "rubrique_mobilite",
        "texte",
        "arborescence_centre_interet",
        "arborescence_secteur_activite",
        "arborescence_secteur_naf",
    ):
        csv_edit(v61, name, drop_rows_mentioning("D1902"))
    csv_edit(
        v61,
        "referentiel_code_rome",
        lambda text: (
            text.replace("Fournier / Fournière de quartier", "Fournier / Fournière")
            + '"K1903","807","80007","Réparateur / Réparatrice de vélos solidaires",'
            '"Emploi Vert","N","N","N","N","K1903"\n'
        ),
    )
    csv_edit(
        v61,
        "referentiel_appellation",
        lambda text: (
            drop_rows_mentioning("90008")(text).replace(
                '"Fournier / Fournière de quartier"', '"Fournier / Fournière"'
            )
            + '"90015","Facilitateur / Facilitatrice numérique","Facilitateur(trice) numérique",'
            '"K1901","Emploi Blanc","O","","","","SYNONYME","","K1901","N"\n'
            '"90016","Réparateur / Réparatrice de vélos solidaires","Réparateur(trice) de vélos",'
            '"K1903","Emploi Vert","","","","","PRINCIPALE","","K1903","N"\n'
        ),
    )

    # when
    output = rome_import(v61)

    # then
    assert "Version 61 importée, elle remplace la version 60." in output
    assert "Fiches métier : 1 ajoutée, 1 supprimée, 1 renommée" in output
    assert "+ K1903 Réparateur / Réparatrice de vélos solidaires" in output
    assert "- D1902 Épicier / Épicière de produits fins" in output
    assert "~ D1901 « Fournier / Fournière de quartier » → « Fournier / Fournière »" in output
    assert "Appellations : 2 ajoutées, 3 supprimées, 1 renommée" in output
    assert "+ 90015 Facilitateur / Facilitatrice numérique" in output
    assert "- 90008 Artisan / Artisane du pain" in output
    ids_after = dict(Metier.objects.values_list("code_rome", "id"))
    assert set(ids_after) == {"A1901", "A1902", "D1901", "K1901", "K1902", "K1903"}
    assert all(ids_after[code] == ids_before[code] for code in ids_after.keys() - {"K1903"})
    assert list(RomeVersion.objects.values_list("number", "is_current")) == [
        (61, True),
        (60, False),
    ]
    assert RomeVersion.objects.current().number == 61
    assert not Mobilite.objects.filter(cible__code_rome="D1902").exists()


def test_same_version_with_changed_content_is_reimported(tmp_path):
    # given
    rome_import(FIXTURE)
    changed = fixture_copy(tmp_path)
    csv_edit(
        changed, "referentiel_savoir", lambda text: text.replace("Apiculture", "Apiculture douce")
    )

    # when
    output = rome_import(changed)

    # then
    assert "Version 60 réimportée (contenu modifié)." in output
    assert Savoir.objects.get(code_ogr=97002).libelle == "Apiculture douce"
    assert RomeVersion.objects.filter(is_current=True).count() == 1


def test_older_version_is_refused_without_force(tmp_path):
    # given
    rome_import(fixture_copy(tmp_path, 61))
    before = database_snapshot()

    # when
    with pytest.raises(CommandError) as error:
        rome_import(FIXTURE)

    # then
    assert "La version 60 est plus ancienne que la version courante 61" in str(error.value)
    assert database_snapshot() == before


def test_older_version_is_imported_with_force(tmp_path):
    # given
    rome_import(fixture_copy(tmp_path, 61))

    # when
    output = rome_import(FIXTURE, "--force")

    # then
    assert "Version 60 importée, elle remplace la version 61." in output
    assert RomeVersion.objects.current().number == 60


# --- bad input ---------------------------------------------------------------------------------


def replace_text(name: str, old: str, new: str):
    return lambda folder: csv_edit(folder, name, lambda text: text.replace(old, new))


def replace_bytes(name: str, old: bytes, new: bytes):
    def damage(folder: Path) -> None:
        path = csv_path(folder, name)
        path.write_bytes(path.read_bytes().replace(old, new))

    return damage


def delete(name: str):
    return lambda folder: csv_path(folder, name).unlink()


def cut_inside_a_quoted_field(name: str, line: int):
    def cut(text: str) -> str:
        lines = text.splitlines(keepends=True)
        return "".join(lines[: line - 1]) + lines[line - 1][:12]

    return lambda folder: csv_edit(folder, name, cut)


def keep_header_only(name: str):
    return lambda folder: csv_edit(folder, name, lambda text: text.splitlines(keepends=True)[0])


BAD_INPUTS = [
    # (case, damage done to a copy of version 61, fragments of the one-line error)
    (
        "missing_required_file",
        delete("referentiel_savoir"),
        ["Fichier obligatoire manquant : unix_referentiel_savoir_v461_utf8.csv"],
    ),
    (
        "missing_column",
        replace_text("texte", '"position_phrase"', '"position"'),
        ["unix_texte_v461_utf8.csv, ligne 1 :", "colonne manquante : position_phrase"],
    ),
    (
        "truncated_quoted_field",
        cut_inside_a_quoted_field("referentiel_appellation", line=5),
        ["unix_referentiel_appellation_v461_utf8.csv, ligne 5 :", "guillemet jamais refermé"],
    ),
    (
        "stray_quote",
        replace_text("referentiel_competence", '"Animer un collectif"', '"Animer "un" collectif"'),
        ["unix_referentiel_competence_v461_utf8.csv, ligne 5 :", "guillemet mal placé"],
    ),
    (
        "wrong_field_count",
        replace_text("rubrique_mobilite", '"D1901","A1901","2"', '"D1901","A1901"'),
        ["unix_rubrique_mobilite_v461_utf8.csv, ligne 5 :", "2 champs au lieu de 3"],
    ),
    (
        "garbled_utf8",
        replace_bytes("referentiel_savoir", b"Apiculture", b"Api\xff\xfeculture"),
        ["unix_referentiel_savoir_v461_utf8.csv, ligne 3 :", "octets invalides"],
    ),
    (
        "garbled_cp1252",
        replace_bytes("arborescence_secteur_naf", b"Commerce", b"Com\x81merce"),
        ["unix_arborescence_secteur_naf_v461_utf8.csv, ligne 5 :", "octets illisibles"],
    ),
    (
        "nul_byte",
        replace_bytes("referentiel_contexte_travail", b"week-end", b"week\x00end"),
        ["unix_referentiel_contexte_travail_v461_utf8.csv, ligne 3 :", "U+0000"],
    ),
    (
        "unknown_fiche",
        replace_text("referentiel_appellation", 'd\'abeilles","A1902"', 'd\'abeilles","Z9999"'),
        ["unix_referentiel_appellation_v461_utf8.csv, ligne 6 : référence inconnue : fiche Z9999"],
    ),
    (
        "unknown_flag",
        replace_text("referentiel_code_rome", '"O","N","D1901"', '"peut-être","N","D1901"'),
        [
            "unix_referentiel_code_rome_v461_utf8.csv, ligne 4 :",
            "« peut-être »",
            "emploi_reglemente",
        ],
    ),
    (
        "empty_required_file",
        keep_header_only("coherence_item"),
        ["unix_coherence_item_v461_utf8.csv :", "aucune ligne de données"],
    ),
]


@pytest.mark.parametrize(
    ("damage", "fragments"),
    [pytest.param(damage, fragments, id=case) for case, damage, fragments in BAD_INPUTS],
)
def test_bad_input_fails_in_one_line_and_leaves_the_database_as_it_was(tmp_path, damage, fragments):
    # given a database holding version 60 and a damaged version 61
    rome_import(FIXTURE)
    before = database_snapshot()
    broken = fixture_copy(tmp_path, 61)
    damage(broken)

    # when
    with pytest.raises(CommandError) as error:
        rome_import(broken)

    # then
    message = str(error.value)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message
    assert database_snapshot() == before


def _plain_file(tmp_path: Path) -> Path:
    path = tmp_path / "notes.txt"
    path.write_text("pas un zip")
    return path


@pytest.mark.parametrize(
    ("make_source", "fragment"),
    [
        (lambda tmp_path: tmp_path / "nowhere", "Source ROME introuvable"),
        (lambda tmp_path: tmp_path, "Aucun fichier unix_referentiel_code_rome_v…_utf8.csv"),
        (_plain_file, "ni un dossier ni une archive zip"),
    ],
    ids=["missing_path", "folder_without_rome_files", "plain_file"],
)
def test_wrong_source_is_refused(tmp_path, make_source, fragment):
    # given
    rome_import(FIXTURE)
    before = database_snapshot()

    # when
    with pytest.raises(CommandError) as error:
        rome_import(make_source(tmp_path))

    # then
    assert fragment in str(error.value)
    assert database_snapshot() == before


def test_command_line_error_is_one_line_on_stderr_with_a_non_zero_exit(tmp_path):
    # when
    result = subprocess.run(
        [sys.executable, "manage.py", "import_rome", str(tmp_path / "nowhere")],
        cwd=settings.BASE_DIR,
        env={"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )

    # then
    assert result.returncode != 0
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        f"CommandError: Source ROME introuvable : {tmp_path / 'nowhere'}"
    ]


def test_command_line_help_is_in_french():
    # when
    result = subprocess.run(
        [sys.executable, "manage.py", "import_rome", "--help"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )

    # then
    assert result.returncode == 0, result.stderr
    assert "Importe le référentiel ROME 4.0" in result.stdout
    assert "--force" in result.stdout


# --- zip input ---------------------------------------------------------------------------------


@pytest.mark.parametrize("folder_in_zip", ["", "RefRomeCsv/"], ids=["root", "subfolder"])
def test_import_reads_the_official_zip(tmp_path, folder_in_zip):
    # given
    archive = tmp_path / "RefRomeCsv.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in FIXTURE.iterdir():
            zf.write(path, folder_in_zip + path.name)

    # when
    output = rome_import(archive)

    # then
    assert "Version 60 importée" in output
    assert Metier.objects.count() == 6
    assert SecteurNaf.objects.get(code="1").libelle == "Culture et production végétale"


def test_corrupt_zip_is_refused(tmp_path):
    # given a zip cut in half
    archive = tmp_path / "RefRomeCsv.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in FIXTURE.iterdir():
            zf.write(path, path.name)
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2] + data[-22:])

    # when
    with pytest.raises(CommandError) as error:
        rome_import(archive)

    # then
    assert "\n" not in str(error.value)
    assert Metier.objects.count() == 0


# --- download ----------------------------------------------------------------------------------


def test_download_from_an_unreachable_url_fails_in_one_clear_line(tmp_path):
    # when
    with pytest.raises(RomeImportError) as error:
        rome_source_download(tmp_path, url=UNREACHABLE_URL, timeout=5)

    # then
    assert str(error.value).startswith(
        f"Téléchargement du ROME impossible depuis {UNREACHABLE_URL}"
    )
    assert "\n" not in str(error.value)
    assert list(tmp_path.iterdir()) == []


def test_download_refuses_plain_http(tmp_path):
    with pytest.raises(RomeImportError, match="n'est pas une adresse HTTPS"):
        rome_source_download(tmp_path, url="http://example.invalid/rome.zip")


def test_command_downloads_when_no_local_source_exists(tmp_path, settings):
    # given no local data and an unreachable download URL
    settings.ROME_SOURCE = str(tmp_path / "absent")
    settings.ROME_DOWNLOAD_URL = UNREACHABLE_URL
    out = StringIO()

    # when
    with pytest.raises(CommandError) as error:
        call_command("import_rome", stdout=out)

    # then
    assert f"Téléchargement du ROME depuis {UNREACHABLE_URL}" in out.getvalue()
    assert "Téléchargement du ROME impossible" in str(error.value)
    assert RomeVersion.objects.count() == 0


def test_command_without_argument_uses_settings_rome_source(settings):
    # given
    settings.ROME_SOURCE = str(FIXTURE)

    # when
    call_command("import_rome", stdout=StringIO())

    # then
    assert RomeVersion.objects.current().source == str(FIXTURE)
