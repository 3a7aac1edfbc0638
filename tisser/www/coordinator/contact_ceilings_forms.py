from django import forms
from django.utils.translation import gettext as _

from tisser.network.services.ceiling import ceiling_default, ceiling_max, figure


class ContactCeilingForm(forms.Form):
    """The range is the service's (`contact_ceiling_set`): said before anything is typed, and
    set on the field, so that the browser and the page refuse the same values."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        low, high = ceiling_default(), ceiling_max()
        bounds = {"low": figure(low), "high": figure(high)}
        out_of_range = _("Entre %(low)s et %(high)s contacts.") % bounds
        self.fields["ceiling"] = forms.IntegerField(
            label=_("Nombre de contacts au plus"),
            min_value=low,
            max_value=high,
            help_text=_(
                "Entre %(low)s et %(high)s contacts. Remettez %(low)s, la valeur par défaut, "
                "pour annuler l'exception. Un réseau plus grand prend plus de place et rend "
                "ses pages plus lentes."
            )
            % bounds,
            error_messages={
                "required": _("Indiquez un nombre de contacts."),
                "invalid": _("Indiquez un nombre entier, par exemple 3000."),
                "min_value": out_of_range,
                "max_value": out_of_range,
            },
        )
