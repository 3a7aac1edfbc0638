"""The forms of the coordinator's bilans and beneficiaries (ADR 0021)."""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _


def _by_name(user) -> str:
    return user.get_full_name() or user.email


class ConsultantChoiceForm(forms.Form):
    """Whom to entrust a beneficiary or a bilan to: an active consultant of the
    organisation; `version` is the row's version when the page was shown (ADR 0007)."""

    consultant = forms.ModelChoiceField(
        label=_("Consultant·e"),
        queryset=None,
        empty_label=_("Choisissez un·e consultant·e"),
        error_messages={
            "required": _("Choisissez le ou la consultant·e."),
            "invalid_choice": _("Choisissez un·e consultant·e actif·ve de l'organisme."),
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, consultants: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultant"].queryset = consultants
        self.fields["consultant"].label_from_instance = _by_name


class BeneficiarySearchForm(forms.Form):
    q = forms.CharField(label=_("Nom ou adresse e-mail"), required=False, max_length=100)
    consultant = forms.ModelChoiceField(
        label=_("Consultant·e référent·e"), required=False, queryset=None, empty_label=_("Tous")
    )
    sans_consultant = forms.BooleanField(
        label=_("Seulement les personnes sans consultant·e référent·e"), required=False
    )

    def __init__(self, *args, consultants: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultant"].queryset = consultants
        self.fields["consultant"].label_from_instance = _by_name
