from django import forms
from django.utils.translation import gettext_lazy as _

from tisser.mentoring.services.requests import ANSWER_MAX_LENGTH, MESSAGE_MAX_LENGTH


class RequestForm(forms.Form):
    message = forms.CharField(
        label=_("Votre message"),
        help_text=_(
            "Une première version est écrite à partir de ce qui vous rapproche : modifiez-la "
            "librement. Dites en quelques lignes qui vous êtes, votre projet et ce que vous "
            "attendez de cette personne."
        ),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 12}),
        error_messages={
            "required": _("Écrivez votre message avant de l'envoyer."),
            "max_length": _(
                "Votre message fait %(show_value)d caractères : %(limit_value)d au plus."
            ),
        },
    )


class AnswerForm(forms.Form):
    """The mentor's optional message with an acceptance or a refusal."""

    answer = forms.CharField(
        label=_("Votre message (facultatif)"),
        required=False,
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": _(
                "Votre message fait %(show_value)d caractères : %(limit_value)d au plus."
            ),
        },
    )

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, prefix=action, **kwargs)
        if action == "accept":
            self.fields["answer"].help_text = _(
                "Un mot d'accueil, vos disponibilités pour une première rencontre…"
            )
        else:
            self.fields["answer"].help_text = _(
                "Un mot d'explication est apprécié : manque de temps, projet trop éloigné de "
                "votre expérience, une autre personne à qui vous adresser…"
            )
