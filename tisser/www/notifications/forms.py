from django import forms
from django.utils.translation import gettext_lazy as _


class NotificationPreferenceForm(forms.Form):
    email_reminders = forms.BooleanField(
        label=_("Recevoir les rappels par e-mail"),
        required=False,
        help_text=_("Les rappels restent toujours visibles dans vos notifications."),
    )
    daily_digest = forms.BooleanField(
        label=_("Regrouper mes rappels en un e-mail quotidien"),
        required=False,
        help_text=_("Un seul e-mail par jour au lieu d'un e-mail par rappel."),
    )

    def __init__(self, *args, **kwargs):
        # Checkbox labels follow their box: no trailing colon.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        # The digest is an e-mail: asking for it while refusing e-mails is a contradiction
        # that the delivery worker should not have to arbitrate.
        if cleaned.get("daily_digest") and not cleaned.get("email_reminders"):
            self.add_error(
                "daily_digest",
                _(
                    "Le résumé quotidien est envoyé par e-mail : cochez aussi "
                    "« Recevoir les rappels par e-mail »."
                ),
            )
        return cleaned
