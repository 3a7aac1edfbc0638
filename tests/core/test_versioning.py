"""The one optimistic-locking mechanism (ADR 0007): `version_bump`, `version_require` and
the `StaleVersion` error every conflicting save raises."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat
from freezegun import freeze_time

from tests.factories import OrganisationFactory
from tisser.core.errors import STALE_MESSAGE, StaleVersion
from tisser.core.versioning import version_bump, version_require
from tisser.network.models import InterviewGuide

pytestmark = pytest.mark.django_db


@pytest.fixture
def guide():
    return InterviewGuide.objects.create(
        organisation=OrganisationFactory(), title="Premier titre", description=""
    )


def test_a_bump_writes_the_values_and_the_next_version(guide):
    returned = version_bump(guide, expected=1, title="Deuxième titre")

    assert returned is guide
    assert (guide.title, guide.version) == ("Deuxième titre", 2)
    saved = InterviewGuide.objects.get(pk=guide.pk)
    assert (saved.title, saved.version) == ("Deuxième titre", 2)


def test_two_saves_from_the_same_version_one_wins_the_other_is_stale(guide):
    # given two pages opened at version 1
    first = InterviewGuide.objects.get(pk=guide.pk)
    second = InterviewGuide.objects.get(pk=guide.pk)
    version_bump(first, expected=1, title="Onglet A")

    # when the second saves from version 1
    with pytest.raises(StaleVersion) as stale:
        version_bump(second, expected=1, title="Onglet B", message="La vôtre est ancienne.")

    # then nothing of it was written, and it learns what is saved now
    saved = InterviewGuide.objects.get(pk=guide.pk)
    assert (saved.title, saved.version) == ("Onglet A", 2)
    assert stale.value.current.title == "Onglet A"
    assert stale.value.version == 2
    assert stale.value.messages == ["La vôtre est ancienne."]
    assert second.title == "Premier titre"  # the loser's object is left as it was


def test_a_row_deleted_meanwhile_is_stale_with_nothing_current(guide):
    InterviewGuide.objects.filter(pk=guide.pk).delete()

    with pytest.raises(StaleVersion) as stale:
        version_bump(guide, expected=1, title="Trop tard")

    assert stale.value.current is None
    assert stale.value.version == 0
    assert stale.value.saved("title") == {}


def test_expressions_are_written_by_the_database_and_read_back(guide):
    version_bump(guide, expected=1, title=Concat(F("title"), Value(" (revu)")))

    assert guide.title == "Premier titre (revu)"
    assert guide.version == 2


def test_auto_now_fields_are_refreshed_as_save_would(guide):
    later = datetime.datetime(2031, 5, 4, 10, 0, tzinfo=datetime.UTC)
    with freeze_time(later):
        version_bump(guide, expected=1, description="Revu")

    assert InterviewGuide.objects.get(pk=guide.pk).updated_at == later


def test_a_refusal_later_in_the_transaction_undoes_the_bump(guide):
    with pytest.raises(ValidationError), transaction.atomic():
        version_bump(guide, expected=1, title="Jamais enregistré")
        raise ValidationError("refusé après coup")

    saved = InterviewGuide.objects.get(pk=guide.pk)
    assert (saved.title, saved.version) == ("Premier titre", 1)


def test_a_claim_without_values_only_raises_the_version(guide):
    version_bump(guide, expected=1)

    assert InterviewGuide.objects.get(pk=guide.pk).version == 2


def test_stale_version_is_a_validation_error_with_the_stale_code_and_a_default_message(guide):
    error = StaleVersion(current=guide)

    assert isinstance(error, ValidationError)
    assert error.code == "stale"
    assert error.messages == [str(STALE_MESSAGE)]
    assert error.version == 1
    assert error.saved("title", "version") == {"title": "Premier titre", "version": 1}


def test_a_stale_error_over_several_rows_carries_their_mapping():
    error = StaleVersion(current={"career": ("Texte", 3)}, version=0)

    assert error.saved("career") == {"career": ("Texte", 3)}
    assert error.version == 0


def test_require_accepts_the_version_read_and_nothing_for_zero(guide):
    version_require(guide, expected=1)
    version_require(None, expected=0)


@pytest.mark.parametrize(("row", "expected"), [("guide", 2), ("guide", 0), (None, 1)])
def test_require_refuses_any_other_version(request, row, expected):
    instance = request.getfixturevalue(row) if row else None

    with pytest.raises(StaleVersion) as stale:
        version_require(instance, expected=expected, message="Relisez d'abord.")

    assert stale.value.current is instance
    assert stale.value.messages == ["Relisez d'abord."]
