"""The self-inventories of the bilan ("Mes centres d'intérêt", "Mes valeurs"): a beneficiary
takes them and reads their results and history; the consultant who invited them reads them
too, without changing anything. Coordinators see nothing individual.

Every take comes through `InventoryResponse.objects.visible_to`: someone else's is a 404."""

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from tisser.accounts.access import access_invited_beneficiary
from tisser.assessments import riasec, values
from tisser.assessments import services as assessments
from tisser.assessments.models import InventoryResponse
from tisser.core.access import role_required
from tisser.core.enums import Role
from tisser.www.assessments.forms import InterestsForm, InventoryForm
from tisser.www.assessments.profile_chart import profile_chart
from tisser.www.forms import form_errors_apply

Kind = InventoryResponse.Kind


@dataclass(frozen=True)
class Inventory:
    """What differs between the two inventories; the views below are the same for both."""

    kind: Kind
    name: str  # the prefix of the URL names: "interests" → "inventories:interests_take"
    questionnaire: ModuleType
    form_class: type[InventoryForm]
    record: Callable[..., InventoryResponse]
    reading: Callable[[InventoryResponse], dict]
    history_columns: Callable[[], list[str]]
    history_row: Callable[[InventoryResponse], tuple[str, list[int | None]]]


def interests_reading(response: InventoryResponse) -> dict:
    scores = response.scores
    return {
        "reading": riasec.code_reading(scores),
        "types": [
            {"type": interest_type, "score": scores.get(interest_type.letter)}
            for interest_type in riasec.TYPES
        ],
        "chart": profile_chart(
            [(t.letter, t.title, scores[t.letter]) for t in riasec.TYPES if t.letter in scores]
        ),
    }


def values_reading(response: InventoryResponse) -> dict:
    ranking = [
        {"rank": rank, "value": values.value_by_id(value_id), "score": score}
        for rank, (value_id, score) in enumerate(values.ranking(response.scores), start=1)
    ]
    return {
        "ranking": ranking,
        "top": ranking[:3],
        "tensions": values.tensions(response.scores),
        "chart": profile_chart([(r["value"].id, r["value"].title, r["score"]) for r in ranking]),
    }


INTERESTS = Inventory(
    kind=Kind.INTERESTS,
    name="interests",
    questionnaire=riasec,
    form_class=InterestsForm,
    record=assessments.interests_record,
    reading=interests_reading,
    history_columns=lambda: [f"{t.letter} — {t.title}" for t in riasec.TYPES],
    history_row=lambda take: (
        riasec.code(take.scores),
        [take.scores.get(letter) for letter in riasec.LETTERS],
    ),
)

VALUES = Inventory(
    kind=Kind.VALUES,
    name="values",
    questionnaire=values,
    form_class=InventoryForm,
    record=assessments.values_record,
    reading=values_reading,
    history_columns=lambda: [str(value.title) for value in values.VALUES],
    history_row=lambda take: (
        ", ".join(
            str(values.value_by_id(v).title) for v, _score in values.ranking(take.scores)[:3]
        ),
        [take.scores.get(value_id) for value_id in values.VALUE_IDS],
    ),
)


def page_context(request, inventory: Inventory, person, history, response) -> dict:
    """The result page: `response` (one take of `person`, or None before the first) with its
    reading, and the history of every take `request.user` may see, oldest first."""
    context = {
        "inventory": inventory.name,
        "person": person,
        "is_own": person.pk == request.user.pk,
        "response": response,
        "not_a_verdict": inventory.questionnaire.NOT_A_VERDICT,
        "history": [(take, *inventory.history_row(take)) for take in history],
        "history_columns": inventory.history_columns(),
    }
    if response is not None:
        context.update(inventory.reading(response))
    return context


def history_of(user, inventory: Inventory, person) -> list[InventoryResponse]:
    return list(
        InventoryResponse.objects.visible_to(user)
        .filter(user=person, kind=inventory.kind)
        .order_by("created_at", "id")
    )


def latest(history: list[InventoryResponse]) -> InventoryResponse | None:
    return history[-1] if history else None


def render_result(request, inventory: Inventory, person, history, response):
    return render(
        request,
        f"www/assessments/{inventory.name}.html",
        page_context(request, inventory, person, history, response),
    )


def own(request, inventory: Inventory):
    """The person's latest take and their history, or an invitation to take it."""
    history = history_of(request.user, inventory, request.user)
    return render_result(
        request, inventory, request.user, history, history[-1] if history else None
    )


def take(request, inventory: Inventory):
    # An empty POST is still a submission: every item is then flagged as unanswered.
    form = inventory.form_class(
        request.POST if request.method == "POST" else None, questionnaire=inventory.questionnaire
    )
    if request.method == "POST" and form.is_valid():
        try:
            response = inventory.record(user=request.user, answers=form.answers())
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            return redirect(f"inventories:{inventory.name}_result", response_id=response.pk)
    already_taken = InventoryResponse.objects.filter(user=request.user, kind=inventory.kind)
    return render(
        request,
        f"www/assessments/{inventory.name}_take.html",
        {
            "form": form,
            "inventory": inventory.name,
            "not_a_verdict": inventory.questionnaire.NOT_A_VERDICT,
            "item_count": len(inventory.questionnaire.ITEMS),
            "already_taken": already_taken.exists(),
        },
        status=400 if form.is_bound else 200,
    )


def result(request, inventory: Inventory, response_id: int):
    response = get_object_or_404(
        InventoryResponse.objects.visible_to(request.user)
        .filter(kind=inventory.kind)
        .select_related("user", "organisation"),
        pk=response_id,
    )
    assessments.inventory_results_read(
        actor=request.user,
        person=response.user,
        organisation=response.organisation,
        kind=inventory.kind,
        response=response,
    )
    history = history_of(request.user, inventory, response.user)
    return render_result(request, inventory, response.user, history, response)


def for_person(request, inventory: Inventory, user_id: int):
    """A beneficiary's latest take and history, for the consultant who invited them (404 for
    anyone else), read-only."""
    invited = access_invited_beneficiary(request.user, user_id)
    assessments.inventory_results_read(
        actor=request.user,
        person=invited.user,
        organisation=invited.organisation,
        kind=inventory.kind,
    )
    history = history_of(request.user, inventory, invited.user)
    return render_result(
        request, inventory, invited.user, history, history[-1] if history else None
    )


@role_required(Role.BENEFICIARY)
@require_GET
def interests(request):
    return own(request, INTERESTS)


@role_required(Role.BENEFICIARY)
@require_http_methods(["GET", "POST"])
def interests_take(request):
    return take(request, INTERESTS)


@require_GET
def interests_result(request, response_id: int):
    return result(request, INTERESTS, response_id)


@require_GET
def interests_for(request, user_id: int):
    return for_person(request, INTERESTS, user_id)


@role_required(Role.BENEFICIARY)
@require_GET
def values_mine(request):
    return own(request, VALUES)


@role_required(Role.BENEFICIARY)
@require_http_methods(["GET", "POST"])
def values_take(request):
    return take(request, VALUES)


@require_GET
def values_result(request, response_id: int):
    return result(request, VALUES, response_id)


@require_GET
def values_for(request, user_id: int):
    return for_person(request, VALUES, user_id)
