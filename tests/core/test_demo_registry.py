"""The demo registry runs each app's part in order and refuses an order that would seed a
part before the data it needs."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from tisser.core import demo


def test_every_app_with_demo_data_is_registered_in_the_order_of_its_needs():
    names = [entry.name for entry in demo.seeders()]

    assert names[0] == "people"
    for before, after in (
        ("bilan_exploration", "network"),  # the enquêtes are about the shortlisted fiches
        ("bilan_followup", "mentoring"),  # Hugo's mentorship follows his bilan
        ("meeting_series", "inventories"),  # the summary line keeps its order
    ):
        assert names.index(before) < names.index(after)
    assert {"people", "meeting_series", "inventories", "network_guides", "peers"} <= set(names)


def test_a_seeder_placed_before_what_it_needs_is_refused(monkeypatch):
    monkeypatch.setattr(demo, "_seeders", {})
    demo.register("second", order=10, after=("first",))(lambda d: None)
    demo.register("first", order=20)(lambda d: None)

    with pytest.raises(ImproperlyConfigured, match="must run after 'first'"):
        demo.seeders()


def test_a_seeder_needing_a_missing_one_is_refused(monkeypatch):
    monkeypatch.setattr(demo, "_seeders", {})
    demo.register("alone", order=10, after=("nowhere",))(lambda d: None)

    with pytest.raises(ImproperlyConfigured, match="needs 'nowhere'"):
        demo.seeders()


def test_seeders_share_one_demo_and_run_in_order(monkeypatch):
    monkeypatch.setattr(demo, "_seeders", {})
    demo.register("late", order=20, after=("early",))(lambda d: d.notes.append("late"))
    demo.register("early", order=10)(lambda d: d.notes.append("early"))

    assert demo.demo_seed().notes == ["early", "late"]
