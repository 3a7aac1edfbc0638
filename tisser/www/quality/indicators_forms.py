"""The forms of the indicator map: the span it looks at, and the organisme's documents."""

from datetime import date

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tisser.quality.evidence import Span, last_twelve_months
from tisser.quality.indicators import applicable
from tisser.quality.models import DocumentKind
from tisser.quality.services.documents import DocumentFields

DATE = {"type": "date"}


class SpanForm(forms.Form):
    """Du … au …: the days the map counts; the last twelve months when left empty."""

    du = forms.DateField(
        label=gettext_lazy("Du"),
        required=False,
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
    )
    au = forms.DateField(
        label=gettext_lazy("Au"),
        required=False,
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
    )

    def __init__(self, data, *, today: date):
        self.default = last_twelve_months(today)
        super().__init__(
            data or None,
            initial={"du": self.default.first_day, "au": self.default.last_day},
        )

    def clean(self):
        cleaned = super().clean()
        first = cleaned.get("du") or self.default.first_day
        last = cleaned.get("au") or self.default.last_day
        if not self.errors and first > last:
            self.add_error(
                "au", _("La fin de la période suit son début : corrigez l'une des dates.")
            )
        return cleaned

    def span(self) -> Span | None:
        """The span asked for, the default one for an empty form, None when a date is wrong
        (the form says which)."""
        if not self.is_bound:
            return self.default
        if not self.is_valid():
            return None
        return Span(
            first_day=self.cleaned_data["du"] or self.default.first_day,
            last_day=self.cleaned_data["au"] or self.default.last_day,
        )


def _indicator_choices() -> list[tuple[str, str]]:
    return [
        (str(indicator.number), f"{indicator.number}. {indicator.title}")
        for indicator in applicable()
    ]


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Type de document"), choices=DocumentKind.choices)
    title = forms.CharField(label=gettext_lazy("Titre"), max_length=200)
    indicators = forms.MultipleChoiceField(
        label=gettext_lazy("Indicateurs que ce document justifie"),
        help_text=gettext_lazy(
            "Laissés vides, ce sont ceux du type de document (par exemple 23 pour la veille "
            "légale)."
        ),
        choices=_indicator_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    document_date = forms.DateField(
        label=gettext_lazy("Date du document"),
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
    )
    owner = forms.ModelChoiceField(
        label=gettext_lazy("Responsable de sa mise à jour"),
        queryset=None,
        empty_label=None,
    )
    review_due_on = forms.DateField(
        label=gettext_lazy("À revoir avant le"),
        help_text=gettext_lazy("Facultatif : la carte des indicateurs rappelle l'échéance."),
        required=False,
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
    )
    file = forms.FileField(
        label=gettext_lazy("Fichier"),
        help_text=gettext_lazy("Un PDF, une image PNG ou JPEG, 5 Mo au plus."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, owners, file_required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["file"].required = file_required
        if not file_required:
            self.fields["file"].label = _("Remplacer le fichier")
            self.fields["file"].help_text = _(
                "Facultatif : un PDF, une image PNG ou JPEG, 5 Mo au plus. Le fichier actuel "
                "est remplacé."
            )

    def document_fields(self) -> DocumentFields:
        from tisser.quality.models.documents import KIND_INDICATORS

        data = self.cleaned_data
        numbers = [int(number) for number in data["indicators"]] or list(
            KIND_INDICATORS.get(data["kind"], ())
        )
        return DocumentFields(
            kind=data["kind"],
            indicators=numbers,
            title=data["title"],
            document_date=data["document_date"],
            owner=data["owner"],
            review_due_on=data.get("review_due_on"),
        )
