"""The bilan: the consultant opens it, follows its phases and plans its entretiens; the
beneficiary reads where they are and gives their consent.

Every bilan comes through `Bilan.objects.visible_to`, narrowed to the person's part in it
(the consultant who runs it, the beneficiary it belongs to): anyone else gets a 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tisser.accounts.models import Membership, User
from tisser.bilans import consent
from tisser.bilans import services as bilans
from tisser.bilans.access import access_bilan_run, access_own_bilan
from tisser.bilans.journey import next_steps
from tisser.bilans.models import (
    PHASE_ORDER,
    Bilan,
    Phase,
    PreliminaryRecord,
    SynthesisDocument,
)
from tisser.bilans.services import cpf
from tisser.core.access import role_required
from tisser.core.enums import Role
from tisser.meetings.models import Occurrence
from tisser.quality.services.appraisals import consultant_appraisal_of
from tisser.www.bilans.after_bilan import after_bilan_context
from tisser.www.bilans.end_forms import CloseOptionsForm
from tisser.www.bilans.final_views import final_context
from tisser.www.bilans.forms import BilanOpenForm, BilanSessionForm, PhaseAdvanceForm
from tisser.www.bilans.paperwork_views import paperwork_context
from tisser.www.confirmation import confirmation_asked
from tisser.www.forms import form_errors_apply


def transitions_of(bilan: Bilan) -> list:
    return list(bilan.transitions.select_related("by").order_by("at", "id"))


def timeline(bilan: Bilan, transitions: list | None = None) -> list[dict]:
    """The four steps of the bilan, each with its date and who made it happen;
    `transitions` (`transitions_of`) when the page has read them already."""
    if transitions is None:
        transitions = transitions_of(bilan)
    reached = {t.to_phase: t for t in transitions}
    current = PHASE_ORDER.index(Phase(bilan.status))
    ended = bilan.status == Phase.CLOSED
    # Who opened the bilan, not who runs it today: a hand-over does not rewrite the past.
    opener = bilans.first_consultant(bilan)
    steps = []
    for index, phase in enumerate(PHASE_ORDER):
        transition = reached.get(phase)
        steps.append(
            {
                "phase": phase,
                # An ended bilan has no phase under way; a phase it never reached (it ended
                # early) is not "done". The last step says how it ended.
                "done": (index == 0 or transition is not None) and (index < current or ended),
                "current": index == current and not ended,
                "outcome": bilan.get_outcome_display() if ended and phase == Phase.CLOSED else "",
                "at": bilan.opened_at if index == 0 else transition and transition.at,
                "by": opener if index == 0 else transition and transition.by,
            }
        )
    return steps


def next_session(bilan: Bilan) -> Occurrence | None:
    return (
        Occurrence.objects.scheduled()
        .filter(series__bilan_session__bilan=bilan, start__gt=timezone.now())
        .order_by("start", "id")
        .first()
    )


def bilan_context(bilan: Bilan, *, for_consultant: bool = True) -> dict:
    """What the bilan pages show. Its beneficiary's page ("Mon bilan", `for_consultant=False`)
    shows neither the CPF card, the downloads of the end nor the count of entretiens to come:
    they are not read for it. A synthèse or preliminary record that the bilan was read with
    (`select_related`) is not read again."""
    transitions = transitions_of(bilan)
    # `final_download_offered_at`, from the transitions read once.
    offered_at = next(
        (t.at for t in transitions if t.to_phase == Phase.CONCLUSION), bilan.closed_at
    )
    synthesis = _one_to_one(bilan, "synthesis", SynthesisDocument)
    context = {
        "bilan": bilan,
        "steps": timeline(bilan, transitions),
        "hours": bilans.bilan_hours(bilan),
        "next_session": next_session(bilan),
        "consent": getattr(bilan, "consent", None),
        "consent_text": consent.TEXT,
        "consent_version": consent.VERSION,
        **final_context(
            bilan, offered_at=offered_at, downloads=for_consultant, synthesis=synthesis
        ),
        "synthesis": synthesis,
        **paperwork_context(bilan),
        "preliminary": _one_to_one(bilan, "preliminary", PreliminaryRecord),
    }
    if for_consultant:
        context["cpf"] = cpf.cpf_summary(bilan) if cpf.cpf_applies(bilan) else None
        context["future_count"] = bilans.future_sessions(bilan).count()
    return context


def _one_to_one(bilan: Bilan, name: str, model):
    """The bilan's `name` record (a reverse one-to-one) or None; no query when the bilan was
    read with it."""
    if getattr(Bilan, name).is_cached(bilan):
        return getattr(bilan, name, None)
    return model.objects.filter(bilan=bilan).first()


def invited_beneficiaries(request):
    invited = Membership.objects.beneficiaries_of(request.user).filter(
        organisation=request.membership.organisation
    )
    return User.objects.filter(pk__in=invited.values("user_id")).order_by(
        "last_name", "first_name", "id"
    )


@role_required(Role.CONSULTANT)
@require_http_methods(["GET", "POST"])
def bilan_open(request):
    form = BilanOpenForm(
        request.POST or None,
        beneficiaries=invited_beneficiaries(request),
        initial={"beneficiary": request.GET.get("beneficiaire")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            bilan = bilans.bilan_open(
                consultant=request.user,
                beneficiary=form.cleaned_data["beneficiary"],
                funding=form.cleaned_data["funding"],
                funder_name=form.cleaned_data["funder_name"],
                price_euros=form.cleaned_data["price_euros"],
                planned_hours=form.cleaned_data["planned_hours"],
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Le bilan est ouvert, en phase préliminaire."))
            return redirect("bilans:detail", bilan_id=bilan.pk)
    return render(request, "www/bilans/open.html", {"form": form})


def render_detail(request, bilan: Bilan, *, session_form=None, status=200):
    following = bilan.next_phase
    return render(
        request,
        "www/bilans/detail.html",
        {
            **bilan_context(bilan),
            "next_phase": following,
            "advance_form": following
            and PhaseAdvanceForm(initial={"to_phase": following, "version": bilan.version}),
            "session_form": session_form or BilanSessionForm(),
            "close_form": following == Phase.CLOSED and CloseOptionsForm(),
            # Their story is the consultant of record's to read (`consultant:story`).
            "follows_person": Membership.objects.beneficiaries_of(request.user)
            .filter(user_id=bilan.beneficiary_id, organisation_id=bilan.organisation_id)
            .exists(),
            # Qualiopi indicator 30: the consultant's appraisal of the ended bilan.
            "consultant_appraisal": bilan.status == Phase.CLOSED and consultant_appraisal_of(bilan),
        },
        status=status,
    )


def detail(request, bilan_id: int):
    return render_detail(request, access_bilan_run(request.user, bilan_id))


@require_POST
def phase_advance(request, bilan_id: int):
    bilan = access_bilan_run(request.user, bilan_id)
    form = PhaseAdvanceForm(request.POST)
    if not form.is_valid():
        raise Http404
    bilan.version = form.cleaned_data["version"]
    options = CloseOptionsForm(request.POST)
    cancel = options.is_valid() and options.cleaned_data["cancel_sessions"]
    if form.cleaned_data["to_phase"] == Phase.CLOSED:
        asked = confirmation_asked(
            request,
            question=_("Terminer ce bilan ?"),
            consequences=_closing_consequences(bilan, cancel),
            confirm_label=_("Oui, terminer le bilan"),
            cancel_url=reverse("bilans:detail", args=[bilan.pk]),
            cancel_label=_("Non, revenir au bilan"),
        )
        if asked is not None:
            return asked
    try:
        bilans.bilan_phase_advance(
            actor=request.user,
            bilan=bilan,
            to_phase=form.cleaned_data["to_phase"],
            cancel_future_sessions=cancel,
        )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(
            request,
            _("Le bilan est passé à l'étape « %(phase)s ».")
            % {"phase": bilan.get_status_display()},
        )
        hours = bilans.bilan_hours(bilan)
        if bilan.status == Phase.CLOSED and hours.below_minimum:
            messages.warning(
                request,
                _(
                    "Ce bilan se termine avec %(effective)s h d'entretiens, moins que les "
                    "%(minimum)s h prévues par votre organisme."
                )
                % {
                    "effective": bilans.hours_text(hours.effective),
                    "minimum": hours.minimum,
                },
            )
    return redirect("bilans:detail", bilan_id=bilan.pk)


def _closing_consequences(bilan, cancel_sessions: bool) -> list[str]:
    """What closing `bilan` does, said before it is done."""
    said = [
        _("Personne accompagnée : %(name)s.") % {"name": bilan.beneficiary},
        _(
            "Le bilan est mené à son terme : ses heures et son taux de réalisation sont "
            "arrêtés, et il ne peut plus être modifié."
        ),
        _(
            "Ses documents de travail sont détruits dès le lendemain (article R6313-7 du "
            "Code du travail), sauf accord écrit de conservation ; la personne peut "
            "télécharger sa synthèse et ses résultats jusque-là."
        ),
    ]
    if cancel_sessions:
        said.append(_("Les entretiens à venir sont annulés et la personne en est prévenue."))
    return said


@require_POST
def sessions_plan(request, bilan_id: int):
    bilan = access_bilan_run(request.user, bilan_id)
    form = BilanSessionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            bilans.bilan_session_plan(
                consultant=request.user,
                bilan=bilan,
                first_start=data["first_start"],
                duration_minutes=data["duration_minutes"],
                rrule=data["rrule"],
                mode=data["mode"],
                location=data["location"],
            )
        except ValidationError as error:
            form_errors_apply(form, error, renames={"first_start": "date"})
        else:
            messages.success(request, _("Les entretiens sont planifiés."))
            return redirect("bilans:detail", bilan_id=bilan.pk)
    return render_detail(request, bilan, session_form=form, status=400)


@role_required(Role.BENEFICIARY)
def mine(request):
    """ "Mon bilan": the beneficiary's current bilan, or their last one."""
    bilan = (
        Bilan.objects.visible_to(request.user)
        .filter(beneficiary=request.user)
        # The records the page shows beside the bilan, in the same query.
        .select_related("consultant", "consent", "synthesis", "preliminary")
        .order_by("-opened_at", "-id")
        .first()
    )
    context = bilan_context(bilan, for_consultant=False) if bilan else {"bilan": None}
    if bilan:
        context |= after_bilan_context(request.user, bilan)
        # What `bilan_context` has read already is passed on, not read again.
        context["next_steps"] = next_steps(
            bilan,
            has_consent=context["consent"] is not None,
            synthesis=context["synthesis"],
            preliminary=context["preliminary"],
            convention=context["convention"],
        )
    return render(request, "www/bilans/mine.html", context)


@require_POST
def consent_give(request, bilan_id: int):
    bilan = access_own_bilan(request.user, bilan_id)
    try:
        bilans.bilan_consent_give(
            beneficiary=request.user,
            bilan=bilan,
            text_version=request.POST.get("text_version", ""),
        )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("Merci : votre consentement est enregistré."))
    return redirect("bilans:mine")
