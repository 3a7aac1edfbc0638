"""The coordination's placement and repair buttons carry what it was shown, so that a
proposal that changed since is refused rather than applied blind."""

from django import forms


class PlaceForm(forms.Form):
    group_id = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    # The groups the page kept for the people above (`joint_placements`): "12,40".
    taken = forms.RegexField(
        regex=r"^(\d{1,10}(,\d{1,10}){0,99})?$", required=False, widget=forms.HiddenInput
    )

    def clean_taken(self) -> tuple[int, ...]:
        value = self.cleaned_data["taken"]
        return tuple(int(pk) for pk in value.split(",")) if value else ()


class RepairForm(forms.Form):
    expected = forms.CharField(widget=forms.HiddenInput, max_length=2000)
