"""Every table that holds something about a person is in their archive ("Mes données"), or
is left out on purpose with a reason; same for what the person can erase."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from tisser.core import personal_data


def _relations(model):
    for field in model._meta.get_fields():
        if field.is_relation and field.concrete and field.related_model is not None:
            yield field


def personal_models() -> dict[str, str]:
    """Label → why it is about a person: a relation to the user model, or to a row the person
    owns (a row deleted with them: reached from the user by cascading foreign keys)."""
    user = get_user_model()
    every = apps.get_models()
    owned = {user}
    grew = True
    while grew:
        grew = False
        for model in every:
            if model in owned:
                continue
            for field in _relations(model):
                cascades = field.many_to_many or field.remote_field.on_delete is models.CASCADE
                if field.related_model in owned and cascades:
                    owned.add(model)
                    grew = True
                    break
    found = {}
    for model in every:
        for field in _relations(model):
            if field.related_model is user or (model is not user and field.related_model in owned):
                found[model._meta.label] = f"{field.name} → {field.related_model._meta.label}"
                break
    found[user._meta.label] = "the person's account"
    return found


def test_every_model_about_a_person_is_exported_or_left_out_with_a_reason():
    covered = set().union(*(section.covers for section in personal_data.exporters()))
    left_out = personal_data.left_out()

    missing = {
        label: why
        for label, why in personal_models().items()
        if label not in covered and label not in left_out
    }

    assert not missing, (
        "Models about a person neither in the archive nor left out with a reason "
        f"(register them in the app's personal_data module): {missing}"
    )


def test_the_registry_names_only_real_models_once():
    labels = {model._meta.label for model in apps.get_models()}
    covered = [label for section in personal_data.exporters() for label in section.covers]
    left_out = personal_data.left_out()

    assert set(covered) <= labels
    assert set(left_out) <= labels
    assert len(covered) == len(set(covered)), "a model is claimed by two sections"
    assert not set(covered) & set(left_out)
    assert all(reason.strip() for reason in left_out.values())


def test_what_an_eraser_leaves_of_its_app_is_said():
    """An app that lets the person erase their data erases every one of its models about the
    person (there is no whole-account erasure yet: each eraser answers for its app)."""
    personal = personal_models()
    left_out = personal_data.left_out()
    assert personal_data.erasers()
    for erasure in personal_data.erasers():
        app_labels = {label.split(".")[0] for label in erasure.covers}
        mine = {label for label in personal if label.split(".")[0] in app_labels}
        assert mine - erasure.covers - set(left_out) == set(), erasure.key


def test_a_model_left_out_needs_a_reason(monkeypatch):
    monkeypatch.setattr(personal_data, "_left_out", {})

    with pytest.raises(ImproperlyConfigured):
        personal_data.leave_out({"bilans.SessionNote": "  "})


def test_a_section_claimed_twice_is_refused(monkeypatch):
    monkeypatch.setattr(personal_data, "_exporters", {})
    personal_data.register_exporter("one", covers=("bilans.Bilan",))(lambda *, user: {})

    with pytest.raises(ImproperlyConfigured):
        personal_data.register_exporter("one", covers=("bilans.Project",))(lambda *, user: {})
