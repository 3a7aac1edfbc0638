"""Forms of the coordination's group formations: run one for a cohort, move a person, lock a
group, act on the whole formation. Every review form carries the formation's `version` the
page was built from."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tisser.peers.services.formation import DEFAULT_TARGET, TARGET_SIZES

EVERYONE = ""
OUT = "out"
OUT_LABEL = _("Hors des groupes (à placer plus tard)")


def _people(label: str, count: int) -> str:
    return ngettext("%(label)s (%(count)d personne)", "%(label)s (%(count)d personnes)", count) % {
        "label": label,
        "count": count,
    }


class FormationRunForm(forms.Form):
    cohort = forms.ChoiceField(
        label=_("Qui réunir en groupes ?"),
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Entre parenthèses : les personnes qu'une formation placerait aujourd'hui."),
    )
    target_size = forms.TypedChoiceField(
        label=_("Taille visée des groupes"),
        coerce=int,
        choices=[(size, str(size)) for size in TARGET_SIZES],
        initial=DEFAULT_TARGET,
        widget=forms.RadioSelect,
        help_text=_("Les groupes comptent de 3 à 5 personnes ; le moteur vise cette taille."),
    )

    def __init__(self, *args, cohorts: list[tuple[str, int]], everyone: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].choices = [
            (EVERYONE, _people(_("Toutes les personnes qui cherchent un groupe"), everyone)),
            *((name, _people(name, count)) for name, count in cohorts),
        ]
        self.fields["cohort"].initial = EVERYONE
        self.fields["target_size"].choices = [
            (size, ngettext("%(count)d personne", "%(count)d personnes", size) % {"count": size})
            for size in TARGET_SIZES
        ]


class FormationVersionForm(forms.Form):
    """A whole-formation action (re-run, publish, discard)."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class LockForm(FormationVersionForm):
    locked = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")],
        coerce=lambda value: value == "1",
        widget=forms.HiddenInput,
    )


class MoveForm(FormationVersionForm):
    """Move one person. `groups` are (id, name) pairs of the formation's groups they may go
    to; rendered once per person, so each passes its own `auto_id`."""

    user = forms.IntegerField(widget=forms.HiddenInput)
    to_group = forms.ChoiceField(label=_("Déplacer vers"))

    def __init__(self, *args, groups: list[tuple[int, str]], can_leave: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(pk), name) for pk, name in groups]
        if can_leave:
            choices.append((OUT, OUT_LABEL))
        self.fields["to_group"].choices = choices

    def target_id(self) -> int | None:
        value = self.cleaned_data["to_group"]
        return None if value == OUT else int(value)
