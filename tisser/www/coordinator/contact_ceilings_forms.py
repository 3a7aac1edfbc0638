from django import forms
from django.utils.translation import gettext_lazy as _


class ContactCeilingForm(forms.Form):
    ceiling = forms.IntegerField(
        label=_("Nombre de contacts au plus"),
        help_text=_(
            "Remettez la valeur par défaut pour annuler l'exception. Un réseau plus grand "
            "prend plus de place et rend ses pages plus lentes."
        ),
        min_value=1,
        error_messages={
            "required": _("Indiquez un nombre de contacts."),
            "invalid": _("Indiquez un nombre entier, par exemple 3000."),
        },
    )
