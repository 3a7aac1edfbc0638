"""A form that comes back with errors opens on a summary at its top: each error a link to its
field, the first radio button of a group included (ADR 0028)."""

import re

from django import forms
from django.template.loader import render_to_string
from django.urls import reverse

from tests.factories import member
from tisser.core.enums import Role


class _Form(forms.Form):
    name = forms.CharField(label="Nom")
    colour = forms.ChoiceField(
        label="Couleur", choices=[("r", "Rouge"), ("v", "Vert")], widget=forms.RadioSelect
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        raise forms.ValidationError("Tout le formulaire est à revoir.")


def test_the_summary_links_each_error_to_its_field_and_a_radio_group_to_its_first_choice():
    form = _Form(data={})
    html = render_to_string("components/form_fields.html", {"form": form})

    summary = html.split("</div>")[0]
    assert "data-error-summary" in summary and 'tabindex="-1"' in summary
    assert "Tout le formulaire est à revoir." in summary
    assert 'href="#id_name"' in summary
    assert 'href="#id_colour_0"' in summary
    # The links lead to inputs that exist.
    for target in re.findall(r'href="#([^"]+)"', summary):
        assert f'id="{target}"' in html
    # The hidden field's error is listed, without a link to an input one cannot reach.
    assert summary.count("<li>") == 4


def test_a_valid_form_has_no_summary():
    form = _Form(data={"name": "A", "colour": "r", "version": "1"})
    form.clean = lambda: form.cleaned_data
    html = render_to_string("components/form_errors.html", {"form": form})

    assert "data-error-summary" not in html


def test_a_page_with_errors_opens_on_its_summary(client, db):
    client.force_login(member(Role.CONSULTANT))

    response = client.post(
        reverse("account:profile"),
        {"first_name": "", "last_name": "Durand", "preferred_language": "fr"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "data-error-summary" in html and 'href="#id_first_name"' in html
    assert "js/error-summary.js" in html
    # Nothing typed is lost.
    assert 'value="Durand"' in html
