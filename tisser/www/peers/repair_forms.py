"""The coordination's placement and repair buttons carry what it was shown, so that a
proposal that changed since is refused rather than applied blind."""

from django import forms


class PlaceForm(forms.Form):
    group_id = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class RepairForm(forms.Form):
    expected = forms.CharField(widget=forms.HiddenInput, max_length=2000)
