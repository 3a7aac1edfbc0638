"""The one list of bilans of the web layer (ADR 0021): the consultant's caseload and the
coordinator's list of the organisme's bilans use the same form (search by name, open or
ended, phase, funding, sort; the coordinator adds the consultant), the same query
(`tisser.bilans.caseload.bilan_list`) and the same table (`www/bilans/_bilan_list.html`)."""

from dataclasses import dataclass, field

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tisser.bilans.caseload import CaseloadRow, Criteria, Sort, Status, bilan_list, caseload_rows
from tisser.bilans.models import Bilan, Funding, Phase
from tisser.outcomes.direction import Direction, caseload_directions

PER_PAGE = 25


class BilanListForm(forms.Form):
    q = forms.CharField(label=_("Nom ou adresse e-mail"), required=False, max_length=100)
    statut = forms.ChoiceField(
        label=_("Bilans"),
        required=False,
        choices=[("", _("En cours et terminés")), *Status.choices],
    )
    phase = forms.ChoiceField(
        label=_("Phase"),
        required=False,
        choices=[("", _("Toutes les phases"))]
        + [(phase.value, phase.label) for phase in Phase if phase != Phase.CLOSED],
    )
    financement = forms.ChoiceField(
        label=_("Financement"),
        required=False,
        choices=[("", _("Tous les financements")), *Funding.choices],
    )
    tri = forms.ChoiceField(label=_("Trier par"), required=False, choices=Sort.choices)

    def criteria(self) -> Criteria:
        """The criteria chosen; a value that is not one of the choices counts as none."""
        self.is_valid()  # the valid fields are kept, a wrong one is left out
        data = getattr(self, "cleaned_data", {})
        consultant = data.get("consultant")
        return Criteria(
            search=data.get("q", ""),
            status=data.get("statut", ""),
            phase=data.get("phase", ""),
            funding=data.get("financement", ""),
            consultant_id=consultant.pk if consultant else None,
            sort=data.get("tri") or Sort.FOLLOW,
        )

    @property
    def narrowed(self) -> bool:
        criteria = self.criteria()
        return bool(
            criteria.search.strip()
            or criteria.status
            or criteria.phase
            or criteria.funding
            or criteria.consultant_id
        )


class OrganisationBilanListForm(BilanListForm):
    """The coordinator's: the same, and the consultant who runs the bilan."""

    consultant = forms.ModelChoiceField(
        label=_("Consultant·e"), required=False, queryset=None, empty_label=_("Tous")
    )

    def __init__(self, *args, consultants: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultant"].queryset = consultants
        self.fields["consultant"].label_from_instance = lambda user: (
            user.get_full_name() or user.email
        )
        # The consultant comes right after the name.
        self.order_fields(["q", "consultant"])


@dataclass(frozen=True)
class BilanListPage:
    form: BilanListForm
    page: Page
    rows: list[CaseloadRow]
    # The "Bilans" filter chosen ("", Status.OPEN or Status.ENDED): the table's caption
    # follows it.
    status: str = ""
    # Bilan id → which way it goes (isolation, network): the consultant's own list only.
    directions: dict[int, Direction] = field(default_factory=dict)

    @property
    def entries(self) -> list[tuple[CaseloadRow, Direction | None]]:
        """Each row with its direction (None in the coordinator's list)."""
        return [(row, self.directions.get(row.bilan.pk)) for row in self.rows]


def bilan_list_page(
    request, bilans: QuerySet[Bilan], form: BilanListForm, *, personal: bool = True
) -> BilanListPage:
    """The page of `bilans` (what the person may see) that `request` asks for: narrowed
    and sorted by `form`, cut in pages of PER_PAGE, rows built for that page only.
    `personal`: what only the bilan's consultant sees (see `bilan_list`), with which way each
    bilan goes (`tisser.outcomes.direction`, three more queries for the page)."""
    criteria = form.criteria()
    listed = bilan_list(bilans, criteria, personal=personal)
    page = Paginator(listed, PER_PAGE).get_page(request.GET.get("page"))
    rows = caseload_rows(page.object_list)
    return BilanListPage(
        form=form,
        page=page,
        rows=rows,
        status=criteria.status,
        directions=(
            caseload_directions([row.bilan for row in rows], consultant=request.user)
            if personal
            else {}
        ),
    )
