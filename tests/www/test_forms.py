"""The one way a page shows a service's refusal (`tisser.www.forms`, ADR 0007): errors next
to their fields, and an optimistic-locking conflict beside the form that keeps what was
typed (`components/conflict.html`)."""

import datetime

import pytest
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.template import Context, Template
from django.template.loader import render_to_string

from tests.factories import OrganisationFactory
from tisser.core.errors import StaleVersion
from tisser.network.models import InterviewGuide
from tisser.www.forms import ConflictRow, conflict_rows, form_conflict_apply, form_errors_apply


class NoteForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label="Titre")
    text = forms.CharField(label="Texte", widget=forms.Textarea, required=False)
    kind = forms.ChoiceField(label="Genre", choices=[("a", "Atelier"), ("b", "Bilan")])
    shared = forms.BooleanField(label="Partagé", required=False)
    due_on = forms.DateField(label="Échéance", required=False)


def bound(**data):
    form = NoteForm({"version": "1", "title": "Mon titre", "kind": "a", **data})
    assert form.is_valid(), form.errors
    return form


# -- service errors onto a form -------------------------------------------------------------


def test_errors_naming_fields_go_next_to_them_and_the_others_to_the_top():
    form = bound()

    form_errors_apply(
        form,
        ValidationError(
            {
                "title": ValidationError("Trop long.", code="long"),
                "start": "Une date à venir.",
                NON_FIELD_ERRORS: "Refusé.",
            }
        ),
    )

    assert form.errors["title"] == ["Trop long."]
    assert form.has_error("title", "long")  # the service's code is kept
    assert form.non_field_errors() == ["Une date à venir.", "Refusé."]


def test_a_plain_message_goes_to_the_top_of_the_form():
    form = bound()

    form_errors_apply(form, ValidationError("Ce bilan est terminé.", code="closed"))

    assert form.non_field_errors() == ["Ce bilan est terminé."]
    assert form.has_error(NON_FIELD_ERRORS, "closed")


def test_a_service_name_can_be_renamed_to_the_forms():
    form = bound()

    form_errors_apply(
        form, ValidationError({"start": "Une date à venir."}), renames={"start": "due_on"}
    )

    assert form.errors["due_on"] == ["Une date à venir."]
    assert not form.non_field_errors()


# -- a conflict onto a form ------------------------------------------------------------------


@pytest.mark.django_db
def test_a_conflict_keeps_what_was_typed_and_takes_the_saved_version():
    saved = InterviewGuide(
        organisation=OrganisationFactory.build(), title="Titre enregistré", version=4
    )
    form = bound(title="Mon titre", text="Ma saisie")

    rows = form_conflict_apply(
        form, StaleVersion("Modifié entre-temps.", current=saved), fields=["title"]
    )

    assert form.data["version"] == 4
    assert form.data["text"] == "Ma saisie"
    assert form.non_field_errors() == ["Modifié entre-temps."]
    assert rows == [ConflictRow(label="Titre", saved="Titre enregistré", typed="Mon titre")]
    assert rows[0].differs


def test_a_prefixed_form_gets_its_own_version_field():
    form = NoteForm({"n-version": "1", "n-title": "Mon titre", "n-kind": "a"}, prefix="n")
    assert form.is_valid()

    form_conflict_apply(form, StaleVersion(current={"title": "Autre"}, version=3))

    assert form.data["n-version"] == 3


def test_rows_show_choices_booleans_and_dates_as_people_read_them():
    form = bound(kind="b", shared="on", due_on="2030-03-01")
    current = {"title": "Mon titre", "kind": "a", "shared": False, "due_on": None, "text": ""}

    rows = conflict_rows(form, current)

    assert [(row.label, row.saved, row.typed) for row in rows] == [
        ("Titre", "Mon titre", "Mon titre"),
        ("Texte", "—", "—"),
        ("Genre", "Atelier", "Bilan"),
        ("Partagé", "Non", "Oui"),
        ("Échéance", "—", "1er mars 2030"),
    ]


def test_only_the_fields_that_differ_when_asked():
    form = bound(title="Mon titre", text="Nouveau")
    error = StaleVersion(current={"title": "Mon titre", "text": "Ancien", "kind": "a"}, version=2)

    rows = form_conflict_apply(form, error, fields=["title", "text", "kind"], changed_only=True)

    assert [row.label for row in rows] == ["Texte"]


def test_a_display_function_formats_the_saved_value():
    form = bound(due_on="2030-03-01")
    current = {"due_on": datetime.date(2030, 2, 1)}

    rows = conflict_rows(
        form, current, fields=["due_on"], display=lambda name, value: value.replace(day=2)
    )

    assert rows[0].saved == "2 février 2030"


# -- the conflict component -----------------------------------------------------------------


def test_the_component_shows_both_versions_and_says_the_typed_text_is_kept():
    rows = [ConflictRow(label="Texte", saved="Version de Léa", typed="Mon texte à moi")]

    html = render_to_string("components/conflict.html", {"conflict": rows})

    assert "La version enregistrée entre-temps" in html
    assert "Enregistré maintenant" in html and "Votre saisie" in html
    assert "Version de Léa" in html and "Mon texte à moi" in html
    assert "conflict-differs" in html
    assert "Votre saisie est conservée dans le formulaire" in html


def test_the_component_shows_nothing_without_a_conflict():
    assert render_to_string("components/conflict.html", {"conflict": []}).strip() == ""


def test_the_page_keeps_the_typed_text_in_the_form_beside_the_saved_one():
    form = bound(text="Mon texte à moi")
    rows = form_conflict_apply(
        form,
        StaleVersion(current={"title": "Mon titre", "text": "Version de Léa"}, version=2),
        fields=["text"],
    )
    page = Template(
        '{% include "components/conflict.html" %}{{ form.version }}{{ form.text }}'
    ).render(Context({"conflict": rows, "form": form}))

    assert "Version de Léa" in page
    assert ">\nMon texte à moi</textarea>" in page
    assert 'name="version" value="2"' in page
