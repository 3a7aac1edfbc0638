"""Forms of the promotions page: filter the people, place them in a promotion (those ticked,
or everyone the filter finds), create and rename a promotion."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tisser.peers.services.promotions import NO_PROMOTION, PeopleFilter

ANY = ""
SELECTED, FILTER = "cochees", "filtre"


class PeopleFilterForm(forms.Form):
    """GET parameters in French: they show in the address the coordinator may share."""

    q = forms.CharField(label=_("Nom ou adresse e-mail"), required=False, max_length=100)
    promo = forms.ChoiceField(label=_("Promotion"), required=False)
    demande = forms.BooleanField(
        label=_("Seulement les personnes qui demandent un groupe et n'en ont pas"),
        required=False,
    )
    du = forms.DateField(
        label=_("Bilan terminé à partir du"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    au = forms.DateField(
        label=_("jusqu'au"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, promotions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["promo"].choices = [
            (ANY, _("Toutes")),
            (NO_PROMOTION, _("Sans promotion")),
            *((name, name) for name in promotions),
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("du"), data.get("au")
        if start and end and end < start:
            self.add_error("au", _("La fin de la période doit suivre son début."))
        return data

    def filters(self) -> PeopleFilter:
        data = self.cleaned_data if self.is_valid() else {}
        return PeopleFilter(
            query=" ".join((data.get("q") or "").split()),
            promotion=data.get("promo") or "",
            seeking=bool(data.get("demande")),
            ended_from=data.get("du"),
            ended_to=data.get("au"),
        )


class IdsField(forms.TypedMultipleChoiceField):
    """Ids of preferences rows; the service checks they are the organisation's (the rows
    ticked may have left the current page of the filter since)."""

    def valid_value(self, value) -> bool:
        return str(value).isdigit()


class PlaceForm(forms.Form):
    promotion = forms.TypedChoiceField(label=_("Promotion où les placer"), coerce=int)
    personnes = IdsField(label=_("Personnes à placer"), coerce=int, required=False)
    portee = forms.ChoiceField(label=_("Qui placer ?"), widget=forms.RadioSelect, initial=SELECTED)
    signature = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    proposer = forms.BooleanField(
        label=_(
            "Proposer aussitôt un groupe de la promotion qui a de la place aux personnes qui "
            "demandent un groupe ; les autres sont prévenues qu'un groupe leur sera proposé à "
            "la prochaine formation"
        ),
        required=False,
        initial=True,
    )

    def __init__(self, *args, promotions, total: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["promotion"].choices = [("", _("Choisissez une promotion"))] + [
            (promotion.pk, promotion.name) for promotion in promotions
        ]
        self.fields["portee"].choices = [
            (SELECTED, _("Les personnes cochées ci-dessus")),
            (
                FILTER,
                _("Toutes les personnes que trouve le filtre, sur toutes les pages (%(count)d)")
                % {"count": total},
            ),
        ]

    def clean(self):
        data = super().clean()
        if data.get("portee") == SELECTED and not data.get("personnes"):
            self.add_error(
                "personnes", _("Cochez au moins une personne, ou choisissez tout le filtre.")
            )
        return data


class PromotionNameForm(forms.Form):
    name = forms.CharField(
        label=_("Nom de la promotion"),
        max_length=100,
        help_text=_("Par exemple : « Automne 2026 » ou « Reconversion — janvier 2027 »."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
