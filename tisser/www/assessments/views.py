"""The isolation check: a beneficiary takes it and reads their results over time; the
consultant who invited them reads them too. Coordinators see nothing individual.

Every check comes through `IsolationCheck.objects.visible_to`: someone else's is a 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from tisser.accounts.access import access_invited_beneficiary
from tisser.assessments import isolation, loneliness, safety
from tisser.assessments import services as assessments
from tisser.assessments.access import access_isolation_check
from tisser.assessments.models import IsolationCheck
from tisser.bilans.followup import likely_check_moment
from tisser.bilans.services.retention import own_isolation_checks, own_isolation_checks_erase
from tisser.core.access import role_required
from tisser.core.dates import french_date
from tisser.core.enums import Role
from tisser.www.assessments.chart import history_chart
from tisser.www.assessments.forms import IsolationCheckForm
from tisser.www.forms import form_errors_apply
from tisser.www.safety.views import resources_context, situation_form_context


def readings(check: IsolationCheck) -> dict:
    """Each score of `check` with its band and plain-French reading."""

    def reading(key, title, table):
        value = check.scores[key]
        band = isolation.band_of(value)
        return {
            "key": key,
            "title": title,
            "score": value,
            "band": band,
            "band_label": isolation.BAND_LABELS[band],
            "reading": table[band],
        }

    return {
        "overall": reading(isolation.OVERALL, isolation.OVERALL_TITLE, isolation.OVERALL_READINGS),
        "dimensions": [
            reading(dimension.id, dimension.title, dimension.readings)
            for dimension in isolation.DIMENSIONS
            if dimension.id in check.scores
        ],
    }


@role_required(Role.BENEFICIARY)
@require_http_methods(["GET", "POST"])
def isolation_start(request):
    # A reminder links here with the moment it is about (?moment=plus_3_months); otherwise
    # the moment that fits where the person's bilan stands (`bilans.followup.likely_check_moment`).
    already_taken = IsolationCheck.objects.filter(user=request.user).exists()
    moment = request.GET.get("moment", "")
    if moment not in IsolationCheck.Moment.values:
        moment = likely_check_moment(request.user, request.membership.organisation)
    form = IsolationCheckForm(request.POST or None, initial={"moment": moment})
    if request.method == "POST" and form.is_valid():
        try:
            check = assessments.isolation_check_record(
                user=request.user, moment=form.cleaned_data["moment"], answers=form.answers()
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            return redirect("assessments:isolation_result", check_id=check.pk)
    return render(
        request,
        "www/assessments/isolation_start.html",
        {
            "form": form,
            "not_a_diagnosis": isolation.NOT_A_DIAGNOSIS,
            "already_taken": already_taken,
            "loneliness_introduction": loneliness.introduction(),
            "loneliness_count": len(loneliness.questions_asked()),
        },
    )


def isolation_result(request, check_id: int):
    check = access_isolation_check(request.user, check_id)
    assessments.isolation_results_read(
        actor=request.user, person=check.user, organisation=check.organisation, check=check
    )
    is_own = check.user_id == request.user.pk
    context = {
        "check": check,
        "is_own": is_own,
        "not_a_diagnosis": isolation.NOT_A_DIAGNOSIS,
        "loneliness": loneliness.readings(check.scores),
        "loneliness_answers": loneliness.answered(check.answers),
        **readings(check),
    }
    if is_own:
        # The safety net (docs/adr/0020-safety-net.md): where to turn when the felt isolation
        # is in its HIGH band, and, on every own result, the small form to say more.
        context["safety_net"] = isolation.shows_strong_felt_isolation(check.scores)
        context |= resources_context(safety.Context.ISOLATION)
        context |= situation_form_context(request.user)
    return render(request, "www/assessments/isolation_result.html", context)


def history_context(request, person) -> dict:
    checks = list(
        IsolationCheck.objects.visible_to(request.user)
        .filter(user=person)
        .order_by("created_at", "id")
    )

    def short_date(check):
        return french_date(timezone.localtime(check.created_at), "SHORT_DATE_FORMAT")

    # The short scale's column only where it was asked (ADR 0031: once permitted).
    show_scale = loneliness.scale_permitted() or any(
        isolation.LONELINESS_SCALE in check.scores for check in checks
    )
    return {
        "person": person,
        "is_own": person.pk == request.user.pk,
        "show_scale": show_scale,
        "checks": checks,
        "rows": [
            (
                check,
                [(d.title, check.scores.get(d.id)) for d in isolation.DIMENSIONS],
                loneliness.readings(check.scores),
            )
            for check in checks
        ],
        "frequency_question": loneliness.FREQUENCY_QUESTION,
        "frequency_lowest": loneliness.FREQUENCY_CHOICES[0][1],
        "frequency_highest": loneliness.FREQUENCY_CHOICES[-1][1],
        "scale_title": loneliness.SCALE_TITLE,
        "scale_max": loneliness.SCALE_MAX_TOTAL,
        "chart": history_chart(checks, date_format=short_date),
        "dimensions": isolation.DIMENSIONS,
        "overall_title": isolation.OVERALL_TITLE,
        "not_a_diagnosis": isolation.NOT_A_DIAGNOSIS,
    }


@role_required(Role.BENEFICIARY)
def isolation_history(request):
    return render(
        request,
        "www/assessments/isolation_history.html",
        {
            **history_context(request, request.user),
            "own_count": own_isolation_checks(request.user).count(),
        },
    )


@role_required(Role.BENEFICIARY)
@require_POST
def isolation_erase(request):
    """Erase the person's own isolation checks — those outside any bilan still holding its
    documents — once they confirmed it. A bilan's checks go with the bilan (R6313-7)."""
    if request.POST.get("confirm") != "1":
        messages.error(
            request, _("Cochez la case pour confirmer : l'effacement de ces points est définitif.")
        )
        return redirect("assessments:isolation_history")
    count = own_isolation_checks_erase(user=request.user)
    messages.success(
        request,
        ngettext(
            "%(count)s point sur l'isolement effacé.",
            "%(count)s points sur l'isolement effacés.",
            count,
        )
        % {"count": count},
    )
    return redirect("assessments:isolation_history")


def isolation_history_for(request, user_id: int):
    """A beneficiary's history, for the consultant who invited them (404 for anyone else)."""
    invited = access_invited_beneficiary(request.user, user_id)
    assessments.isolation_results_read(
        actor=request.user, person=invited.user, organisation=invited.organisation
    )
    return render(
        request,
        "www/assessments/isolation_history.html",
        history_context(request, invited.user),
    )
