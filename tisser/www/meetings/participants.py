"""Whom a series may invite, and the picker that offers them a few at a time (ADR 0030).

A coordinator may invite anyone of their organisation, a consultant their beneficiaries:
thousands of people. The form offers the people already chosen and at most PICKER_SIZE
others, the first by name or those a search found; a post is still checked against
everyone `participant_choices` allows. Without JavaScript "Chercher" sends the whole form
back (nothing typed is lost); with HTMX the choices follow what is typed."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from tisser.accounts.models import Membership
from tisser.core.enums import Role
from tisser.www.people_search import people_matching, search_text

User = get_user_model()
PICKER_SIZE = 20
# The picker's fields, beside the form's `participants`: the search typed, the search whose
# results are shown (so that Enter in a new search searches instead of planning), and the
# no-JS "Chercher" button.
QUERY_FIELD = "participants_q"
SHOWN_FIELD = "participants_searched"
SEARCH_BUTTON = "participants_search"


def participant_choices(user, membership):
    """Whom a person may invite: a consultant their beneficiaries, a coordinator any member."""
    members = (
        Membership.objects.visible_to(user).active().filter(organisation=membership.organisation)
    )
    if membership.role == Role.CONSULTANT:
        members = members.beneficiaries_of(user)
    return User.objects.filter(pk__in=members.exclude(user=user).values("user_id")).order_by(
        "last_name", "first_name", "id"
    )


def participant_label(user) -> str:
    return user.get_full_name() or user.email


@dataclass(frozen=True)
class ParticipantPicker:
    """What the picker shows: the people chosen so far (`chosen`), then `found`, the first
    PICKER_SIZE others by name, or matching `query`; `more` when others match too."""

    query: str
    chosen: list
    found: list
    more: bool

    @property
    def shown(self) -> list:
        return self.chosen + self.found


def participant_picker(choices, *, query: str, chosen_ids) -> ParticipantPicker:
    """The picker for `choices` (see `participant_choices`), in two queries whatever their
    number: the chosen ones among `chosen_ids` that `choices` allows, and the others."""
    ids = {int(value) for value in chosen_ids if str(value).isdigit()}
    chosen = list(choices.filter(pk__in=ids)) if ids else []
    others = people_matching(choices, query).exclude(pk__in=[user.pk for user in chosen])
    found = list(others[: PICKER_SIZE + 1])
    return ParticipantPicker(
        query=query, chosen=chosen, found=found[:PICKER_SIZE], more=len(found) > PICKER_SIZE
    )


def picker_query(data) -> str:
    return search_text(data.get(QUERY_FIELD))


def picker_searching(request) -> bool:
    """True when a post asks for a search rather than the plan: "Chercher" pressed, or a
    search typed that is not the one whose results the form shows (Enter in the search
    field submits the form)."""
    if request.method != "POST":
        return False
    data = request.POST
    return SEARCH_BUTTON in data or picker_query(data) != search_text(data.get(SHOWN_FIELD))
