"""Forms of the matching rounds: run a round for a cohort, decide a proposal, act on the
whole round. Every form carries the round's `version` the page was built from."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tisser.mentoring.models import MentorProfile, RoundProposal
from tisser.mentoring.services.rounds import REASON_MAX

ALL_COHORTS = ""


class RoundRunForm(forms.Form):
    cohort = forms.ChoiceField(
        label=_("Qui apparier ?"),
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Entre parenthèses : les personnes qu'un tour apparierait aujourd'hui."),
    )

    def __init__(self, *args, cohorts: list[tuple[str, int]], everyone: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].choices = [
            (ALL_COHORTS, _people(_("Toutes les personnes qui cherchent un·e mentor"), everyone)),
            *((name, _people(name, count)) for name, count in cohorts),
        ]
        self.fields["cohort"].initial = ALL_COHORTS


def _people(label: str, count: int) -> str:
    return ngettext("%(label)s (%(count)d personne)", "%(label)s (%(count)d personnes)", count) % {
        "label": label,
        "count": count,
    }


class RoundVersionForm(forms.Form):
    """A whole-round action (accept all, publish, discard)."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class ProposalDecisionForm(RoundVersionForm):
    """Accept, reject or override one proposal. The review page posts accept and reject; the
    choice page (`proposal_choose`) posts an override, its mentor among the few it offers
    (`mentor`: a profile id, checked to be an available mentor of `organisation_id`; the
    service checks the places and the incompatibilities)."""

    ACCEPT, REJECT, OVERRIDE = "accept", "reject", "override"
    DECISIONS = {
        ACCEPT: RoundProposal.Decision.ACCEPTED,
        REJECT: RoundProposal.Decision.REJECTED,
        OVERRIDE: RoundProposal.Decision.OVERRIDDEN,
    }
    UNAVAILABLE = _(
        "Ce profil n'est plus disponible (en pause ou pas validé) : choisissez-en un autre."
    )

    decision = forms.ChoiceField(
        choices=[(ACCEPT, ACCEPT), (REJECT, REJECT), (OVERRIDE, OVERRIDE)],
        widget=forms.HiddenInput,
    )
    mentor = forms.IntegerField(
        label=_("Autre mentor"),
        required=False,
        min_value=1,
        help_text=_("Mentors disponibles, avec leurs places libres après les choix de ce tour."),
        error_messages={"invalid": UNAVAILABLE, "min_value": UNAVAILABLE},
    )
    reason = forms.CharField(
        label=_("Motif de la modification"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Obligatoire : il reste dans l'historique du tour."),
    )

    def __init__(self, *args, organisation_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation_id = organisation_id

    def clean_mentor(self):
        mentor_id = self.cleaned_data.get("mentor")
        if mentor_id is None:
            return None
        profile = (
            MentorProfile.objects.available()
            .filter(organisation_id=self.organisation_id, pk=mentor_id)
            .select_related("user")
            .first()
        )
        if profile is None:
            raise forms.ValidationError(self.UNAVAILABLE, code="invalid_choice")
        return profile

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.OVERRIDE:
            if data.get("mentor") is None and "mentor" not in self.errors:
                self.add_error("mentor", _("Choisissez un·e mentor."))
            if not " ".join((data.get("reason") or "").split()) and "reason" not in self.errors:
                self.add_error("reason", _("Indiquez le motif de la modification."))
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "decision": self.DECISIONS[data["decision"]],
            "expected_version": data["version"],
            "mentor": data.get("mentor"),
            "reason": data.get("reason") or "",
        }
