"""The one button of the story (`tisser.outcomes.story.next_action`): its words and where it
leads. The beneficiary clicks it; her consultant reads what her page offers her."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from tisser.assessments.models import IsolationCheck
from tisser.core.dates import french_date
from tisser.outcomes.story import ActionKind, NextAction


@dataclass(frozen=True)
class ActionLink:
    label: str
    url: str


def _when(action: NextAction) -> str:
    assert action.meeting is not None
    return french_date(timezone.localtime(action.meeting.start), "l j F")


def action_link(action: NextAction) -> ActionLink:
    """The button's label, in the person's own words (« mon entretien »), and its URL."""
    meeting_url = (
        reverse("meetings:occurrence", args=[action.meeting.occurrence_id])
        if action.meeting
        else ""
    )
    check_url = reverse("assessments:isolation_start")
    match action.kind:
        case ActionKind.START_CHECK:
            return ActionLink(
                _("Faire mon premier point sur l'isolement"),
                f"{check_url}?{urlencode({'moment': IsolationCheck.Moment.START})}",
            )
        case ActionKind.FOLLOWUP_CHECK:
            return ActionLink(
                _("Faire mon point sur l'isolement : %(moment)s")
                % {"moment": str(IsolationCheck.Moment(action.moment).label).lower()},
                f"{check_url}?{urlencode({'moment': action.moment})}",
            )
        case ActionKind.CONSENT:
            return ActionLink(_("Lire et donner mon consentement au bilan"), reverse("bilans:mine"))
        case ActionKind.ENTRETIEN_SOON:
            return ActionLink(
                _("Préparer mon entretien du %(date)s") % {"date": _when(action)}, meeting_url
            )
        case ActionKind.GROUP_SOON:
            return ActionLink(
                _("Préparer la réunion de mon groupe du %(date)s") % {"date": _when(action)},
                meeting_url,
            )
        case ActionKind.MENTOR_SOON:
            return ActionLink(
                _("Préparer ma rencontre de mentorat du %(date)s") % {"date": _when(action)},
                meeting_url,
            )
        case ActionKind.FIRST_CONTACT:
            return ActionLink(_("Ajouter mon premier contact"), reverse("network:contact_create"))
        case ActionKind.NEXT_ENTRETIEN:
            return ActionLink(
                _("Voir mon prochain entretien, le %(date)s") % {"date": _when(action)},
                meeting_url,
            )
        case ActionKind.BILAN:
            return ActionLink(_("Continuer mon bilan"), reverse("bilans:mine"))
        case ActionKind.NETWORK:
            return ActionLink(_("Faire vivre mon réseau"), reverse("network:home"))
        case _:
            return ActionLink(_("Explorer les métiers"), reverse("metiers:search"))
