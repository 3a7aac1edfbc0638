from django import forms
from django.utils.translation import gettext_lazy as _

from tisser.assessments.models import SafetyConcern
from tisser.assessments.services.safety import NOTE_MAX_CHARS
from tisser.core.french import que


class SituationForm(forms.Form):
    """What a person chooses to say about their situation at work. Telling their consultant
    needs the box ticked (unticked by default); without a consultant, the note and the box are
    not offered."""

    situation = forms.ChoiceField(
        label=_("Votre situation de travail comporte…"),
        choices=SafetyConcern.Situation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez ce qui décrit le mieux votre situation.")},
    )
    note = forms.CharField(
        label=_("Un mot pour votre conseiller·ère (facultatif)"),
        help_text=_(
            "Transmis seulement si vous cochez la case ci-dessous ; visible par votre "
            "conseiller·ère seul·e, dans Tisser. Écrivez seulement ce que vous souhaitez dire."
        ),
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": _("Votre message dépasse %(limit_value)d caractères : raccourcissez-le.")
        },
    )
    consent = forms.BooleanField(required=False)

    def __init__(self, *args, consultant=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.consultant = consultant
        if consultant is None:
            del self.fields["note"]
            del self.fields["consent"]
        else:
            self.fields["consent"].label = _(
                "Je souhaite %(que_name)s, qui m'accompagne dans mon bilan, reçoive un message "
                "et puisse lire ce que j'ai choisi de dire ici."
            ) % {"que_name": que(consultant.get_full_name() or consultant.get_short_name())}
            self.fields["consent"].help_text = _(
                "Le message qui lui est envoyé dit seulement que vous souhaitez en parler, "
                "sans rien de ce que vous avez écrit. Vous pourrez retirer cette demande à "
                "tout moment. Personne d'autre n'est prévenu."
            )
