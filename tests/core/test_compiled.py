"""`CompiledRead`: the ORM's SQL, compiled once, run with other values (ADR 0030)."""

import pytest

from tisser.accounts.models import Membership
from tisser.core.compiled import CompiledRead


def _roles_of(user_id):
    return Membership.objects.filter(user_id=user_id).order_by("role").values("role")


def test_it_reads_what_the_queryset_reads_for_each_value(people, django_assert_num_queries):
    read = CompiledRead(_roles_of, "user_id")

    for person in people.values():
        expected = list(_roles_of(person.pk))
        with django_assert_num_queries(1):
            assert read.rows(user_id=person.pk) == expected


def test_it_compiles_once_per_database(people, monkeypatch):
    built = []
    read = CompiledRead(lambda user_id: built.append(user_id) or _roles_of(user_id), "user_id")

    read.rows(user_id=people["beneficiary"].pk)
    read.rows(user_id=people["consultant"].pk)

    assert len(built) == 1


def test_a_parameter_that_does_not_reach_the_query_is_refused(db):
    read = CompiledRead(lambda user_id: Membership.objects.values("role"), "user_id")

    with pytest.raises(ValueError, match="user_id"):
        read.rows(user_id=1)
