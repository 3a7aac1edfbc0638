"""After the bilan: the follow-up interview (the consultant proposes, the beneficiary
answers) and the satisfaction questionnaire the beneficiary answers from "Mon bilan".

Bilans come through `Bilan.objects.visible_to` narrowed to the person's part in it, the
follow-up through `FollowUp.objects.visible_to`: anyone else gets a 404. The consultant's
notes of the follow-up are only ever put in the consultant's page context."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tisser.bilans import satisfaction
from tisser.bilans import services as bilans
from tisser.bilans.access import access_bilan, access_bilan_run, access_own_bilan
from tisser.bilans.models import FollowUp
from tisser.bilans.services.followup import PROPOSABLE_PHASES
from tisser.core.errors import StaleVersion
from tisser.www.bilans.after_bilan import followup_of
from tisser.www.bilans.followup_forms import (
    FollowUpAnswerForm,
    FollowUpNotesForm,
    FollowUpProposeForm,
    SatisfactionForm,
)
from tisser.www.forms import form_conflict_apply, form_errors_apply


def _render_followup(
    request, bilan, followup, *, propose_form=None, notes_form=None, status=200, **extra
):
    is_consultant = bilan.consultant_id == request.user.pk
    context = {"bilan": bilan, "followup": followup, "is_consultant": is_consultant, **extra}
    if is_consultant:
        can_propose = bilan.status in PROPOSABLE_PHASES and (
            followup is None
            or followup.status in (FollowUp.Status.PROPOSED, FollowUp.Status.DECLINED)
        )
        context["propose_form"] = can_propose and (
            propose_form
            or FollowUpProposeForm(
                initial={
                    "version": followup.version if followup else 0,
                    "mode": followup.mode if followup else None,
                    "location": followup.location if followup else "",
                    "duration_minutes": followup.duration_minutes if followup else 60,
                }
            )
        )
        if followup and followup.status in (FollowUp.Status.ACCEPTED, FollowUp.Status.DONE):
            context["notes_form"] = notes_form or FollowUpNotesForm(
                initial={"notes": followup.notes, "version": followup.version}
            )
    elif followup and followup.status == FollowUp.Status.PROPOSED:
        context["answer_form"] = extra.get("answer_form") or FollowUpAnswerForm(
            initial={"version": followup.version}
        )
    return render(request, "www/bilans/followup.html", context, status=status)


@require_http_methods(["GET", "POST"])
def followup(request, bilan_id: int):
    """The follow-up interview of a bilan: the consultant proposes (POST) or reads it, the
    beneficiary reads the proposal and answers it (see `followup_answer`)."""
    bilan = access_bilan(request.user, bilan_id)
    current = followup_of(request.user, bilan)
    if request.method == "GET":
        return _render_followup(request, bilan, current)
    bilan = access_bilan_run(request.user, bilan_id)
    form = FollowUpProposeForm(request.POST)
    if form.is_valid() and form.cleaned_data.get("start"):
        data = form.cleaned_data
        try:
            bilans.followup_propose(
                consultant=request.user,
                bilan=bilan,
                start=data["start"],
                duration_minutes=data["duration_minutes"],
                mode=data["mode"],
                location=data["location"],
                message=data["message"],
                expected_version=data["version"],
            )
        except ValidationError as error:
            form_errors_apply(form, error, renames={"start": "date"})
        else:
            messages.success(request, _("L'entretien de suivi est proposé à la personne."))
            return redirect("bilans:followup", bilan_id=bilan.pk)
    return _render_followup(request, bilan, current, propose_form=form, status=400)


@require_POST
def followup_answer(request, bilan_id: int):
    bilan = access_own_bilan(request.user, bilan_id)
    current = followup_of(request.user, bilan)
    if current is None:
        raise Http404
    form = FollowUpAnswerForm(request.POST)
    if form.is_valid():
        accept = form.cleaned_data["answer"] == "accept"
        try:
            bilans.followup_answer(
                beneficiary=request.user,
                followup=current,
                accept=accept,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            # A changed or already answered proposal: the page shows its current state.
            for text in error.messages:
                messages.error(request, text)
            return redirect("bilans:followup", bilan_id=bilan.pk)
        else:
            messages.success(
                request,
                _("C'est noté : l'entretien de suivi est ajouté à vos rencontres.")
                if accept
                else _("C'est noté : vous avez décliné l'entretien de suivi."),
            )
            return redirect("bilans:followup", bilan_id=bilan.pk)
    current.refresh_from_db()
    return _render_followup(request, bilan, current, answer_form=form, status=400)


@require_POST
def followup_notes(request, bilan_id: int):
    bilan = access_bilan_run(request.user, bilan_id)
    current = followup_of(request.user, bilan)
    if current is None:
        raise Http404
    form = FollowUpNotesForm(request.POST)
    conflict = None
    if form.is_valid():
        try:
            bilans.followup_notes_save(
                consultant=request.user,
                followup=current,
                notes=form.cleaned_data["notes"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersion as error:
            conflict = form_conflict_apply(form, error)
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Les notes de l'entretien de suivi sont enregistrées."))
            return redirect("bilans:followup", bilan_id=bilan.pk)
    current.refresh_from_db()
    return _render_followup(
        request,
        bilan,
        current,
        notes_form=form,
        conflict=conflict,
        status=409 if conflict else 400,
    )


@require_http_methods(["GET", "POST"])
def satisfaction_answer(request, bilan_id: int, moment: str):
    """The beneficiary answers the satisfaction questionnaire of one moment ("fin" or
    "6-mois"), once it is open; nothing they ticked is lost on an error."""
    bilan = access_own_bilan(request.user, bilan_id)
    if moment not in satisfaction.SLUG_MOMENTS:
        raise Http404
    moment = satisfaction.SLUG_MOMENTS[moment]
    step = next(s for s in bilans.satisfaction_steps(bilan) if s.moment == moment)
    form = SatisfactionForm(request.POST or None)
    status = 200
    if request.method == "POST" and step.is_open:
        if form.is_valid():
            try:
                bilans.satisfaction_respond(
                    beneficiary=request.user,
                    bilan=bilan,
                    moment=moment,
                    answers=form.answers(),
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as error:
                form_errors_apply(form, error, renames={"start": "date"})
            else:
                messages.success(request, _("Merci ! Vos réponses sont enregistrées."))
                return redirect("bilans:mine")
        status = 400
    return render(
        request,
        "www/bilans/satisfaction.html",
        {
            "bilan": bilan,
            "step": step,
            "form": form,
            "scale": satisfaction.SCALE,
        },
        status=status,
    )
