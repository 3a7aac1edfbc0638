"""Forms of a group's life: commitments and their check-ins, help given and received. The
commitments page holds one check-in form per open commitment: prefixes keep ids unique."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tisser.peers.models import Commitment, HelpKind
from tisser.peers.stats import first_name


class CommitmentForm(forms.Form):
    prefix = "commitment"
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(
        label=_("Je m'engage à"),
        max_length=300,
        help_text=_("Une action concrète, à votre portée d'ici la fin de la période."),
    )


class CheckInForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Comment ça s'est passé ?"),
        choices=Commitment.Outcome.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Un commentaire pour le groupe (facultatif)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, commitment: Commitment, **kwargs):
        super().__init__(*args, prefix=f"checkin-{commitment.pk}", **kwargs)
        self.commitment = commitment
        # Several check-ins share the page: each legend names its commitment.
        self.fields["outcome"].label = _("Où en est « %(text)s » ?") % {"text": commitment.text}


DIRECTIONS = [
    ("gave", _("J'ai aidé ce membre")),
    ("received", _("Ce membre m'a aidé·e")),
]


class HelpForm(forms.Form):
    direction = forms.ChoiceField(
        label=_("Dans quel sens ?"), choices=DIRECTIONS, widget=forms.RadioSelect, initial="gave"
    )
    other = forms.TypedChoiceField(label=_("Avec qui ?"), coerce=int)
    kind = forms.ChoiceField(label=_("Type d'aide"), choices=HelpKind.choices)
    description = forms.CharField(
        label=_("En quelques mots (facultatif)"),
        required=False,
        max_length=300,
        help_text=_("Seules les deux personnes concernées le voient."),
    )

    def __init__(self, *args, others, **kwargs):
        super().__init__(*args, **kwargs)
        self.others = {user.pk: user for user in others}
        self.fields["other"].choices = [("", _("Choisir un membre"))] + [
            (user.pk, first_name(user)) for user in others
        ]
