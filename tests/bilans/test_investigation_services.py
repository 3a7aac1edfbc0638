from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from freezegun import freeze_time

from tests.factories import member
from tests.fixtures.rome_fixture import FIXTURE
from tests.transactions import transaction_depths
from tisser.bilans import services as bilans
from tisser.bilans import suggestions
from tisser.bilans.models import (
    Achievement,
    Bilan,
    CompetenceSuggestion,
    Experience,
    Funding,
    ItemKind,
    Phase,
    PortfolioItem,
)
from tisser.core.enums import Role
from tisser.core.errors import StaleVersion
from tisser.core.models import AuditEvent
from tisser.referentiel.models import Metier

ATELIER = {
    "title": "Des ateliers numériques",
    "situation": "Des seniors isolés ne savaient pas faire leurs démarches.",
    "action": "J'ai animé un atelier d'initiation au numérique et accompagné chaque personne "
    "dans ses démarches en ligne.",
    "result": "Ils font maintenant leurs démarches seuls.",
}


@pytest.fixture
def rome(db):
    suggestions.clear_index_cache()
    call_command("import_rome", str(FIXTURE), verbosity=0)
    yield
    suggestions.clear_index_cache()


@pytest.fixture
def bilan(people):
    return bilans.bilan_open(
        consultant=people["consultant"], beneficiary=people["beneficiary"], funding=Funding.CPF
    )


@pytest.fixture
def beneficiary(people):
    return people["beneficiary"]


def experience(bilan, actor, **overrides):
    values = {
        "kind": Experience.Kind.JOB,
        "title": "Médiatrice numérique",
        "organisation_name": "Médiathèque de Muret",
        "started_on": date(2021, 3, 1),
        "ended_on": None,
        "description": "",
    }
    return bilans.experience_create(actor=actor, bilan=bilan, **{**values, **overrides})


def close(bilan):
    Bilan.objects.filter(pk=bilan.pk).update(status=Phase.CLOSED)
    bilan.refresh_from_db()


# -- permissions ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["consultant", "coordinator", "mentor"])
def test_only_the_beneficiary_writes(bilan, people, role):
    with pytest.raises(PermissionDenied):
        experience(bilan, people[role])
    with pytest.raises(PermissionDenied):
        bilans.aspirations_save(actor=people[role], bilan=bilan, expected_version=0)
    assert not Experience.objects.exists()


def test_a_closed_bilan_is_read_only(bilan, beneficiary):
    saved = experience(bilan, beneficiary)
    close(bilan)

    with pytest.raises(ValidationError, match="Ce bilan est terminé"):
        experience(bilan, beneficiary)
    with pytest.raises(ValidationError, match="Ce bilan est terminé"):
        bilans.experience_delete(actor=beneficiary, experience=saved)
    assert not bilans.can_edit(beneficiary, bilan)


# -- parcours -------------------------------------------------------------------------------


def test_an_experience_is_created_with_its_fiches_and_audited(bilan, beneficiary, rome):
    fiche = Metier.objects.get(code_rome="K1901")

    saved = experience(bilan, beneficiary, fiches=[fiche])

    assert list(saved.fiches.all()) == [fiche]
    assert saved.is_current
    event = AuditEvent.objects.get(action="experience.create")
    assert event.target_id == str(saved.pk) and event.actor == beneficiary
    assert "Médiatrice" not in str(event.data)  # no personal text in the audit log


def test_an_experience_ends_after_it_starts(bilan, beneficiary):
    with pytest.raises(ValidationError) as error:
        experience(bilan, beneficiary, started_on=date(2022, 5, 1), ended_on=date(2021, 1, 1))

    assert "ended_on" in error.value.message_dict
    assert not Experience.objects.exists()


@freeze_time("2026-12-07")
@pytest.mark.parametrize(
    ("started_on", "message"),
    [
        (date(2031, 1, 1), "après aujourd'hui (7 décembre 2026)"),
        (date(202, 1, 1), "202 est trop ancienne"),
    ],
)
def test_an_experience_starts_by_today_and_in_a_plausible_year(
    bilan, beneficiary, started_on, message
):
    with pytest.raises(ValidationError) as error:
        experience(bilan, beneficiary, started_on=started_on, ended_on=None)

    assert message in error.value.message_dict["started_on"][0]
    assert not Experience.objects.exists()
    # Today itself is a start: a new job begun this morning.
    experience(bilan, beneficiary, started_on=date(2026, 12, 7), ended_on=None)


def test_an_experience_needs_a_title_and_a_known_kind(bilan, beneficiary):
    with pytest.raises(ValidationError) as error:
        experience(bilan, beneficiary, title="  ", kind="astronaut")

    assert set(error.value.message_dict) == {"title", "kind"}


def test_an_update_from_an_old_version_overwrites_nothing(bilan, beneficiary):
    saved = experience(bilan, beneficiary)
    stale = Experience.objects.get(pk=saved.pk)
    bilans.experience_update(
        actor=beneficiary,
        experience=saved,
        expected_version=1,
        kind=Experience.Kind.JOB,
        title="Médiatrice numérique confirmée",
        started_on=date(2021, 3, 1),
        ended_on=None,
    )

    with pytest.raises(StaleVersion) as error:
        bilans.experience_update(
            actor=beneficiary,
            experience=stale,
            expected_version=1,
            kind=Experience.Kind.JOB,
            title="Autre chose",
            started_on=date(2021, 3, 1),
            ended_on=None,
        )

    assert error.value.version == 2
    assert error.value.current.title == "Médiatrice numérique confirmée"
    assert Experience.objects.get().title == "Médiatrice numérique confirmée"


def test_fiches_are_linked_and_unlinked_once(bilan, beneficiary, rome):
    saved = experience(bilan, beneficiary)
    fiche = Metier.objects.get(code_rome="K1901")

    bilans.experience_fiche_add(actor=beneficiary, experience=saved, metier=fiche)
    bilans.experience_fiche_add(actor=beneficiary, experience=saved, metier=fiche)
    assert list(saved.fiches.all()) == [fiche]
    bilans.experience_fiche_remove(actor=beneficiary, experience=saved, metier=fiche)

    assert not saved.fiches.exists()
    assert AuditEvent.objects.filter(action__startswith="experience.fiche").count() == 2


# -- réussites and suggestions ------------------------------------------------------------


def test_saving_an_achievement_computes_its_suggestions(bilan, beneficiary, rome):
    achievement = bilans.achievement_create(actor=beneficiary, bilan=bilan, **ATELIER)

    codes = list(achievement.suggestions.values_list("code_ogr", flat=True))
    assert codes[:2] == [96008, 96010]
    assert set(achievement.suggestions.values_list("status", flat=True)) == {"pending"}


def test_suggestions_are_computed_before_the_write_transaction(bilan, beneficiary, rome):
    # The ROME index takes seconds to load cold: under the write lock, every other writer
    # (the task worker included) would wait (ADR 0010).
    from tisser.bilans.services import investigation

    with transaction_depths(investigation, "competences_suggest") as depths:
        achievement = bilans.achievement_create(actor=beneficiary, bilan=bilan, **ATELIER)
        bilans.achievement_update(
            actor=beneficiary, achievement=achievement, expected_version=1, **ATELIER
        )

    assert depths == [0, 0]
    assert achievement.suggestions.filter(code_ogr=96008).exists()


def test_an_achievement_of_another_bilans_experience_is_refused(
    bilan, beneficiary, people, organisation
):
    someone = member(Role.BENEFICIARY, organisation, invited_by=people["consultant"])
    other_bilan = bilans.bilan_open(
        consultant=people["consultant"], beneficiary=someone, funding=Funding.CPF
    )
    theirs = experience(other_bilan, someone)

    with pytest.raises(ValidationError) as error:
        bilans.achievement_create(actor=beneficiary, bilan=bilan, experience=theirs, **ATELIER)

    assert "experience" in error.value.message_dict
    assert not Achievement.objects.exists()


def test_accepting_a_suggestion_puts_it_in_the_portfolio_with_the_achievement(
    bilan, beneficiary, rome
):
    achievement = bilans.achievement_create(actor=beneficiary, bilan=bilan, **ATELIER)
    suggestion = achievement.suggestions.get(code_ogr=96008)

    item = bilans.suggestion_accept(actor=beneficiary, suggestion=suggestion)

    assert (item.kind, item.code_ogr, item.level) == (ItemKind.COMPETENCE, 96008, 2)
    assert item.label == "Animer un atelier d'initiation au numérique"
    assert item.evidence == ATELIER["title"]
    assert list(item.achievements.all()) == [achievement]
    suggestion.refresh_from_db()
    assert suggestion.status == "accepted" and suggestion.decided_at is not None


def test_accepting_a_competence_already_in_the_portfolio_links_the_achievement(
    bilan, beneficiary, rome
):
    item = bilans.portfolio_item_add(
        actor=beneficiary, bilan=bilan, kind=ItemKind.COMPETENCE, code_ogr=96008, level=4
    )
    achievement = bilans.achievement_create(actor=beneficiary, bilan=bilan, **ATELIER)

    accepted = bilans.suggestion_accept(
        actor=beneficiary, suggestion=achievement.suggestions.get(code_ogr=96008)
    )

    assert accepted == item
    assert PortfolioItem.objects.count() == 1
    accepted.refresh_from_db()
    assert accepted.level == 4
    assert list(accepted.achievements.all()) == [achievement]


def test_rejecting_hides_and_a_new_text_keeps_the_decisions(bilan, beneficiary, rome):
    achievement = bilans.achievement_create(actor=beneficiary, bilan=bilan, **ATELIER)
    bilans.suggestion_reject(
        actor=beneficiary, suggestion=achievement.suggestions.get(code_ogr=96010)
    )
    bilans.suggestion_accept(
        actor=beneficiary, suggestion=achievement.suggestions.get(code_ogr=96008)
    )

    bilans.achievement_update(
        actor=beneficiary,
        achievement=achievement,
        expected_version=1,
        **{
            **ATELIER,
            "result": ATELIER["result"] + " J'ai mis en relation des personnes du réseau.",
        },
    )

    statuses = dict(achievement.suggestions.values_list("code_ogr", "status"))
    assert statuses[96010] == "rejected"
    assert statuses[96008] == "accepted"
    assert statuses[96009] == "pending"  # mettre en relation des personnes d'un réseau
    assert CompetenceSuggestion.objects.filter(code_ogr=96010).count() == 1


def test_an_accepted_suggestion_is_not_rejected_afterwards(bilan, beneficiary, rome):
    achievement = bilans.achievement_create(actor=beneficiary, bilan=bilan, **ATELIER)
    suggestion = achievement.suggestions.get(code_ogr=96008)
    bilans.suggestion_accept(actor=beneficiary, suggestion=suggestion)

    with pytest.raises(ValidationError, match="déjà dans votre portefeuille"):
        bilans.suggestion_reject(actor=beneficiary, suggestion=suggestion)


def test_the_consultant_cannot_decide_suggestions(bilan, beneficiary, people, rome):
    achievement = bilans.achievement_create(actor=beneficiary, bilan=bilan, **ATELIER)

    with pytest.raises(PermissionDenied):
        bilans.suggestion_accept(
            actor=people["consultant"], suggestion=achievement.suggestions.first()
        )
    assert not PortfolioItem.objects.exists()


def test_deleting_an_achievement_keeps_the_portfolio_item(bilan, beneficiary, rome):
    achievement = bilans.achievement_create(actor=beneficiary, bilan=bilan, **ATELIER)
    item = bilans.suggestion_accept(actor=beneficiary, suggestion=achievement.suggestions.first())

    bilans.achievement_delete(actor=beneficiary, achievement=achievement)

    assert not Achievement.objects.exists()
    assert list(PortfolioItem.objects.all()) == [item]


# -- portfolio ------------------------------------------------------------------------------


def test_a_portfolio_item_takes_its_label_from_the_referentiel(bilan, beneficiary, rome):
    item = bilans.portfolio_item_add(
        actor=beneficiary,
        bilan=bilan,
        kind=ItemKind.SAVOIR,
        code_ogr=97008,
        level=3,
        preference=PortfolioItem.Preference.WANTED,
        evidence="  Six ans d'accueil en médiathèque  ",
    )

    assert (item.label, item.level, item.evidence) == (
        "Écoute active",
        3,
        "Six ans d'accueil en médiathèque",
    )


@pytest.mark.parametrize(
    ("kind", "code_ogr", "level", "preference", "message"),
    [
        (ItemKind.SAVOIR, 123, 2, "neutral", "n'existe pas dans le référentiel"),
        ("talent", 97008, 2, "neutral", "n'existe pas dans le référentiel"),
        (ItemKind.SAVOIR, 97008, 5, "neutral", "niveau de 1 à 4"),
        (ItemKind.SAVOIR, 97008, 2, "adored", "aimez utiliser"),
    ],
)
def test_bad_portfolio_input_is_refused(
    bilan, beneficiary, rome, kind, code_ogr, level, preference, message
):
    with pytest.raises(ValidationError, match=message):
        bilans.portfolio_item_add(
            actor=beneficiary,
            bilan=bilan,
            kind=kind,
            code_ogr=code_ogr,
            level=level,
            preference=preference,
        )
    assert not PortfolioItem.objects.exists()


def test_an_item_is_in_the_portfolio_once(bilan, beneficiary, rome):
    bilans.portfolio_item_add(actor=beneficiary, bilan=bilan, kind=ItemKind.SAVOIR, code_ogr=97008)

    with pytest.raises(ValidationError, match="déjà dans votre portefeuille"):
        bilans.portfolio_item_add(
            actor=beneficiary, bilan=bilan, kind=ItemKind.SAVOIR, code_ogr=97008
        )


def test_a_portfolio_update_is_version_checked(bilan, beneficiary, rome):
    item = bilans.portfolio_item_add(
        actor=beneficiary, bilan=bilan, kind=ItemKind.SAVOIR, code_ogr=97008
    )
    values = {"level": 3, "preference": "endured", "evidence": "Au guichet", "achievements": []}
    bilans.portfolio_item_update(actor=beneficiary, item=item, expected_version=1, **values)

    with pytest.raises(StaleVersion) as error:
        bilans.portfolio_item_update(
            actor=beneficiary, item=item, expected_version=1, **{**values, "level": 1}
        )

    assert error.value.saved("level", "preference", "evidence") == {
        "level": 3,
        "preference": "endured",
        "evidence": "Au guichet",
    }
    item.refresh_from_db()
    assert (item.level, item.version) == (3, 2)


# -- needs and aspirations ------------------------------------------------------------------


def test_aspirations_are_created_then_version_checked(bilan, beneficiary):
    first = bilans.aspirations_save(
        actor=beneficiary, bilan=bilan, expected_version=0, mobility="Toulouse et alentours"
    )
    bilans.aspirations_save(
        actor=beneficiary, bilan=bilan, expected_version=1, mobility="Occitanie", time="80 %"
    )

    with pytest.raises(StaleVersion) as error:
        bilans.aspirations_save(actor=beneficiary, bilan=bilan, expected_version=1, income="2 000")
    with pytest.raises(StaleVersion):
        bilans.aspirations_save(actor=beneficiary, bilan=bilan, expected_version=0, income="x")

    assert error.value.current.mobility == "Occitanie"
    first.refresh_from_db()
    assert (first.mobility, first.time, first.income, first.version) == ("Occitanie", "80 %", "", 2)
    assert AuditEvent.objects.filter(action="aspirations.save").count() == 2
